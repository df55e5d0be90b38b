// A provider the user adds is used like a built-in one: its key, its base URL, its models, its quirks.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startFakeUpstream } from './fake-upstream/index.ts';
import { runCli, tempHome } from './helpers/cli.ts';

const KEY = 'sk-CANARY-custom-provider-2a7c9e41';
const fake = await startFakeUpstream();
after(() => fake.close());

test('providers add, then chat through it; --no-stream-usage sends no stream_options and marks usage estimated', async () => {
  const home = tempHome();
  const add = await runCli(
    ['providers', 'add', 'local', '--base-url', fake.openaiBaseUrl, '--api-key-stdin', '--model', 'tiny=org/tiny-1b', '--free', '--no-stream-usage'],
    { home, input: KEY },
  );
  assert.equal(add.code, 0, add.stderr);

  const run = await runCli(['chat', '-m', 'tiny', '--json', 'hello'], { home });
  assert.equal(run.code, 0, run.stderr);
  const answer = JSON.parse(run.stdout);
  assert.deepEqual([answer.text, answer.model, answer.provider, answer.billing], ['Hello, world', 'tiny', 'local', 'free']);
  assert.equal(answer.usageEstimated, true, 'no usage was asked for, so it is estimated');

  const request = fake.requests.at(-1)!;
  assert.equal(request.model, 'org/tiny-1b', 'the upstream id is sent');
  assert.equal(request.authorization, `Bearer ${KEY}`);
  assert.equal((request.body as { stream_options?: unknown }).stream_options, undefined);
  assert.ok(!(run.stdout + run.stderr + add.stdout + add.stderr).includes(KEY));
});

// `chat --api-key-file`: a key for this run only wins over the environment and the stored key, and stays secret.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { startFakeUpstream } from '../fake-upstream/index.ts';
import { runCli, tempHome } from '../helpers/cli.ts';

const RUN_KEY = 'gsk-CANARY-run-only-91c3e5a7d2b4';
const ENV_KEY = 'gsk-CANARY-env-0f8e6d4c2b1a';
const fake = await startFakeUpstream();
after(() => fake.close());

test('--api-key-file is used for the pinned provider and printed nowhere', async () => {
  const home = tempHome();
  const keyFile = join(home, 'run-key.txt');
  writeFileSync(keyFile, `${RUN_KEY}\n`, { mode: 0o600 });
  const run = await runCli(['chat', '-m', 'groq:llama-3.1-8b-instant', '--api-key-file', keyFile, 'hi'], {
    home,
    env: { GROQ_API_KEY: ENV_KEY, GROQ_BASE_URL: fake.openaiBaseUrl },
  });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, 'Hello, world\n');
  assert.equal(fake.requests.at(-1)?.authorization, `Bearer ${RUN_KEY}`);
  for (const key of [RUN_KEY, ENV_KEY]) assert.ok(!(run.stdout + run.stderr).includes(key));

  const auto = await runCli(['chat', '--api-key-file', keyFile, 'hi'], {
    home,
    env: { GROQ_BASE_URL: fake.openaiBaseUrl },
  });
  assert.equal(auto.code, 2);
  assert.match(auto.stderr, /--api-key-file needs a model served by one provider/);
});

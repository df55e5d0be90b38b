// A provider the user adds is used like a built-in one: its key, its base URL, its models, its quirks.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { startFakeUpstream } from '../fake-upstream/index.ts';
import { runCli, tempHome } from '../helpers/cli.ts';

const KEY = 'sk-CANARY-custom-provider-2a7c9e41';
const fake = await startFakeUpstream();
after(() => fake.close());

test('providers add, then chat through it; --no-stream-usage sends no stream_options and marks usage estimated', async () => {
  const home = tempHome();
  const add = await runCli(
    [
      'providers',
      'add',
      'local',
      '--base-url',
      fake.openaiBaseUrl,
      '--api-key-stdin',
      '--model',
      'tiny=org/tiny-1b',
      '--free',
      '--no-stream-usage',
    ],
    { home, input: KEY },
  );
  assert.equal(add.code, 0, add.stderr);

  const run = await runCli(['chat', '-m', 'tiny', '--json', 'hello'], { home });
  assert.equal(run.code, 0, run.stderr);
  const answer = JSON.parse(run.stdout);
  assert.deepEqual(
    [answer.text, answer.model, answer.provider, answer.billing],
    ['Hello, world', 'tiny', 'local', 'free'],
  );
  assert.equal(answer.usageEstimated, true, 'no usage was asked for, so it is estimated');

  const request = fake.requests.at(-1)!;
  assert.equal(request.model, 'org/tiny-1b', 'the upstream id is sent');
  assert.equal(request.authorization, `Bearer ${KEY}`);
  assert.equal((request.body as { stream_options?: unknown }).stream_options, undefined);
  assert.ok(!(run.stdout + run.stderr + add.stdout + add.stderr).includes(KEY));
});

// Issue 6.4: a local server (Ollama, LM Studio, llama.cpp's server, vLLM) takes no key.
for (const protocol of ['openai', 'anthropic'] as const) {
  test(`${protocol}: providers add --no-key, then chat with no Authorization (nor any key header) sent at all`, async () => {
    const home = tempHome();
    // A key in the environment must not find its way into the request either.
    const env = {
      LOCAL_API_KEY: 'sk-CANARY-not-for-local-1',
      OPENAI_API_KEY: 'sk-CANARY-not-for-local-2',
      ANTHROPIC_API_KEY: 'sk-CANARY-not-for-local-3',
    };
    const baseUrl = protocol === 'openai' ? fake.openaiBaseUrl : `${fake.url}/v1`;
    const add = await runCli(
      [
        'providers',
        'add',
        'local',
        '--base-url',
        baseUrl,
        '--protocol',
        protocol,
        '--no-key',
        '--free',
        '--model',
        'llama3.2',
      ],
      { home, env },
    );
    assert.equal(add.code, 0, add.stderr);
    assert.match(add.stderr, /added provider local: no key needed/);
    const settings = JSON.parse(readFileSync(join(home, 'settings.json'), 'utf8'));
    assert.deepEqual(settings.providers.local.auth, { kind: 'none' });
    assert.equal(existsSync(join(home, 'keys.json')), false, 'no key stored');

    const list = await runCli(['providers', 'list', '--json'], { home, env });
    const local = JSON.parse(list.stdout).find((p: { id: string }) => p.id === 'local');
    assert.deepEqual([local.key, local.keySource, local.keyEnv], [null, 'not needed', []]);

    const before = fake.requests.length;
    const run = await runCli(['chat', '-m', 'llama3.2', '--json', 'hello'], { home, env });
    assert.equal(run.code, 0, run.stderr);
    const answer = JSON.parse(run.stdout);
    assert.deepEqual([answer.text, answer.provider, answer.billing], ['Hello, world', 'local', 'free']);
    assert.equal(fake.requests.length, before + 1);
    const headers = fake.requests.at(-1)!.headers;
    for (const name of ['authorization', 'x-api-key', 'api-key'])
      assert.equal(headers[name], undefined, `${name} was sent`);

    // The plan has it as a candidate: the router does not skip it as no_key.
    const explain = await runCli(['chat', '--explain', '-m', 'llama3.2', 'hello'], { home, env });
    assert.doesNotMatch(explain.stdout + explain.stderr, /no_key|no key/i);
  });
}

test('--auth-header sends the key in that header only; --no-key with a key source is a usage error', async () => {
  const home = tempHome();
  const add = await runCli(
    [
      'providers',
      'add',
      'azureish',
      '--base-url',
      fake.openaiBaseUrl,
      '--auth-header',
      'api-key',
      '--api-key-stdin',
      '--free',
      '--model',
      'tiny',
    ],
    { home, input: KEY },
  );
  assert.equal(add.code, 0, add.stderr);
  const run = await runCli(['chat', '-m', 'tiny', 'hello'], { home });
  assert.equal(run.code, 0, run.stderr);
  const headers = fake.requests.at(-1)!.headers;
  assert.deepEqual([headers['api-key'], headers.authorization, headers['x-api-key']], [KEY, undefined, undefined]);

  const both = await runCli(
    ['providers', 'add', 'x', '--base-url', fake.openaiBaseUrl, '--no-key', '--api-key-stdin'],
    { home, input: KEY },
  );
  assert.equal(both.code, 2);
  assert.match(both.stderr, /--no-key means the provider takes no key/);
  const badHeader = await runCli(
    ['providers', 'add', 'y', '--base-url', fake.openaiBaseUrl, '--auth-header', 'bad header:'],
    { home },
  );
  assert.equal(badHeader.code, 2);
  assert.match(badHeader.stderr, /--auth-header takes a header name/);
});

// `providers add/list/remove` through the real binary: keys stay secret, files stay private, bad input is refused.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { BUILT_IN_MODELS, BUILT_IN_PROVIDERS } from '../helpers/builtin-catalog.ts';
import { runCli, tempHome } from '../helpers/cli.ts';

const CANARY = 'sk-zhipu-CANARY-7f3a9c2e5b1d8804';
const ENV_CANARY = 'sk-env-CANARY-c0ffee1234567890';

function allOutput(r: { stdout: string; stderr: string }): string {
  return r.stdout + r.stderr;
}

test('add a provider with a key from stdin: stored 0600 in a 0700 dir, listed masked, never printed', async () => {
  const home = join(tempHome(), 'config'); // not created yet: the CLI must create it private
  const add = await runCli(
    [
      'providers',
      'add',
      'zhipu',
      '--base-url',
      'https://open.bigmodel.cn/api/paas/v4',
      '--api-key-stdin',
      '--model',
      'glm-4-flash',
      '--free',
      '--context',
      '128000',
    ],
    { home, input: `${CANARY}\n` },
  );
  assert.equal(add.code, 0, add.stderr);
  assert.ok(!allOutput(add).includes(CANARY));
  assert.match(add.stderr, /added provider zhipu: key ••••8804 stored; models: glm-4-flash/);

  assert.equal(statSync(home).mode & 0o777, 0o700);
  for (const file of readdirSync(home)) assert.equal(statSync(join(home, file)).mode & 0o777, 0o600, file);
  assert.ok(readFileSync(join(home, 'keys.json'), 'utf8').includes(CANARY));
  assert.ok(!readFileSync(join(home, 'settings.json'), 'utf8').includes(CANARY), 'keys are kept apart from settings');

  const list = await runCli(['providers', 'list', '--json'], { home });
  assert.ok(!allOutput(list).includes(CANARY));
  const zhipu = JSON.parse(list.stdout).find((p: { id: string }) => p.id === 'zhipu');
  assert.deepEqual(
    { key: zhipu.key, source: zhipu.keySource, url: zhipu.baseUrl, models: zhipu.models, builtIn: zhipu.builtIn },
    {
      key: '••••8804',
      source: 'stored',
      url: 'https://open.bigmodel.cn/api/paas/v4',
      models: ['glm-4-flash'],
      builtIn: false,
    },
  );
  const table = await runCli(['providers', 'list'], { home });
  assert.match(
    table.stdout,
    /^zhipu +openai +https:\/\/open\.bigmodel\.cn\/api\/paas\/v4 +••••8804 +stored +1 +added$/m,
  );

  const models = JSON.parse((await runCli(['models', '--provider', 'zhipu', '--json'], { home })).stdout);
  assert.deepEqual(models[0].deployments[0].price, { input: 0, output: 0 });
  assert.equal(models[0].contextWindow, 128000);
});

test('key precedence: the environment wins over the stored key', async () => {
  const home = tempHome();
  await runCli(['providers', 'add', 'groq', '--api-key-stdin'], { home, input: CANARY });
  const stored = JSON.parse((await runCli(['providers', 'list', '--json'], { home })).stdout);
  assert.equal(stored.find((p: { id: string }) => p.id === 'groq').keySource, 'stored');
  const env = await runCli(['providers', 'list', '--json'], { home, env: { GROQ_API_KEY: ENV_CANARY } });
  assert.ok(!allOutput(env).includes(ENV_CANARY));
  const groq = JSON.parse(env.stdout).find((p: { id: string }) => p.id === 'groq');
  assert.deepEqual([groq.key, groq.keySource], ['••••7890', 'env GROQ_API_KEY']);
  const aliyun = JSON.parse(
    (await runCli(['providers', 'list', '--json'], { home, env: { DASHSCOPE_API_KEY: ENV_CANARY } })).stdout,
  );
  assert.equal(aliyun.find((p: { id: string }) => p.id === 'aliyun').keySource, 'env DASHSCOPE_API_KEY');
});

test('base URLs: <PROVIDER>_BASE_URL overrides the default', async () => {
  const home = tempHome();
  const list = JSON.parse(
    (await runCli(['providers', 'list', '--json'], { home, env: { GROQ_BASE_URL: 'http://127.0.0.1:9/v1' } })).stdout,
  );
  assert.equal(list.find((p: { id: string }) => p.id === 'groq').baseUrl, 'http://127.0.0.1:9/v1');
  assert.equal(
    list.find((p: { id: string }) => p.id === 'aliyun').baseUrl,
    'https://dashscope.aliyuncs.com/compatible-mode/v1',
  );
});

test('a key from a file, and --api-key-env which stores no key at all', async () => {
  const home = tempHome();
  const keyFile = join(home, 'key.txt');
  writeFileSync(keyFile, `${CANARY}\n`);
  const fromFile = await runCli(
    ['providers', 'add', 'myllm', '--base-url', 'http://localhost:8000/v1', '--api-key-file', keyFile],
    { home },
  );
  assert.equal(fromFile.code, 0, fromFile.stderr);
  const viaEnv = await runCli(
    ['providers', 'add', 'other', '--base-url', 'http://localhost:8001/v1', '--api-key-env', 'OTHER_TOKEN'],
    { home },
  );
  assert.equal(viaEnv.code, 0, viaEnv.stderr);
  const keys = JSON.parse(readFileSync(join(home, 'keys.json'), 'utf8')).keys;
  assert.deepEqual(Object.keys(keys), ['myllm']);
  const list = JSON.parse(
    (await runCli(['providers', 'list', '--json'], { home, env: { OTHER_TOKEN: ENV_CANARY } })).stdout,
  );
  assert.equal(list.find((p: { id: string }) => p.id === 'other').keySource, 'env OTHER_TOKEN');
});

test('bad input: a bad URL, a duplicate, a key as a flag, an unknown provider', async () => {
  const home = tempHome();
  const badUrl = await runCli(['providers', 'add', 'x', '--base-url', 'open.bigmodel.cn'], { home });
  assert.equal(badUrl.code, 2);
  assert.match(badUrl.stderr, /--base-url must be an http\(s\) URL/);
  const noUrl = await runCli(['providers', 'add', 'x'], { home });
  assert.equal(noUrl.code, 2);
  assert.match(noUrl.stderr, /needs --base-url/);

  await runCli(['providers', 'add', 'zhipu', '--base-url', 'https://open.bigmodel.cn/api/paas/v4'], { home });
  const dup = await runCli(['providers', 'add', 'zhipu', '--base-url', 'https://example.com/v1'], { home });
  assert.equal(dup.code, 2);
  assert.match(dup.stderr, /provider zhipu already exists/);
  assert.match(dup.stderr, /--replace/);

  const keyFlag = await runCli(['providers', 'add', 'y', '--base-url', 'https://example.com/v1', '--api-key', CANARY], {
    home,
  });
  assert.equal(keyFlag.code, 2);
  assert.ok(!allOutput(keyFlag).includes(CANARY));

  const badName = await runCli(['providers', 'add', 'Bad Name', '--base-url', 'https://example.com/v1'], { home });
  assert.equal(badName.code, 2);

  const unknown = await runCli(['providers', 'remove', 'zhipo'], { home });
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /did you mean zhipu/);
});

test('remove: a user provider disappears with its key; a built-in one keeps existing', async () => {
  const home = tempHome();
  await runCli(
    [
      'providers',
      'add',
      'zhipu',
      '--base-url',
      'https://open.bigmodel.cn/api/paas/v4',
      '--api-key-stdin',
      '-m',
      'glm-4-flash',
    ],
    { home, input: CANARY },
  );
  await runCli(['providers', 'add', 'groq', '--api-key-stdin'], { home, input: CANARY });
  const removed = await runCli(['providers', 'remove', 'zhipu'], { home });
  assert.equal(removed.code, 0, removed.stderr);
  assert.match(removed.stderr, /removed provider zhipu and its stored key/);
  const builtIn = await runCli(['providers', 'remove', 'groq'], { home });
  assert.match(builtIn.stderr, /stays available as a built-in provider/);
  assert.ok(!readFileSync(join(home, 'keys.json'), 'utf8').includes(CANARY));
  const list = JSON.parse((await runCli(['providers', 'list', '--json'], { home })).stdout);
  assert.deepEqual(
    list.map((p: { id: string }) => p.id),
    BUILT_IN_PROVIDERS,
  );
  const models = JSON.parse((await runCli(['models', '--json'], { home })).stdout);
  assert.equal(models.length, BUILT_IN_MODELS.length);
});

test('--replace starts the provider afresh: no old protocol, model, quirk or key survives it', async () => {
  const home = tempHome();
  const first = await runCli(
    [
      'providers',
      'add',
      'myllm',
      '--base-url',
      'https://a.example.com',
      '--protocol',
      'anthropic',
      '--no-stream-usage',
      '-m',
      'big',
      '--api-key-stdin',
    ],
    { home, input: CANARY },
  );
  assert.equal(first.code, 0, first.stderr);
  const replaced = await runCli(
    ['providers', 'add', 'myllm', '--replace', '--base-url', 'https://b.example.com/v1', '-m', 'small'],
    { home },
  );
  assert.equal(replaced.code, 0, replaced.stderr);
  assert.match(replaced.stderr, /replaced provider myllm: no key yet: set MYLLM_API_KEY/);
  const settings = JSON.parse(readFileSync(join(home, 'settings.json'), 'utf8'));
  assert.deepEqual(settings.providers.myllm, { protocol: 'openai', baseUrl: 'https://b.example.com/v1' });
  assert.deepEqual(
    settings.models.map((m: { id: string }) => m.id),
    ['small'],
  );
  assert.ok(!readFileSync(join(home, 'keys.json'), 'utf8').includes(CANARY), 'the old key went with the old provider');
});

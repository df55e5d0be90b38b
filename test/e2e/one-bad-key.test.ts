// One bad variable breaks only its own provider: with OPENAI_API_KEY holding a space, `chat -m groq:…`, `models`,
// `quota` and even `providers list` used to exit 4. Now the bad key is reported where it is used — `providers list`
// shows it invalid, `--explain` says why openai is passed over, a call pinned to openai exits 4 naming the
// variable — and everything else works. The value is never printed.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { startFakeUpstream } from '../fake-upstream/index.ts';
import { runCli, tempHome } from '../helpers/cli.ts';

const BAD = 'sk-CANARY-pasted with-a-space-7f3e';
const fake = await startFakeUpstream();
after(() => fake.close());

const env = { OPENAI_API_KEY: BAD, GROQ_API_KEY: 'gsk-fake-groq-key-0001', GROQ_BASE_URL: fake.openaiBaseUrl };
const neverShown = (text: string) => {
  assert.ok(!text.includes('CANARY'), `the bad key was printed:\n${text}`);
  assert.ok(!text.includes('with-a-space'), `part of the bad key was printed:\n${text}`);
};

test('a space in OPENAI_API_KEY no longer makes chat -m groq, models, quota and providers list exit 4', async () => {
  const home = tempHome();
  const chat = await runCli(['chat', '-m', 'groq:llama-3.1-8b-instant', 'hi'], { home, env });
  assert.equal(chat.code, 0, chat.stderr);
  assert.equal(chat.stdout, 'Hello, world\n');
  for (const args of [['models'], ['models', '--json'], ['quota'], ['quota', '--json'], ['providers', 'list']]) {
    const run = await runCli(args, { home, env });
    assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
    neverShown(run.stdout + run.stderr);
  }
});

test('providers list shows the bad key as invalid with its variable and what is wrong, in the table and in JSON', async () => {
  const home = tempHome();
  const table = await runCli(['providers', 'list'], { home, env });
  const openaiRow = table.stdout.split('\n').find((line) => line.includes('openai'));
  assert.match(openaiRow ?? '', /invalid/);
  assert.match(table.stdout, /OPENAI_API_KEY is invalid: it contains a space/);
  const json = await runCli(['providers', 'list', '--json'], { home, env });
  assert.equal(json.code, 0, json.stderr);
  const rows = JSON.parse(json.stdout) as Array<{
    id: string;
    key: string | null;
    keySource: string | null;
    keyInvalid: string | null;
  }>;
  const openai = rows.find((r) => r.id === 'openai')!;
  assert.deepEqual(
    { key: openai.key, keySource: openai.keySource, keyInvalid: openai.keyInvalid },
    { key: null, keySource: 'env OPENAI_API_KEY', keyInvalid: 'OPENAI_API_KEY is invalid: it contains a space' },
  );
  assert.equal(rows.find((r) => r.id === 'groq')!.keyInvalid, null);
  neverShown(table.stdout + json.stdout);
});

test('--explain says the openai models are passed over because OPENAI_API_KEY is invalid', async () => {
  const home = tempHome();
  const run = await runCli(['chat', '--explain', 'hi'], { home, env });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout + run.stderr, /gpt-4\.1-mini \(openai\):.*OPENAI_API_KEY is invalid: it contains a space/);
  neverShown(run.stdout + run.stderr);
});

test('a call pinned to openai exits 4 naming OPENAI_API_KEY and what is wrong, without echoing the value', async () => {
  const home = tempHome();
  const run = await runCli(['chat', '-m', 'openai:gpt-4.1-mini', 'hi'], { home, env });
  assert.equal(run.code, 4, run.stderr);
  assert.match(run.stderr, /OPENAI_API_KEY is invalid: it contains a space; set it again/);
  neverShown(run.stdout + run.stderr);
  assert.equal(fake.requests.filter((r) => r.authorization?.includes('CANARY')).length, 0, 'the bad key was sent');
});

test('a stored key that cannot be a key (edited by hand) is reported as invalid for its provider only', async () => {
  const home = tempHome();
  writeFileSync(join(home, 'keys.json'), JSON.stringify({ keys: { groq: 'gsk-CANARY with-a-space-0000' } }), {
    mode: 0o600,
  });
  const list = await runCli(['providers', 'list', '--json'], { home });
  assert.equal(list.code, 0, list.stderr);
  const groq = (JSON.parse(list.stdout) as Array<{ id: string; keyInvalid: string | null }>).find(
    (r) => r.id === 'groq',
  )!;
  assert.equal(groq.keyInvalid, 'the stored key is invalid: it contains a space');
  const pinned = await runCli(['chat', '-m', 'groq:llama-3.1-8b-instant', 'hi'], {
    home,
    env: { GROQ_BASE_URL: fake.openaiBaseUrl },
  });
  assert.equal(pinned.code, 4);
  assert.match(
    pinned.stderr,
    /the stored key is invalid: it contains a space; store it again with `llm-gateway providers add groq`/,
  );
  neverShown(list.stdout + pinned.stdout + pinned.stderr);
});

// Rough edges found by trying to break the CLI: each is now a clear refusal that leaks nothing.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startSpinner } from '../../src/cli/chat/spinner.ts';
import { runCli, tempHome } from '../helpers/cli.ts';

const SECRET = 'gsk-CANARY-hardening-5f4e3d2c1b';

test('a keys.json broken by hand is reported without quoting it', async () => {
  const home = tempHome();
  writeFileSync(join(home, 'keys.json'), `${SECRET}\n`, { mode: 0o600 });
  for (const args of [['providers', 'list'], ['doctor']]) {
    const run = await runCli(args, { home });
    assert.equal(run.code, 3);
    assert.match(run.stdout + run.stderr, /keys\.json is not valid JSON: line 1/);
    assert.ok(!(run.stdout + run.stderr).includes(SECRET.slice(0, 10)), `${args.join(' ')} quoted the key file`);
  }
});

test('a settings.json broken by hand is reported with its line, without quoting it (a key pasted there stays unseen)', async () => {
  const home = tempHome();
  writeFileSync(join(home, 'settings.json'), `{"providers": [1, ${SECRET}\n`, { mode: 0o600 });
  for (const args of [['quota'], ['doctor']]) {
    const run = await runCli(args, { home });
    assert.equal(run.code, 3);
    assert.match(run.stdout + run.stderr, /settings\.json is not valid JSON: line 1, column \d+: expected a value/);
    assert.ok(!(run.stdout + run.stderr).includes(SECRET.slice(0, 10)), `${args.join(' ')} quoted the settings file`);
  }
});

test('keys that cannot be keys are refused: two lines on stdin, a line break in the environment', async () => {
  const home = tempHome();
  const twoLines = await runCli(['providers', 'add', 'groq', '--api-key-stdin'], {
    home,
    input: `${SECRET}\nsecond-line\n`,
  });
  assert.equal(twoLines.code, 2);
  assert.match(twoLines.stderr, /one line of printable ASCII/);
  // A variable that holds no key makes its provider unusable, and only it: the listing still works and says why.
  const broken = await runCli(['providers', 'list'], { home, env: { GROQ_API_KEY: `gsk-start\n${SECRET}` } });
  assert.equal(broken.code, 0, broken.stderr);
  assert.match(broken.stdout, /GROQ_API_KEY is invalid: it contains a line break/);
  assert.ok(!(broken.stdout + broken.stderr).includes(SECRET));
});

test('--api-key-env drops a stored key (it would win over the variable) and keeps the built-in variable', async () => {
  const home = tempHome();
  await runCli(['providers', 'add', 'groq', '--api-key-stdin'], { home, input: SECRET });
  const switched = await runCli(['providers', 'add', 'groq', '--api-key-env', 'MY_GROQ'], { home });
  assert.equal(switched.code, 0, switched.stderr);
  assert.ok(!readFileSync(join(home, 'keys.json'), 'utf8').includes(SECRET));
  const list = async (env: Record<string, string>) =>
    JSON.parse((await runCli(['providers', 'list', '--json'], { home, env })).stdout).find(
      (p: { id: string }) => p.id === 'groq',
    );
  assert.equal(
    (await list({ MY_GROQ: 'gsk-from-my-var-0001', GROQ_API_KEY: 'gsk-from-builtin-0002' })).keySource,
    'env MY_GROQ',
  );
  assert.equal((await list({ GROQ_API_KEY: 'gsk-from-builtin-0002' })).keySource, 'env GROQ_API_KEY');
});

test('base URLs with credentials, a query or a fragment are refused, and not echoed', async () => {
  const home = tempHome();
  const withUser = await runCli(['providers', 'add', 'x', '--base-url', `https://me:${SECRET}@api.example.com/v1`], {
    home,
  });
  assert.equal(withUser.code, 2);
  assert.match(withUser.stderr, /must not hold a user name or password/);
  assert.ok(!withUser.stderr.includes(SECRET));
  const withQuery = await runCli(['providers', 'add', 'x', '--base-url', 'https://api.example.com/v1?key=abc'], {
    home,
  });
  assert.equal(withQuery.code, 2);
  assert.match(withQuery.stderr, /must not have a query/);
});

test('numbers and dates that only look right are refused', async () => {
  const home = tempHome();
  for (const [args, pattern] of [
    [['quota', 'set', 'llama', '--tokens', '1e3'], /--tokens must be a positive whole number/],
    [['quota', 'set', 'llama', '--tokens', '99999999999999999999'], /--tokens must be a positive whole number/],
    [
      ['quota', 'set', 'llama', '--expires', '2026-01-01'],
      /--expires 2026-01-01 is not after the tier's start \(2026-02-15\)/,
    ],
  ] as const) {
    const run = await runCli([...args], { home });
    assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, pattern);
  }
  const clock = await runCli(['quota'], { home, env: { LLM_GATEWAY_NOW: 'yesterday' } });
  assert.equal(clock.code, 2);
  assert.match(clock.stderr, /LLM_GATEWAY_NOW must be an ISO time/);
});

test('a defaultModel or alias in settings that names no model is reported as a settings problem', async () => {
  const home = tempHome();
  writeFileSync(
    join(home, 'settings.json'),
    JSON.stringify({ defaultModel: 'gpt-5-ultra', aliases: { fast: 'gone-model' } }),
  );
  const chat = await runCli(['chat', '--explain', 'hi'], { home });
  assert.equal(chat.code, 3);
  assert.match(chat.stderr, /settings\.json: defaultModel unknown model "gpt-5-ultra"/);
  const alias = await runCli(['chat', '--explain', '-m', 'fast', 'hi'], { home });
  assert.equal(alias.code, 2);
  assert.match(alias.stderr, /alias "fast" points to "gone-model", which is not a known model/);
});

test('doctor --repair never overwrites an earlier copy, and keeps copies private', async () => {
  const home = tempHome();
  mkdirSync(home, { recursive: true });
  for (const text of ['{"keys":', '{"keys": 7']) {
    writeFileSync(join(home, 'keys.json'), text, { mode: 0o644 });
    const repair = await runCli(['doctor', '--repair'], { home });
    assert.equal(repair.code, 0, repair.stderr);
  }
  const copies = readdirSync(home).filter((f) => f.startsWith('keys.json.corrupt-'));
  assert.equal(copies.length, 2, 'the second repair (same clock) kept the first copy');
  assert.deepEqual(copies.map((f) => readFileSync(join(home, f), 'utf8')).sort(), ['{"keys":', '{"keys": 7']);
  for (const f of copies) assert.equal(statSync(join(home, f)).mode & 0o777, 0o600);
});

test('no spinner on a terminal that reports no width (ora would redraw forever)', async () => {
  const stream = { isTTY: true, columns: 0, write: () => true };
  assert.equal(await startSpinner(stream, {}, 'thinking'), undefined);
});

test('a scenario naming models the catalog lacks says which, in --explain and when nothing is left', async () => {
  const home = tempHome();
  writeFileSync(
    join(home, 'settings.json'),
    JSON.stringify({ scenarios: { default: ['does-not-exist'], mixed: ['llama', 'gone'] } }),
  );
  const run = await runCli(['chat', 'hi'], { home, env: { GROQ_API_KEY: 'gsk-test-canary-0006' } });
  assert.equal(run.code, 2);
  assert.match(
    run.stderr,
    /scenario:default lists no usable models \(it names does-not-exist, which no provider serves\)/,
  );
  const explain = await runCli(['chat', '--explain', '--scenario', 'mixed', 'hi'], {
    home,
    env: { GROQ_API_KEY: 'gsk-test-canary-0006' },
  });
  assert.equal(explain.code, 0, explain.stderr);
  assert.match(explain.stdout, /1\. llama-3\.1-8b-instant \(groq\)/);
  assert.match(explain.stdout, /not in the catalog \(fix the scenario in settings\.json\): gone/);
});

// A broken settings, key or ledger file is reported (exit 3, path, what is wrong, how to repair) and never
// rewritten; `doctor --repair` keeps the broken file aside and lets the next run start afresh.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempHome } from '../helpers/cli.ts';

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

// Each broken file, and the commands that read it (a command that never reads a file is not stopped by it).
const broken: Record<string, { bytes: string | Buffer; commands: string[][] }> = {
  'settings.json': {
    bytes: '{ "allowPaid": true, "providers": { "zhipu": ',
    commands: [['quota'], ['models', '--json'], ['providers', 'list'], ['quota', 'set', 'llama', '--tokens', '9']],
  },
  'keys.json': {
    bytes: '{"keys": {"groq": 42}}',
    commands: [['quota'], ['models', '--json'], ['providers', 'list'], ['providers', 'add', 'groq', '--api-key-stdin']],
  },
  'ledger.db': {
    bytes: Buffer.concat([Buffer.from('not a database at all '), Buffer.alloc(4096, 7)]),
    commands: [['quota'], ['models', '--json'], ['quota', 'reset', 'llama']],
  },
};

for (const [file, { bytes, commands }] of Object.entries(broken)) {
  test(`a corrupt ${file} stops every command with exit 3 and is left byte for byte`, async () => {
    const home = tempHome();
    mkdirSync(home, { recursive: true, mode: 0o700 });
    const path = join(home, file);
    writeFileSync(path, bytes, { mode: 0o600 });
    const before = sha(path);
    const entriesBefore = readdirSync(home).sort();

    for (const args of commands) {
      const run = await runCli(args, { home, input: 'gsk-test-canary-0002' });
      assert.equal(run.code, 3, `${args.join(' ')}: ${run.stderr}`);
      assert.equal(run.stdout, '');
      assert.ok(run.stderr.includes(path), `the message names the file: ${run.stderr}`);
      assert.match(run.stderr, /doctor --repair/);
      assert.doesNotMatch(run.stderr, /\n\s+at /);
    }
    assert.equal(sha(path), before, 'the broken file was modified');
    assert.deepEqual(readdirSync(home).sort(), entriesBefore, 'nothing was created beside it');

    const check = await runCli(['doctor'], { home });
    assert.equal(check.code, 3);
    assert.match(check.stdout, /broken/);
    const repair = await runCli(['doctor', '--repair'], { home });
    assert.equal(repair.code, 0, repair.stderr);
    const backup = readdirSync(home).find((f) => f.startsWith(`${file}.corrupt-`));
    assert.ok(backup, 'the broken file is kept aside');
    assert.equal(sha(join(home, backup)), before);
    const after = await runCli(['quota', '--json'], { home });
    assert.equal(after.code, 0, after.stderr);
  });
}

test('settings that parse but are wrong name the field', async () => {
  const home = tempHome();
  writeFileSync(
    join(home, 'settings.json'),
    JSON.stringify({
      freeTiers: [{ provider: 'groq', model: 'x', tokens: 10, period: 'yearly', anchor: '2026-01-01' }],
    }),
  );
  const run = await runCli(['quota'], { home });
  assert.equal(run.code, 3);
  assert.match(run.stderr, /freeTiers\[0\]\.period must be daily, weekly, monthly/);
});

test('an unreadable settings file is a clear error, not a crash', {
  skip: process.getuid?.() === 0 && 'root reads any file',
}, async () => {
  const home = tempHome();
  const path = join(home, 'settings.json');
  writeFileSync(path, '{}');
  chmodSync(path, 0o000);
  const run = await runCli(['models'], { home });
  assert.equal(run.code, 3);
  assert.match(run.stderr, /cannot read .*settings\.json: EACCES/);
});

test('doctor tightens modes that are too open', async () => {
  const home = tempHome();
  writeFileSync(join(home, 'keys.json'), JSON.stringify({ keys: { groq: 'gsk-test-canary-0003' } }), { mode: 0o644 });
  chmodSync(join(home, 'keys.json'), 0o644);
  const check = await runCli(['doctor'], { home });
  assert.equal(check.code, 3);
  assert.match(check.stdout, /mode is 644/);
  assert.ok(!check.stdout.includes('gsk-test-canary-0003'));
  const repair = await runCli(['doctor', '--repair'], { home });
  assert.equal(repair.code, 0);
  assert.equal((await import('node:fs')).statSync(join(home, 'keys.json')).mode & 0o777, 0o600);
});

test('a misspelt setting is an error naming it, not silently ignored; notes of the user survive a rewrite', async () => {
  const home = tempHome();
  const path = join(home, 'settings.json');
  writeFileSync(path, JSON.stringify({ allowpaid: true }));
  const typo = await runCli(['quota'], { home });
  assert.equal(typo.code, 3);
  assert.match(typo.stderr, /allowpaid is not a setting \(known: allowPaid, /);

  writeFileSync(
    path,
    JSON.stringify({ $comment: 'my notes', providers: { groq: { baseURL: 'https://x.example.com' } } }),
  );
  const nested = await runCli(['quota'], { home });
  assert.equal(nested.code, 3);
  assert.match(nested.stderr, /providers\.groq\.baseURL is not a setting/);

  writeFileSync(path, JSON.stringify({ $comment: 'my notes', allowPaid: false }));
  const set = await runCli(['quota', 'set', 'llama', '--tokens', '5000'], { home });
  assert.equal(set.code, 0, set.stderr);
  const saved = JSON.parse((await import('node:fs')).readFileSync(path, 'utf8'));
  assert.equal(saved.$comment, 'my notes');
  assert.equal(saved.allowPaid, false);
});

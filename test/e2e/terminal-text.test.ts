// What reaches a person's terminal says what is true and shows what is there (issue 9.9 k, l, m): figures never
// rounded up past the truth, no bidi control to reorder an answer, no invisible character in an error.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { compact } from '../../src/cli/common/format.ts';
import { terminalSafe } from '../../src/cli/common/output.ts';
import { runCli, tempHome } from '../helpers/cli.ts';

test('models printed "1000K left" for 999,986 tokens: compact figures round down, never up into the next unit', async () => {
  assert.equal(compact(999_986), '999.9K');
  assert.equal(compact(1_999_999), '1.9M');
  assert.equal(compact(999), '999');
  for (const [n, text] of [
    [8192, '8K'],
    [131_072, '128K'],
    [128_000, '128K'],
    [1500, '1.5K'],
    [1_000_000, '1M'],
    [2_500_000, '2.5M'],
  ] as const) {
    assert.equal(compact(n), text, String(n));
  }
  const home = tempHome();
  const set = await runCli(['quota', 'set', 'groq:llama-3.1-8b-instant', '--tokens', '999986', '--period', 'daily'], {
    home,
  });
  assert.equal(set.code, 0, set.stderr);
  const models = await runCli(['models', '-p', 'groq'], { home, env: { GROQ_API_KEY: 'gsk-test-key-000000000001' } });
  assert.equal(models.code, 0, models.stderr);
  assert.match(models.stdout, /999\.9K left today/);
  assert.doesNotMatch(models.stdout, /1000K/);
});

test('U+202E and the other bidi controls passed the terminal sanitizer: they are stripped from what a terminal shows', () => {
  const bidi = [
    '\u202a',
    '\u202b',
    '\u202c',
    '\u202d',
    '\u202e',
    '\u2066',
    '\u2067',
    '\u2068',
    '\u2069',
    '\u200e',
    '\u200f',
    '\u061c',
  ];
  for (const c of bidi)
    assert.equal(terminalSafe(`rm -rf /${c}txt.exe`), 'rm -rf /txt.exe', `U+${c.codePointAt(0)!.toString(16)}`);
  // Right-to-left text itself, and the joiner of emoji, stay.
  assert.equal(terminalSafe('שלום عربي 👩‍💻'), 'שלום عربي 👩‍💻');
});

test('a settings file with a UTF-8 BOM was rejected: it is read, as any editor would', async () => {
  const home = tempHome();
  const settings = {
    schemaVersion: 1,
    providers: { local: { protocol: 'openai', baseUrl: 'http://127.0.0.1:9/v1', auth: { kind: 'none' } } },
  };
  writeFileSync(join(home, 'settings.json'), `\uFEFF${JSON.stringify(settings)}`, { mode: 0o600 });
  writeFileSync(join(home, 'keys.json'), `\uFEFF${JSON.stringify({ keys: {} })}`, { mode: 0o600 });
  const list = await runCli(['providers', 'list', '--json'], { home });
  assert.equal(list.code, 0, list.stderr);
  assert.ok(JSON.parse(list.stdout).some((p: { id: string }) => p.id === 'local'));
});

test('an error quoting an invisible character names it (<U+200B>) instead of printing it', async () => {
  const home = tempHome();
  writeFileSync(join(home, 'settings.json'), '{"providers": \u200b{}}', { mode: 0o600 });
  for (const args of [['quota'], ['doctor']]) {
    const run = await runCli(args, { home });
    assert.equal(run.code, 3, run.stderr);
    const text = run.stdout + run.stderr;
    assert.match(text, /<U\+200B>/);
    assert.ok(!/[\u200b\ufeff\u202a-\u202e]/.test(text), `${args[0]} printed an invisible character`);
  }
});

// What a person sees: tables that fit the terminal, colour only where it belongs, model text that cannot drive it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { colorEnabled, createOutput, terminalSafe, type Stream } from '../src/cli/output.ts';

function capture(isTTY: boolean, columns?: number): Stream & { text: string } {
  const stream = { text: '', isTTY, columns, write: (chunk: string) => void (stream.text += chunk) };
  return stream;
}

const rows = [
  ['llama-3.1-8b-instant', 'Llama 3.1 8B Instant with a long descriptive name', '128K'],
  ['moonshot-v1-8k', 'Moonshot V1 8K', '8K'],
];
const columns = [{ header: 'MODEL' }, { header: 'NAME', shrink: true }, { header: 'CONTEXT', align: 'right' as const }];

test('a table on a narrow terminal cuts its shrinkable column with … and fits the width', () => {
  const stdout = capture(true, 50);
  createOutput(stdout, capture(true), { NO_COLOR: '1' }).table(columns, rows);
  const lines = stdout.text.trimEnd().split('\n');
  for (const line of lines) assert.ok([...line].length <= 50, `"${line}" is wider than 50`);
  assert.equal(lines[1], 'llama-3.1-8b-instant  Llama 3.1 8B Insta…     128K');
  assert.equal(lines[2], 'moonshot-v1-8k        Moonshot V1 8K            8K');
});

test('piped, a table keeps its full width and has no ANSI codes even with headers styled', () => {
  const stdout = capture(false);
  createOutput(stdout, capture(false), {}).table(columns, rows);
  assert.ok(stdout.text.includes('Llama 3.1 8B Instant with a long descriptive name'));
  assert.doesNotMatch(stdout.text, /\u001b/);
});

test('colour: a TTY colours, NO_COLOR wins over it, FORCE_COLOR wins over a pipe, TERM=dumb does not colour', () => {
  assert.equal(colorEnabled({ write() {}, isTTY: true }, {}), true);
  assert.equal(colorEnabled({ write() {}, isTTY: true }, { NO_COLOR: '1' }), false);
  assert.equal(colorEnabled({ write() {}, isTTY: false }, { FORCE_COLOR: '1' }), true);
  assert.equal(colorEnabled({ write() {}, isTTY: false }, { FORCE_COLOR: '0' }), false);
  assert.equal(colorEnabled({ write() {}, isTTY: true }, { TERM: 'dumb' }), false);
  const out = createOutput(capture(true), capture(false), {});
  assert.equal(out.style.red('x'), '\u001b[31mx\u001b[39m');
  assert.equal(out.errStyle.red('x'), 'x');
});

test('model text bound for a terminal loses control sequences but keeps tabs, newlines and any script', () => {
  assert.equal(terminalSafe('ok\u001b]0;pwned\u0007 \u001b[2Jdone\r\n\tnext'), 'ok]0;pwned [2Jdone\n\tnext');
  assert.equal(terminalSafe('中文 — ünïcode ✓'), '中文 — ünïcode ✓');
});

// What a person sees: tables that fit the terminal, colour only where it belongs, model text that cannot drive it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QUOTA_COLUMNS } from '../../src/cli/quota/quota.ts';
import { colorEnabled, createOutput, terminalSafe, type Column, type Stream } from '../../src/cli/common/output.ts';
import { cells, displayWidth } from '../helpers/display-width.ts';

function capture(isTTY: boolean, columns?: number): Stream & { text: string } {
  const stream = { text: '', isTTY, columns, write: (chunk: string) => void (stream.text += chunk) };
  return stream;
}

const rows = [
  ['llama-3.1-8b-instant', 'Llama 3.1 8B Instant with a long descriptive name', '128K'],
  ['moonshot-v1-8k', 'Moonshot V1 8K', '8K'],
];
const columns = [{ header: 'MODEL' }, { header: 'NAME', shrink: true }, { header: 'CONTEXT', align: 'right' as const }];

test('a table on a narrow terminal cuts its shrinkable column with … and fits the width', async () => {
  const stdout = capture(true, 50);
  await createOutput(stdout, capture(true), { NO_COLOR: '1' }).table(columns, rows);
  const lines = stdout.text.trimEnd().split('\n');
  for (const line of lines) assert.ok(displayWidth(line) <= 50, `"${line}" is wider than 50`);
  assert.equal(lines[1], 'llama-3.1-8b-instant  Llama 3.1 8B Insta…     128K');
  assert.equal(lines[2], 'moonshot-v1-8k        Moonshot V1 8K            8K');
});

test('piped, a table keeps its full width and has no ANSI codes even with headers styled', async () => {
  const stdout = capture(false);
  await createOutput(stdout, capture(false), {}).table(columns, rows);
  assert.ok(stdout.text.includes('Llama 3.1 8B Instant with a long descriptive name'));
  assert.doesNotMatch(stdout.text, /\u001b/);
});

// The quota table with the columns `quota` really uses: ids, figures, a bar, two dates and a status.
const quotaRows: string[][] = [
  [
    'llama-3.1-8b-instant',
    'groq',
    'tokens/month',
    '182,340 / 1,000,000',
    '817,660',
    '██░░░░░░░░░░',
    '2026-12-15',
    'never',
    'active',
  ],
  [
    'Qwen2.5-7B-Instruct',
    'siliconflow',
    'tpd',
    '0 / 500,000',
    '500,000',
    '░░░░░░░░░░░░',
    '2026-11-27',
    'never',
    'no key',
  ],
  ['deepseek-v3.2', 'aliyun', 'tokens/month', '0 / 1,000,000', '0', '░░░░░░░░░░░░', '—', '2026-03-03', 'expired'],
  // A tier counted in the provider's windows: its other limits are rows of their own, under its first.
  ['', '', 'rpd', '14,400 / 14,400', '0', '████████████', '00:00 UTC', '', ''],
];

async function render(
  width: number,
  cols: Column[],
  rows: string[][],
  env: NodeJS.ProcessEnv = { NO_COLOR: '1' },
): Promise<string[]> {
  const stdout = capture(true, width);
  await createOutput(stdout, capture(true), env).table(cols, rows);
  return stdout.text.trimEnd().split('\n');
}
const headers = (line: string) => line.split(/ {2,}/);

test('ids are never cut: a column without shrink keeps every character even when the table cannot fit', async () => {
  for (const width of [60, 30, 10]) {
    const lines = await render(width, columns, rows);
    assert.ok(lines[1]!.startsWith('llama-3.1-8b-instant  '), lines[1]);
    assert.ok(lines[2]!.startsWith('moonshot-v1-8k  '), lines[2]);
  }
  // The descriptive column gives way first, and only it is cut.
  const lines = await render(40, columns, rows);
  assert.equal(lines[1], 'llama-3.1-8b-instant  Llama 3.…     128K');
  assert.equal(headers(lines[0]!).join('|'), 'MODEL|NAME|CONTEXT');
});

test('optional columns are dropped, lowest priority first, until the table fits 100, 80 and 70 columns (each limit keeps its bar at 100)', async () => {
  const at = async (width: number) => {
    const lines = await render(width, QUOTA_COLUMNS, quotaRows);
    for (const line of lines) assert.ok(displayWidth(line) <= width, `"${line}" is wider than ${width}`);
    for (const id of ['llama-3.1-8b-instant', 'Qwen2.5-7B-Instruct', 'deepseek-v3.2', 'siliconflow']) {
      assert.ok(
        lines.some((l) => l.includes(id)),
        `${id} was cut at ${width}`,
      );
    }
    return lines;
  };
  const full = await render(200, QUOTA_COLUMNS, quotaRows);
  assert.equal(headers(full[0]!).join('|'), 'MODEL|PROVIDER|LIMIT|USED / TOTAL|REMAINING|USAGE|RESETS|EXPIRES|STATUS');
  assert.equal(headers((await at(105))[0]!).join('|'), 'MODEL|PROVIDER|LIMIT|REMAINING|USAGE|RESETS|STATUS');
  assert.equal(headers((await at(100))[0]!).join('|'), 'MODEL|PROVIDER|LIMIT|REMAINING|USAGE|RESETS|STATUS');
  const eighty = await at(80);
  assert.equal(headers(eighty[0]!).join('|'), 'MODEL|PROVIDER|LIMIT|REMAINING|RESETS|STATUS');
  assert.equal(eighty[3], 'deepseek-v3.2         aliyun       tokens/month          0  —           expired');
  const seventy = await at(70); // LIMIT is never dropped: a sub-row without it says nothing
  assert.equal(headers(seventy[0]!).join('|'), 'MODEL|PROVIDER|LIMIT|REMAINING|STATUS');
  assert.equal(seventy[1], 'llama-3.1-8b-instant  groq         tokens/month    817,660  active');
});

test('optional columns sharing a priority go together, and paint still gets the original column index', async () => {
  const cols: Column[] = [
    { header: 'ID' },
    { header: 'AMOUNT', align: 'right', optional: true, priority: 1 },
    { header: 'UNIT', optional: true, priority: 1 },
    { header: 'NOTE', shrink: true, min: 12 },
  ];
  const body = [['abc', '1,000', 'tokens', 'a note that is rather long']];
  const stdout = capture(true, 20);
  const painted: string[] = [];
  await createOutput(stdout, capture(true), { NO_COLOR: '1' }).table(
    cols,
    body,
    (_r, c, text) => (painted.push(`${c}:${text.trim()}`), text),
  );
  const lines = stdout.text.trimEnd().split('\n');
  assert.deepEqual(headers(lines[0]!), ['ID', 'NOTE']);
  assert.equal(lines[1], 'abc  a note that is…');
  assert.deepEqual(painted, ['0:abc', '3:a note that is rather long']);
  // With room for both, neither goes: a figure never loses its unit alone.
  assert.deepEqual(headers((await render(60, cols, body))[0]!), ['ID', 'AMOUNT', 'UNIT', 'NOTE']);
});

test('a shrinkable column is cut below its min only once every optional column is gone', async () => {
  const cols: Column[] = [
    { header: 'MODEL' },
    { header: 'CONTEXT', align: 'right', optional: true },
    { header: 'FREE TIER', shrink: true, min: Infinity },
  ];
  const body = [['llama-3.1-8b-instant', '128K', '0 left, resets 2026-12-15']];
  assert.deepEqual(await render(60, cols, body), [
    'MODEL                 CONTEXT  FREE TIER',
    'llama-3.1-8b-instant     128K  0 left, resets 2026-12-15',
  ]);
  assert.deepEqual(await render(50, cols, body), [
    'MODEL                 FREE TIER',
    'llama-3.1-8b-instant  0 left, resets 2026-12-15',
  ]);
  assert.deepEqual(await render(40, cols, body), [
    'MODEL                 FREE TIER',
    'llama-3.1-8b-instant  0 left, resets 20…',
  ]);
});

// A name in Chinese with an emoji: two display columns a character, one string-length unit (or two) each.
const wide = [
  ['qwen-lab-7b', '通义千问 实验版 🚀 七十亿参数', '32K'],
  ['moonshot-v1-8k', 'Moonshot V1 8K', '8K'],
];

test('wide characters count two columns: the rows line up and a cut name fits its column', async () => {
  const full = await render(200, columns, wide);
  assert.deepEqual(full, [
    'MODEL           NAME                           CONTEXT',
    'qwen-lab-7b     通义千问 实验版 🚀 七十亿参数      32K',
    'moonshot-v1-8k  Moonshot V1 8K                      8K',
  ]);
  for (const width of [40, 36, 32]) {
    const lines = await render(width, columns, wide);
    for (const line of lines) assert.ok(displayWidth(line) <= width, `${displayWidth(line)} > ${width}: "${line}"`);
    // CONTEXT ends in the same display column on every line.
    const ends = lines.map((l) => cells(l).length);
    assert.deepEqual(new Set(ends).size, 1, lines.join('\n'));
    assert.match(lines[1]!, /^qwen-lab-7b {5}通义.*…/);
  }
});

test('piped, a table is never cut nor a column dropped, whatever COLUMNS says', async () => {
  for (const COLUMNS of ['40', '60', '80', '0', 'abc', undefined]) {
    const stdout = capture(false);
    const out = createOutput(stdout, capture(false), { COLUMNS });
    assert.equal(out.width, Infinity);
    await out.table(QUOTA_COLUMNS, quotaRows);
    const lines = stdout.text.trimEnd().split('\n');
    assert.equal(
      headers(lines[0]!).join('|'),
      'MODEL|PROVIDER|LIMIT|USED / TOTAL|REMAINING|USAGE|RESETS|EXPIRES|STATUS',
      `COLUMNS=${COLUMNS}`,
    );
    assert.equal(
      lines[1],
      'llama-3.1-8b-instant  groq         tokens/month  182,340 / 1,000,000    817,660  ██░░░░░░░░░░  2026-12-15  never       active',
    );
    assert.doesNotMatch(stdout.text, /…/);
  }
});

test('on a terminal the width is its own; COLUMNS only stands in when it reports none', () => {
  assert.equal(createOutput(capture(true, 100), capture(true), { COLUMNS: '40' }).width, 100);
  assert.equal(createOutput(capture(true), capture(true), { COLUMNS: '70' }).width, 70);
  assert.equal(createOutput(capture(true, 0), capture(true), {}).width, 80);
});

test('colour: a TTY colours, NO_COLOR wins over it, FORCE_COLOR wins over a pipe, TERM=dumb does not colour', async () => {
  assert.equal(colorEnabled({ write() {}, isTTY: true }, {}), true);
  assert.equal(colorEnabled({ write() {}, isTTY: true }, { NO_COLOR: '1' }), false);
  assert.equal(colorEnabled({ write() {}, isTTY: false }, { FORCE_COLOR: '1' }), true);
  assert.equal(colorEnabled({ write() {}, isTTY: false }, { FORCE_COLOR: '0' }), false);
  assert.equal(colorEnabled({ write() {}, isTTY: true }, { TERM: 'dumb' }), false);
  const out = createOutput(capture(true), capture(false), {});
  await out.ready();
  assert.equal(out.style.red('x'), '\u001b[31mx\u001b[39m');
  assert.equal(out.style.bold(''), '', 'nothing painted around nothing');
  assert.equal(out.errStyle.red('x'), 'x');
  const piped = createOutput(capture(false), capture(false), {});
  await piped.ready();
  assert.equal(piped.style.red('x'), 'x');
});

test('model text bound for a terminal loses control sequences but keeps tabs, newlines and any script', () => {
  assert.equal(terminalSafe('ok\u001b]0;pwned\u0007 \u001b[2Jdone\r\n\tnext'), 'ok]0;pwned [2Jdone\n\tnext');
  assert.equal(terminalSafe('中文 — ünïcode ✓'), '中文 — ünïcode ✓');
});

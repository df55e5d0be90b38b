// A table of many rows (issue 21, point 10: `models` with 30,000 models took 105 s, as cli-table3 lays a table out
// in time quadratic in its rows). Drawn in blocks of TABLE_BLOCK rows, it must read exactly as one table: one header,
// every row once and in order, every column starting at the same place on every line.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderTable, TABLE_BLOCK } from '../../src/cli/common/table.ts';

const plain = (s: string) => s;

test('rows across several blocks line up as one table, with one header', () => {
  const n = TABLE_BLOCK * 2 + 7;
  // The widest cell of each column sits in the last block: widths are the whole table's, not a block's.
  const rows = Array.from({ length: n }, (_, i) => [
    `model-${i}`,
    i === n - 1 ? 'groq-with-a-long-name' : 'groq',
    `${i}`,
  ]);
  const text = renderTable([{ header: 'MODEL' }, { header: 'PROVIDER' }, { header: 'N', align: 'right' }], rows, {
    width: Number.POSITIVE_INFINITY,
    header: plain,
    paint: (_r, _c, t) => t,
  });
  const lines = text.split('\n');
  assert.equal(lines.pop(), '', 'ends with one newline');
  assert.equal(lines.length, n + 1, 'one header and each row once');
  assert.match(lines[0]!, /^MODEL +PROVIDER +N$/);
  const providerAt = lines[0]!.indexOf('PROVIDER');
  const end = lines[0]!.length;
  lines.slice(1).forEach((line, i) => {
    assert.ok(line.startsWith(`model-${i} `), `row ${i} in order: ${line}`);
    assert.equal(line.indexOf('groq'), providerAt, `row ${i}'s provider column`);
    assert.equal(line.length, end, `row ${i}'s right-aligned number ends where the header does`);
  });
});

test('an empty table is its header alone', () => {
  const text = renderTable([{ header: 'MODEL' }], [], { width: 80, header: plain, paint: (_r, _c, t) => t });
  assert.equal(text, 'MODEL\n');
});

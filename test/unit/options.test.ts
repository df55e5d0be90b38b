import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseNumberInRange } from '../../src/cli/common/options.ts';
import { UsageError } from '../../src/core/errors.ts';

test('--temperature takes any decimal form Number() reads, exponents included', () => {
  const t = (v: string) => parseNumberInRange(v, '--temperature', 0, 2);
  assert.deepEqual(['1e0', '0.7', '.5', '2.', '5e-1', '+1', ' 1E0 '].map(t), [1, 0.7, 0.5, 2, 0.5, 1, 1]);
});

test('--temperature still refuses empty, hex, Infinity, NaN and out-of-range values', () => {
  for (const v of ['', '  ', '0x1', 'Infinity', 'NaN', '1e1', '-0.1', '1e', 'e1']) {
    assert.throws(() => parseNumberInRange(v, '--temperature', 0, 2), UsageError, `accepted ${JSON.stringify(v)}`);
  }
});

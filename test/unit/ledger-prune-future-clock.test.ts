// Issue 9: one run with LLM_GATEWAY_NOW=2099-01-01 pruned the real rows (its cutoff was 2099 minus 90 days) and
// recorded a prune in 2099, so real-time runs never pruned again. A prune now never goes past the wall clock, and a
// recorded prune later than the wall clock is stale. The wall clock is injected (T0), so this holds on any date.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openDatabase } from '../../src/store/ledger-file.ts';
import { QuotaStore } from '../../src/store/quota-store.ts';
import { T0, tempDir, usage } from '../helpers/ledger-fixtures.ts';

const DAY = 86_400_000;
const FAR_FUTURE = Date.parse('2099-01-01T00:00:00Z');

function ledgerAt(wall: number) {
  const path = join(tempDir(), 'ledger.db');
  const db = openDatabase(path);
  const quota = new QuotaStore(db, path, () => wall);
  const ids = () => db.prepare('SELECT request_id FROM usage ORDER BY at').pluck().all() as string[];
  const prunedAt = () =>
    db.prepare("SELECT value FROM ledger_meta WHERE name = 'pruned_at'").pluck().get() as number | undefined;
  return { db, quota, ids, prunedAt };
}

test('a settle with LLM_GATEWAY_NOW in 2099 pruned the real rows and stopped later pruning: rows kept, pruned_at not in the future', () => {
  const { db, quota, ids, prunedAt } = ledgerAt(T0);
  try {
    quota.importUsage([
      usage('ancient', { at: T0 - 100 * DAY }),
      usage('last-month', { at: T0 - 30 * DAY }),
      usage('yesterday', { at: T0 - DAY }),
    ]);
    quota.settle(usage('from-2099', { at: FAR_FUTURE }));
    assert.deepEqual(ids(), ['last-month', 'yesterday', 'from-2099'], 'only rows past 90 days of the real clock go');
    assert.equal(prunedAt(), T0, 'the prune is recorded at the wall clock, not in 2099');
    quota.settle(usage('later-that-day', { at: T0 + 1000 }));
    assert.ok(ids().includes('last-month'));
  } finally {
    db.close();
  }
});

test('a pruned_at in the future (left by such a run) is stale: the next real-time settle prunes', () => {
  const { db, quota, ids, prunedAt } = ledgerAt(T0);
  try {
    db.prepare("INSERT INTO ledger_meta (name, value) VALUES ('pruned_at', ?)").run(FAR_FUTURE);
    quota.importUsage([usage('ancient', { at: T0 - 100 * DAY }), usage('recent', { at: T0 - DAY })]);
    quota.settle(usage('now', { at: T0 }));
    assert.deepEqual(ids(), ['recent', 'now']);
    assert.equal(prunedAt(), T0);
  } finally {
    db.close();
  }
});

// The request log contract (test/helpers/activity-log-contract.ts) on the shared database, against a real server
// (test/helpers/postgres.ts): the same tests test/unit/activity-log-contract.test.ts runs on SQLite, each on a new,
// empty database. And its prune: the daily one of the quota ledger takes the log's detailed rows past 90 days with
// the usage rows (as test/unit/ledger-prune.test.ts shows on SQLite), its daily totals stay.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { openPgLedger } from '../../src/store/postgres/open.ts';
import { activityLogContract } from '../helpers/activity-log-contract.ts';
import { T0, usage } from '../helpers/ledger-fixtures.ts';
import { freshDatabase } from '../helpers/postgres.ts';

activityLogContract('PostgreSQL (a real server)', async () => (await openPgLedger(await freshDatabase())).activity);

it('PostgreSQL: the daily prune takes requests past 90 days, keeps their daily totals', async () => {
  const DAY = 86_400_000;
  const { quota, activity } = await openPgLedger(await freshDatabase());
  const request = (id: string, at: number) => ({
    id,
    at,
    origin: 'serve' as const,
    inputTokens: 1,
    outputTokens: 1,
    ms: 1,
    outcome: 'failed' as const,
    fallbacks: [],
  });
  await activity.record(request('old', T0 - 100 * DAY), request('recent', T0 - DAY));
  await quota.settle(usage('today')); // the first settle of the day prunes
  assert.deepEqual(
    (await activity.recent({ limit: 10 })).map((e) => e.id),
    ['recent'],
  );
  const old = T0 - 100 * DAY - ((T0 - 100 * DAY) % DAY);
  const totals = await activity.dailyRequests({ since: old, until: old });
  assert.deepEqual(
    totals.map((r) => r.failures),
    [1],
  );
  await quota.close();
});

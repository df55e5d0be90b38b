// The usage report's read of the quota ledger (test/helpers/daily-usage-contract.ts) on the SQLite store;
// test/e2e/postgres-daily-usage.test.ts runs the same test on PostgreSQL.
import { join } from 'node:path';
import { openLedger } from '../../src/store/ledger.ts';
import { sqliteQuota } from '../../src/store/quota-backend.ts';
import { dailyUsageContract } from '../helpers/daily-usage-contract.ts';
import { tempDir } from '../helpers/ledger-fixtures.ts';

dailyUsageContract('SQLite quota store', async () => {
  const path = join(tempDir(), 'ledger.db');
  return sqliteQuota(openLedger(path).quota, path);
});

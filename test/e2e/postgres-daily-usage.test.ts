// The usage report's read of the quota ledger (test/helpers/daily-usage-contract.ts) on PostgreSQL, a real server
// (test/helpers/postgres.ts), a new database each time: the same test test/unit/daily-usage-contract.test.ts runs
// on SQLite.
import { openPgQuota } from '../../src/store/postgres/open.ts';
import { dailyUsageContract } from '../helpers/daily-usage-contract.ts';
import { freshDatabase } from '../helpers/postgres.ts';

dailyUsageContract('PostgreSQL quota store (a real server)', async () => openPgQuota(await freshDatabase()));

// The request log contract (test/helpers/activity-log-contract.ts) on the shared database, against a real server
// (test/helpers/postgres.ts): the same tests test/unit/activity-log-contract.test.ts runs on SQLite, each on a new,
// empty database.
import { openPgLedger } from '../../src/store/postgres/open.ts';
import { activityLogContract } from '../helpers/activity-log-contract.ts';
import { freshDatabase } from '../helpers/postgres.ts';

activityLogContract('PostgreSQL (a real server)', async () => (await openPgLedger(await freshDatabase())).activity);

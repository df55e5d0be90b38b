// The request log contract (test/helpers/activity-log-contract.ts) on the SQLite store in each machine's ledger.db.
// test/e2e/postgres-activity-log.test.ts runs the same tests on PostgreSQL.
import { join } from 'node:path';
import { openLedger } from '../../src/store/ledger.ts';
import { activityLogContract } from '../helpers/activity-log-contract.ts';
import { tempDir } from '../helpers/ledger-fixtures.ts';

activityLogContract('SQLite (ledger.db)', async () => openLedger(join(tempDir(), 'ledger.db')).activity);

// The quota ledger contract (test/helpers/quota-ledger-contract.ts) on the PostgreSQL store, against a real server
// (test/helpers/postgres.ts): the same tests test/unit/quota-ledger-contract.test.ts runs on SQLite, each on a new,
// empty database.
import { openPgQuota } from '../../src/store/postgres/open.ts';
import { freshDatabase } from '../helpers/postgres.ts';
import { quotaBackendContract, quotaLedgerContract } from '../helpers/quota-ledger-contract.ts';

const postgres = async () => openPgQuota(await freshDatabase());
quotaLedgerContract('PostgreSQL quota store (a real server)', postgres);
quotaBackendContract('PostgreSQL quota store (a real server)', postgres);

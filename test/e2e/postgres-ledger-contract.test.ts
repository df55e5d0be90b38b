// The quota ledger contract (test/helpers/quota-ledger-contract.ts) on the PostgreSQL store, against a real server
// (test/helpers/postgres.ts): the same tests test/unit/quota-ledger-contract.test.ts runs on SQLite, each on a new,
// empty database.
import { openPgQuota } from '../../src/store/postgres/open.ts';
import { freshDatabase } from '../helpers/postgres.ts';
import { quotaLedgerContract } from '../helpers/quota-ledger-contract.ts';

quotaLedgerContract('PostgreSQL quota store (a real server)', async () => openPgQuota(await freshDatabase()));

// The quota ledger contract (test/helpers/quota-ledger-contract.ts) on the SQLite store the commands use by default
// and on the in-memory ledger the gateway tests use. test/e2e/postgres-ledger-contract.test.ts runs the same tests
// on PostgreSQL.
import { join } from 'node:path';
import { openLedger } from '../../src/store/ledger.ts';
import { sqliteQuota } from '../../src/store/quota-backend.ts';
import { tempDir } from '../helpers/ledger-fixtures.ts';
import { MemoryLedger } from '../helpers/memory-ledger.ts';
import { quotaBackendContract, quotaLedgerContract } from '../helpers/quota-ledger-contract.ts';

const sqlite = async () => {
  const path = join(tempDir(), 'ledger.db');
  return sqliteQuota(openLedger(path).quota, path);
};
quotaLedgerContract('SQLite quota store', sqlite);
quotaBackendContract('SQLite quota store', sqlite);
quotaLedgerContract('in-memory ledger of the gateway tests', async () => new MemoryLedger());

// Opening the shared ledger: one connection first, to learn at once whether the database is there (exit 3 naming
// the host, before any call, when it is not) and to bring its schema up to date, then the pool for the work.
import { ConfigError } from '../../core/errors.ts';
import { DATABASE_URL_ENV } from '../database-url.ts';
import { createPgConnection, type PgConnection } from './pg-connection.ts';
import { PgActivity } from './pg-activity.ts';
import { PgQuota } from './pg-quota.ts';
import { UsageSpool } from './usage-spool.ts';
import { migratePg, NewerSchemaError, PG_SCHEMA_VERSION } from './pg-schema.ts';

export { PG_SCHEMA_VERSION };

/** What lives in the shared database, over one pool: the quota ledger and the request log. */
export interface PgLedger {
  quota: PgQuota;
  activity: PgActivity;
}

/** Connects, migrates (once, under an advisory lock, whichever process is first) and returns the shared ledger. */
export async function openPgLedger(url: string, options: { spool?: string; source?: string } = {}): Promise<PgLedger> {
  const connection = createPgConnection(url, options.source);
  try {
    await prepare(connection);
  } catch (err) {
    await connection.close().catch(() => undefined);
    throw err;
  }
  const quota = new PgQuota(connection, options.spool === undefined ? undefined : new UsageSpool(options.spool));
  await quota.replayKept();
  return { quota, activity: new PgActivity(connection) };
}

/** The shared quota ledger alone (`ledger copy`, the tests). */
export async function openPgQuota(url: string, options: { spool?: string; source?: string } = {}): Promise<PgQuota> {
  return (await openPgLedger(url, options)).quota;
}

/** The schema version the database was at before this process connected (0: it was new). */
async function prepare(connection: PgConnection): Promise<number> {
  return connection.guard(async () => {
    const client = await connection.pool.connect();
    try {
      return await migratePg(client);
    } catch (err) {
      if (err instanceof NewerSchemaError)
        throw new ConfigError(
          `the shared quota ledger ${connection.description} was written by a newer llm-gateway (${err.message})`,
          `upgrade llm-gateway on this machine; or, to use this machine's own ledger meanwhile, unset ${DATABASE_URL_ENV}`,
        );
      throw err;
    } finally {
      client.release();
    }
  });
}

/** What `doctor` reports of the shared ledger: reached, and its schema version (applying what is missing). */
export async function checkPgLedger(
  url: string,
  source?: string,
): Promise<{ description: string; version: number; found: number }> {
  const connection = createPgConnection(url, source);
  try {
    const found = await prepare(connection);
    return { description: connection.description, version: PG_SCHEMA_VERSION, found };
  } finally {
    await connection.close().catch(() => undefined);
  }
}

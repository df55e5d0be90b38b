// The connection pool to the shared ledger, and how its failures reach the user. Loaded only by commands that use
// the ledger with a database URL set (the runtime imports this folder on first use), so `--version` and `models`
// never load the driver. The pool is bounded, each statement has a time limit, TLS follows the URL's `sslmode` (the
// driver reads it), and an idle connection the server drops is replaced, not fatal. Every failure becomes a
// ConfigError (exit 3; HTTP 503 in serve) naming the host, never the password, with the way back to the local ledger.
import { accessSync, constants } from 'node:fs';
import pg from 'pg';
import { ConfigError } from '../../core/errors.ts';
import {
  DATABASE_URL_ENV,
  databaseHost,
  describeDatabase,
  parseDatabaseUrl,
  withoutPassword,
} from '../database-url.ts';

/** Connections one process holds at most: serve's concurrent requests queue for them beyond that. */
export const POOL_SIZE = 10;
/** How long a connection may take to open, and a statement to run, before the call is refused (ms). */
export const CONNECT_TIMEOUT_MS = 5_000;
export const STATEMENT_TIMEOUT_MS = 5_000;

const OID_INT8 = 20;
const OID_NUMERIC = 1700;
/** BIGINT and sum()s (NUMERIC) as numbers: epoch milliseconds and token counts stay far below 2^53. */
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === OID_INT8 || oid === OID_NUMERIC ? Number : pg.types.getTypeParser(oid, format as 'text')) as never,
};

/** `?` placeholders (the SQLite statements' style) as PostgreSQL's `$1, $2, …`. The text holds no literal `?`. */
export function dollarParams(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

export interface PgConnection {
  readonly pool: pg.Pool;
  /** The database as messages name it: no password. */
  readonly description: string;
  /** Runs `work`, turning any failure of the driver or the server into a ConfigError that names no secret. */
  guard<T>(work: () => Promise<T>): Promise<T>;
  /** Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** `source`: where the URL came from (the variable, settings, `--to`), for the hints that say what to fix. */
export function createPgConnection(url: string, source = DATABASE_URL_ENV): PgConnection {
  checkTlsFiles(url, source);
  const pool = new pg.Pool({
    connectionString: url,
    max: POOL_SIZE,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    // A client-side bound too: a server that stops answering (killed, network gone) fails the query, not hangs it.
    query_timeout: STATEMENT_TIMEOUT_MS + 1_000,
    idle_in_transaction_session_timeout: STATEMENT_TIMEOUT_MS,
    application_name: 'llm-gateway',
    allowExitOnIdle: true,
    types,
  });
  // A pooled connection the server closes while idle (a restart) emits here; without a listener it would crash
  // the process. The next query opens a new connection, or fails through `guard`.
  pool.on('error', () => undefined);
  const description = describeDatabase(url);
  const connection: PgConnection = {
    pool,
    description,
    async guard(work) {
      try {
        return await work();
      } catch (err) {
        throw asDatabaseError(err, url, source);
      }
    },
    async transaction(work) {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        broken = await client.query('ROLLBACK').then(
          () => false,
          () => true,
        );
        throw err;
      } finally {
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
  return connection;
}

/**
 * The driver reads the URL's certificate and key files as it connects and throws a bare ENOENT for a missing one;
 * checked first, it is a ConfigError naming the file and the parameter (the path holds no secret).
 */
function checkTlsFiles(url: string, source: string): void {
  let params: URLSearchParams;
  try {
    params = parseDatabaseUrl(url).searchParams;
  } catch {
    return;
  }
  for (const name of ['sslrootcert', 'sslcert', 'sslkey']) {
    const file = params.get(name);
    if (file === null || file === '' || file === 'system') continue;
    try {
      accessSync(file, constants.R_OK);
    } catch (err) {
      const code = (err as { code?: string }).code ?? 'unreadable';
      throw new DatabaseError(
        `cannot read ${file} (${code}): it comes from the database URL's ${name} (${describeDatabase(url)})`,
        `fix or remove ${name} in ${source}; ${FALL_BACK}`,
        false,
      );
    }
  }
}

/**
 * Connection-level failures: the server cannot be reached or went away; anything else is a refusal by it. ENOENT is
 * a Unix socket with no server behind it (certificate files are checked before connecting).
 */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENOENT',
]);

/** Whether `err` (as thrown by the driver, or a ConfigError made of it) means the database could not be reached. */
export function isUnreachable(err: unknown): boolean {
  if (err instanceof DatabaseError) return err.unreachable;
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (UNREACHABLE.has(code) || code.startsWith('08') || code === '57P01')) return true;
  return typeof message === 'string' && /timeout|terminated|Connection ended|not queryable/i.test(message);
}

/** A ConfigError from the shared database, remembering whether it was unreachable (for the local spool). */
export class DatabaseError extends ConfigError {
  constructor(
    message: string,
    hint: string,
    readonly unreachable: boolean,
    /** host:port, for a front end's own words when it is unreachable (serve's 503). */
    host?: string,
  ) {
    super(message, hint, undefined, unreachable ? 'unreachable' : undefined, host);
  }
}

const FALL_BACK = `to use this machine's own ledger instead, unset ${DATABASE_URL_ENV} (and \`database.url\` in settings.json)`;

export function asDatabaseError(err: unknown, url: string, source = DATABASE_URL_ENV): unknown {
  if (err instanceof ConfigError) return err;
  const { code, message } = err as { code?: unknown; message?: unknown };
  const said = withoutPassword(typeof message === 'string' ? message : String(err), url);
  const where = describeDatabase(url);
  if (isUnreachable(err)) {
    return new DatabaseError(
      `cannot reach the shared quota ledger at ${databaseHost(url)} (${where}): ${said}`,
      `check that PostgreSQL is running there and reachable from this machine; ${FALL_BACK}`,
      true,
      databaseHost(url),
    );
  }
  if (code === '28P01' || code === '28000') {
    return new DatabaseError(
      `the shared quota ledger ${where} refused the login: ${said}`,
      `check the user and password in ${source}; ${FALL_BACK}`,
      false,
    );
  }
  if (code === '3D000') {
    return new DatabaseError(
      `the shared quota ledger ${where} does not exist: ${said}`,
      `create it (\`createdb\`) or name an existing database in ${source}; ${FALL_BACK}`,
      false,
    );
  }
  if (typeof code === 'string' && /^(23|42|53|54|22)/.test(code)) {
    return new DatabaseError(
      `the shared quota ledger ${where} refused a statement: ${said} (${code})`,
      FALL_BACK,
      false,
    );
  }
  return err;
}

// A real PostgreSQL server for the tests: the one in LLM_GATEWAY_TEST_DATABASE_URL (started by
// scripts/with-postgres.mjs for `npm test`, `npm run test:pg` and CI), else a throw-away cluster this test process
// starts itself from Debian's server binaries and stops at exit. Each test takes a new, empty database on it.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startCluster } from '../../scripts/pg-cluster.mjs';

let server: Promise<string> | undefined;

/** The URL of a database on the test server with the rights to create databases (its `postgres` database). */
export function testServerUrl(): Promise<string> {
  server ??= (async () => {
    const given = process.env.LLM_GATEWAY_TEST_DATABASE_URL;
    if (given) return given;
    const cluster = await startCluster();
    process.on('exit', () => cluster.stop());
    return cluster.url;
  })();
  return server;
}

/** A URL naming a new, empty database on the test server (a ledger nobody has used: no schema yet). */
export async function freshDatabase(): Promise<string> {
  const admin = await testServerUrl();
  const name = `llmgw_${randomBytes(6).toString('hex')}`;
  await runSql(admin, `CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs `sql` on the database at `url` with its own short-lived connection; resolves to the rows. */
export async function runSql(url: string, sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

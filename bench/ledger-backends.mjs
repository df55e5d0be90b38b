// Reserve + settle per call on the two quota ledgers: SQLite (ledger.db, the default) and PostgreSQL on loopback
// (a throw-away cluster from scripts/pg-cluster.mjs, or the server in LLM_GATEWAY_TEST_DATABASE_URL). One caller,
// one call after another: what each call adds to a request before its answer can start (reserve) and after it
// ends (settle), through the same QuotaBackend the gateway uses. Prints p50 and p99 per call and the ratio.
//   node --import tsx bench/ledger-backends.mjs [calls]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startCluster } from '../scripts/pg-cluster.mjs';
import { openLedger } from '../src/store/ledger.ts';
import { openPgQuota } from '../src/store/postgres/open.ts';
import { sqliteQuota } from '../src/store/quota-backend.ts';

const CALLS = Number(process.argv[2] ?? 2000);
const TIER = 'groq:llama-3.1-8b-instant';
const now = Date.now();

async function timeCalls(quota) {
  const times = [];
  for (let i = 0; i < CALLS + 100; i++) {
    const requestId = `bench-${i}`;
    const started = performance.now();
    const ok = await quota.reserve({
      requestId,
      tierKey: TIER,
      tokens: 1034,
      inputTokens: 10,
      limits: [{ unit: 'tokens', windowStart: now - 86_400_000, limit: Number.MAX_SAFE_INTEGER }],
      expiresAt: now + 900_000,
      now,
    });
    if (!ok) throw new Error('an unlimited reservation was refused');
    await quota.settle({
      requestId,
      provider: 'groq',
      model: 'llama-3.1-8b-instant',
      tierKey: TIER,
      billing: 'free-tier',
      inputTokens: 11,
      outputTokens: 3,
      estimated: false,
      outcome: 'ok',
      at: now,
    });
    if (i >= 100) times.push(performance.now() - started); // the first 100 warm up
  }
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  return { p50: at(0.5), p99: at(0.99) };
}

const path = join(mkdtempSync(join(tmpdir(), 'llmgw-bench-backends-')), 'ledger.db');
const ledger = openLedger(path);
const sqlite = await timeCalls(sqliteQuota(ledger.quota, path));
ledger.close();

let cluster;
let url = process.env.LLM_GATEWAY_TEST_DATABASE_URL;
if (!url) {
  cluster = await startCluster();
  url = cluster.url;
}
const admin = new pg.Client({ connectionString: url });
await admin.connect();
const name = `llmgw_bench_${process.pid}`;
await admin.query(`CREATE DATABASE ${name}`);
const target = new URL(url);
target.pathname = `/${name}`;
const shared = await openPgQuota(target.toString());
const postgres = await timeCalls(shared);
await shared.close();
await admin.query(`DROP DATABASE ${name}`);
await admin.end();
cluster?.stop();

const ms = (v) => `${v.toFixed(3)} ms`;
console.log(`reserve + settle, ${CALLS} calls one after another (after 100 to warm up)`);
console.log(`  SQLite (WAL, synchronous=NORMAL)  p50 ${ms(sqlite.p50)}  p99 ${ms(sqlite.p99)}`);
console.log(`  PostgreSQL (loopback)             p50 ${ms(postgres.p50)}  p99 ${ms(postgres.p99)}`);
console.log(
  `  ratio PostgreSQL / SQLite         p50 ${(postgres.p50 / sqlite.p50).toFixed(1)}x  p99 ${(postgres.p99 / sqlite.p99).toFixed(1)}x`,
);

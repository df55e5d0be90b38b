// How `models` and `migrate --dry-run` grow with the catalog (issue 21, point 10): `models` over N models added in
// settings.json, and `migrate --dry-run` of an api-gateway quota.json with N tiers for models the catalog lacks.
// Linear code doubles its time when N doubles; the ratio column says which it is.
//   node bench/catalog-scale.mjs [models N...] [tiers N...]   e.g. node bench/catalog-scale.mjs 7500 15000 30000
// Defaults: models at 7,500 / 15,000 / 30,000, tiers at 2,500 / 5,000 / 10,000; one run each (these are minutes
// per run on the old code, not milliseconds), so read the ratios, not the times, on a loaded machine.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

/** BENCH_BIN: another build's bin/llm-gateway.js to measure (the code before a change, built apart). */
const BIN = process.env.BENCH_BIN ?? fileURLToPath(new URL('../bin/llm-gateway.js', import.meta.url));
const args = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const modelCounts = args.length ? args : [7_500, 15_000, 30_000];
const tierCounts = args.length ? args.map((n) => Math.round(n / 3)) : [2_500, 5_000, 10_000];

/** Wall time of one run, in ms; stdout is thrown away (a 30,000-row table outgrows spawnSync's buffer). */
function timeOnce({ cmd, args, env }) {
  const start = process.hrtime.bigint();
  const run = spawnSync(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status !== 0) throw new Error(`${args.join(' ')} exited ${run.status ?? run.signal}: ${run.stderr}`);
  return ms;
}

function home() {
  const dir = mkdtempSync(join(tmpdir(), 'llmgw-scale-'));
  return dir;
}

function modelsRun(n) {
  const dir = home();
  const models = Array.from({ length: n }, (_, i) => ({
    id: `scale-model-${String(i).padStart(6, '0')}`,
    contextWindow: 8192 + i,
    deployments: [{ provider: 'groq', price: { input: 0.1, output: 0.2 } }],
  }));
  writeFileSync(join(dir, 'settings.json'), JSON.stringify({ schemaVersion: 1, models }), { mode: 0o600 });
  const env = { ...process.env, LLM_GATEWAY_HOME: dir, COLUMNS: '120' };
  return {
    table: timeOnce({ cmd: process.execPath, args: [BIN, 'models'], env }),
    json: timeOnce({ cmd: process.execPath, args: [BIN, 'models', '--json'], env }),
  };
}

function migrateRun(n) {
  const dir = home();
  const from = join(dir, 'api-gateway');
  mkdirSync(join(from, 'data'), { recursive: true });
  const quota = {};
  for (let i = 0; i < n; i++) {
    quota[`groq:scale-tier-${String(i).padStart(6, '0')}`] = {
      totalQuota: 100_000,
      usedQuota: 10,
      resetPeriod: 'monthly',
      lastResetAt: '2026-11-15T00:00:00.000Z',
    };
  }
  writeFileSync(join(from, 'data', 'quota.json'), JSON.stringify(quota));
  writeFileSync(join(from, 'config.json'), JSON.stringify({ providers: {}, models: [], scenarios: {} }));
  const config = join(dir, 'config');
  const env = { ...process.env, LLM_GATEWAY_HOME: config, LLM_GATEWAY_NOW: '2026-11-26' };
  return timeOnce({ cmd: process.execPath, args: [BIN, 'migrate', '--dry-run', '--from', from], env });
}

const rows = [];
let last;
let lastN;
for (const n of modelCounts) {
  const t = modelsRun(n);
  rows.push(
    `models       N=${n}: table ${Math.round(t.table)} ms, --json ${Math.round(t.json)} ms` +
      (last ? `  (×${(t.table / last).toFixed(2)} for ×${(n / lastN).toFixed(1)} N)` : ''),
  );
  last = t.table;
  lastN = n;
  console.log(rows.at(-1));
}
last = undefined;
for (const n of tierCounts) {
  const t = migrateRun(n);
  rows.push(
    `migrate -n   N=${n}: ${Math.round(t)} ms` +
      (last ? `  (×${(t / last).toFixed(2)} for ×${(n / lastN).toFixed(1)} N)` : ''),
  );
  last = t;
  lastN = n;
  console.log(rows.at(-1));
}

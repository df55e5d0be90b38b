// `usage` on a year of scripted use — a million calls, with the request log's daily totals a year of serve and chat
// leaves — against bare Node, side by side in one run. It reads only the per-day rows (usage_daily and
// requests_daily), so its cost should not follow the million detailed rows.
// Target (issue 20): at most 1.5x `node -e 0`.
//   npm run build && node bench/usage.mjs [rounds]
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compare, table, timeOnce } from './lib.mjs';
import { ledgerFacts, seedLedger } from './ledger-seed.mjs';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3');

const bin = fileURLToPath(new URL('../bin/llm-gateway.js', import.meta.url));
const NOW = '2026-11-26T04:00:00Z';
const ROWS = 1_000_000;
const base = { ...process.env, LLM_GATEWAY_NOW: NOW };
for (const k of ['NO_COLOR', 'FORCE_COLOR']) delete base[k];
const home = mkdtempSync(join(tmpdir(), 'llmgw-bench-usage-'));
const env = { ...base, LLM_GATEWAY_HOME: home };

// The schema is this build's own; the rows are a year of calls, and the request log's totals for each of them.
timeOnce({ cmd: process.execPath, args: [bin, 'quota', 'reset', 'llama'], env });
const ledger = join(home, 'ledger.db');
seedLedger(ledger, ROWS, Date.parse(NOW));
const db = new Database(ledger);
db.exec(`INSERT INTO requests_daily (day, provider, model, billing, outcome, requests, fallbacks)
  SELECT day, provider, model, billing, CASE outcome WHEN 'ok' THEN 'ok' ELSE 'failed' END, sum(calls), sum(calls) / 20
  FROM usage_daily GROUP BY 1, 2, 3, 4, 5`);
const daily = db.prepare('SELECT count(*) FROM requests_daily').pluck().get();
db.close();
const facts = ledgerFacts(ledger);

const node = (args, extra = {}) => ({ cmd: process.execPath, args, env: { ...env, ...extra } });
const rounds = Number(process.argv[2] ?? 21);
const cases = [
  { name: 'node -e 0', ...node(['-e', '0']) },
  // The same ledger opened by the command the start-up bench holds to 1.5x, for reference.
  { name: 'quota --json', ...node([bin, 'quota', '--json']) },
  { name: 'usage --since 365d --json', ...node([bin, 'usage', '--since', '365d', '--json']) },
  { name: 'usage --since 30d (piped)', ...node([bin, 'usage', '--since', '30d']) },
  { name: 'usage --since 365d --by model (piped)', ...node([bin, 'usage', '--since', '365d', '--by', 'model']) },
  { name: 'usage --since 30d, FORCE_COLOR=1', ...node([bin, 'usage', '--since', '30d'], { FORCE_COLOR: '1' }) },
];
const medians = compare(cases, { rounds });
const bare = medians['node -e 0'];
console.log(
  `usage on ${facts.usage.toLocaleString('en')} usage rows (${facts.daily.toLocaleString('en')} daily totals, ` +
    `${daily.toLocaleString('en')} request-log daily totals), median of ${rounds} interleaved runs (target <= 1.5x)\n`,
);
console.log(
  table([
    ['command', 'median ms', 'vs node -e 0'],
    ...Object.entries(medians).map(([name, ms]) => [name, ms.toFixed(1), `${(ms / bare).toFixed(2)}x`]),
  ]),
);

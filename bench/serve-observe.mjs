// What serve's request log and /metrics add to each request (issue 20), measured in process against what every chat
// request already pays: the usage settle (an IMMEDIATE transaction on the ledger). Per request serve now also runs
// Metrics.observe (a few map updates) and writes its request-log row, batched with the others that finished in the
// same 50 ms into one transaction after the answers went out; a scrape renders the exposition. Ratios, one run: `node --import tsx bench/serve-observe.mjs [n]`.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLedger } from '../src/store/ledger.ts';
import { Metrics } from '../src/server/metrics.ts';
import { requestRecordOf } from '../src/server/request-record-of.ts';

const n = Number(process.argv[2] ?? 5000);
const ledger = openLedger(join(mkdtempSync(join(tmpdir(), 'llmgw-bench-observe-')), 'ledger.db'));
const now = Date.UTC(2026, 10, 26, 4);
const entry = (i) => ({
  id: `req-${i}`,
  method: 'POST',
  route: '/v1/chat/completions',
  status: 200,
  model: 'llama-3.1-8b-instant',
  provider: 'groq',
  fallbacks:
    i % 10 ? [] : [{ model: 'Qwen2.5-7B-Instruct', provider: 'siliconflow', reason: 'HTTP 500', code: 'server' }],
  inputTokens: 11,
  outputTokens: 3,
  ms: 12.5,
});
const chat = { at: now, client: 'OpenAI/JS 6.0', billing: 'free-tier', firstTokenMs: 4.2 };

function time(label, run) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) run(i);
  const us = Number(process.hrtime.bigint() - start) / 1e3 / n;
  return [label, us];
}

const batch = [];
const metrics = new Metrics(new Set(['/v1/chat/completions', '/v1/messages', '/metrics']));
const results = [
  time('settle (paid by every request already)', (i) =>
    ledger.quota.settle({
      requestId: `u-${i}`,
      provider: 'groq',
      model: 'llama-3.1-8b-instant',
      tierKey: 'groq:llama-3.1-8b-instant',
      billing: 'free-tier',
      inputTokens: 11,
      outputTokens: 3,
      estimated: false,
      outcome: 'ok',
      at: now,
    }),
  ),
  time('request log row, alone (activity.record)', (i) => void ledger.activity.record(requestRecordOf(entry(i), chat))),
  time('request log row, 20 a commit (serve batches)', (i) => {
    batch.push(requestRecordOf(entry(n + i), chat));
    if (batch.length === 20) void ledger.activity.record(...batch.splice(0));
  }),
  time('Metrics.observe', (i) => metrics.observe(entry(i), chat)),
];
const scrape = time('Metrics.render (one scrape)', () =>
  metrics.render({
    inFlight: 3,
    queued: 0,
    tiers: [{ provider: 'groq', model: 'llama-3.1-8b-instant', remaining: 5 }],
  }),
);
const base = results[0][1];
console.log(`${n} requests, µs each (ratio to the settle every request already pays):`);
for (const [label, us] of [...results, scrape])
  console.log(`  ${label.padEnd(42)} ${us.toFixed(1).padStart(8)} µs  ${(us / base).toFixed(2)}x`);
ledger.close();

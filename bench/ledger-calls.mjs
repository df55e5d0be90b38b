// What the ledger costs each call the gateway makes: the three transactions of one call (snapshot of the six
// built-in tiers, reserve, settle), in-process against a fresh ledger, as `serve` runs them one call after another.
// With BASELINE_SRC (a checkout of an older commit, its node_modules in place) the same calls run against that
// build's store too, interleaved in blocks, and the table shows both; compare ratios, not microseconds.
//   BASELINE_SRC=/tmp/ledger-baseline node --import tsx bench/ledger-calls.mjs [calls]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { table } from './lib.mjs';

const calls = Number(process.argv[2] ?? 3000);
const BLOCK = 100;
const T0 = Date.UTC(2026, 10, 30, 12);
const WINDOW_START = Date.UTC(2026, 10, 15);
const windows = ['groq:a', 'siliconflow:b', 'moonshot:c', 'aliyun:d', 'aliyun:e', 'aliyun:f'].map((key) => ({
  key,
  windowStart: WINDOW_START,
}));

async function store(root) {
  const { openLedger } = await import(join(root, 'src/store/ledger.ts'));
  const quota = openLedger(join(mkdtempSync(join(tmpdir(), 'llmgw-ledger-calls-')), 'ledger.db')).quota;
  return { quota, ns: { snapshot: 0n, reserve: 0n, settle: 0n }, done: 0 };
}

function timed(s, op, run) {
  const start = process.hrtime.bigint();
  run();
  s.ns[op] += process.hrtime.bigint() - start;
}

/** One call's ledger work, all on the tier the calls go to, one second apart. */
function call(s) {
  const i = s.done++;
  const now = T0 + i * 1000;
  const requestId = `r${i}`;
  timed(s, 'snapshot', () => s.quota.snapshot(windows, now));
  timed(s, 'reserve', () =>
    s.quota.reserve({
      requestId,
      tierKey: 'groq:a',
      tokens: 100,
      limit: 1e12,
      windowStart: WINDOW_START,
      expiresAt: now + 60_000,
      now,
    }),
  );
  const record = {
    requestId,
    provider: 'groq',
    model: 'a',
    tierKey: 'groq:a',
    billing: 'free-tier',
    inputTokens: 10,
    outputTokens: 5,
    estimated: false,
    outcome: 'ok',
    at: now,
  };
  timed(s, 'settle', () => s.quota.settle(record));
}

const builds = { 'this build': await store(fileURLToPath(new URL('..', import.meta.url))) };
if (process.env.BASELINE_SRC) builds.baseline = await store(process.env.BASELINE_SRC);
for (let done = 0; done < calls; done += BLOCK) {
  for (const s of Object.values(builds)) for (let i = 0; i < BLOCK; i++) call(s);
}
const us = (ns) => (Number(ns) / calls / 1000).toFixed(0);
console.log(
  `ledger work per call, mean µs over ${calls} calls in one monthly window (interleaved in blocks of ${BLOCK})\n`,
);
console.log(
  table([
    ['build', 'snapshot', 'reserve', 'settle', 'total'],
    ...Object.entries(builds).map(([name, s]) => [
      name,
      us(s.ns.snapshot),
      us(s.ns.reserve),
      us(s.ns.settle),
      us(s.ns.snapshot + s.ns.reserve + s.ns.settle),
    ]),
  ]),
);

// How `quota --json` and `chat --explain` time grows with the ledger (issue 9.12): 10K, 100K and 1M usage rows, spread
// over a year of scripted use or crowded into the current month's window, each timed side by side in one run as a
// ratio to `node -e 0`, in up to three states of the same rows:
//   baseline        the build at BASELINE_BIN (before daily totals and pruning), if given;
//   not pruned      this build, the ledger upgraded (m006 built the daily totals) but no call settled since;
//   pruned          this build after one real `chat` (against the local fake upstream) settled and ran the prune.
// Also printed: what is left in the file, and the one-time costs (the upgrade's first open, the first prune).
//   node --import tsx bench/ledger-growth.mjs [rounds] [sizes, comma-separated]
//   BASELINE_BIN=/tmp/ledger-baseline/bin/llm-gateway.js node --import tsx bench/ledger-growth.mjs 9
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeUpstream } from '../test/fake-upstream/index.ts';
import { compare, timeOnce } from './lib.mjs';
import { ledgerFacts, seedLedger } from './ledger-seed.mjs';

const NOW = '2026-11-30T12:00:00Z';
const MODEL = 'llama-3.1-8b-instant';
const SIZES = (process.argv[3] ?? '10000,100000,1000000').split(',').map(Number);
/** Days the rows are spread over, ending now: a year of use, or all of it inside the monthly window (from the 15th). */
const SPREADS = { year: 365, month: 14 };

const bin = fileURLToPath(new URL('../bin/llm-gateway.js', import.meta.url));
const baseline = process.env.BASELINE_BIN;
const rounds = Number(process.argv[2] ?? 9);
const fake = await startFakeUpstream();
const base = {
  ...process.env,
  LLM_GATEWAY_NOW: NOW,
  GROQ_API_KEY: 'gsk-bench-not-a-key',
  GROQ_BASE_URL: fake.openaiBaseUrl,
};
for (const k of [
  'NO_COLOR',
  'FORCE_COLOR',
  'OPENAI_API_KEY',
  'SILICONFLOW_API_KEY',
  'MOONSHOT_API_KEY',
  'ALIYUN_API_KEY',
  'ANTHROPIC_API_KEY',
]) {
  delete base[k];
}
const run = (binPath, args, home) => ({
  cmd: process.execPath,
  args: [binPath, ...args],
  env: { ...base, LLM_GATEWAY_HOME: home },
});
// --allow-paid: a million calls in a month use the free tier up, and the plan (and the call) must still have a route.
const CHAT = ['chat', '--allow-paid', '-m', MODEL, 'hi'];
const COMMANDS = { 'quota --json': ['quota', '--json'], 'chat --explain': ['chat', '--explain', ...CHAT.slice(1)] };
const load = [loadavg()];

/** A call that reaches the fake upstream, which lives in this process: spawned without blocking it. */
function timeCall({ cmd, args, env }) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) =>
      code === 0
        ? resolve(Number(process.hrtime.bigint() - start) / 1e6)
        : reject(new Error(`${args.join(' ')}: exit ${code} ${err}`)),
    );
  });
}

const work = mkdtempSync(join(tmpdir(), 'llmgw-ledger-growth-'));
const datasets = [];
for (const [spread, days] of Object.entries(SPREADS)) {
  for (const rows of SIZES) {
    const name = `${spread} ${rows / 1000}K`;
    const seeded = join(work, `${spread}-${rows}`);
    // The ledger is made by the oldest build present, so its rows are what that build's schema holds.
    timeOnce(run(baseline ?? bin, ['quota', 'reset', MODEL], seeded));
    seedLedger(join(seeded, 'ledger.db'), rows, Date.parse(NOW), days);
    const homes = {};
    for (const state of [...(baseline ? ['baseline'] : []), 'not pruned', 'pruned']) {
      homes[state] = `${seeded}-${state.replace(' ', '-')}`;
      cpSync(seeded, homes[state], { recursive: true });
      chmodSync(homes[state], 0o700);
    }
    rmSync(seeded, { recursive: true });
    const upgrade = timeOnce(run(bin, ['quota', '--json'], homes['not pruned'])); // m006 on the first open, if due
    timeOnce(run(bin, ['quota', '--json'], homes.pruned));
    const firstPrune = await timeCall(run(bin, CHAT, homes.pruned));
    const nextCall = await timeCall(run(bin, CHAT, homes.pruned));
    datasets.push({ name, rows, homes, upgrade, firstPrune, nextCall });
  }
}
load.push(loadavg());

const cases = [{ name: 'node -e 0', cmd: process.execPath, args: ['-e', '0'], env: base }];
for (const d of datasets) {
  for (const [command, args] of Object.entries(COMMANDS)) {
    for (const [state, home] of Object.entries(d.homes)) {
      cases.push({ name: `${d.name}|${command}|${state}`, ...run(state === 'baseline' ? baseline : bin, args, home) });
    }
  }
}
const medians = compare(cases, { rounds, warmup: 2 });
load.push(loadavg());
await fake.close();

const bare = medians['node -e 0'];
const states = [...(baseline ? ['baseline'] : []), 'not pruned', 'pruned'];
const ratio = (key) => `${(medians[key] / bare).toFixed(2)}×`;
const mb = (path) => `${(statSync(path).size / 1e6).toFixed(1)} MB`;
console.log(`ledger growth, median of ${rounds} interleaved runs; node -e 0 = ${bare.toFixed(1)} ms`);
console.log(
  `load average (1, 5, 15 min) at start / after seeding / at end: ${load.map((l) => l.map((x) => x.toFixed(1)).join(', ')).join(' / ')}\n`,
);
console.log(`| rows | command | ${states.join(' | ')} |`);
console.log(`|---|---|${states.map(() => '---|').join('')}`);
for (const d of datasets) {
  for (const command of Object.keys(COMMANDS)) {
    console.log(
      `| ${d.name} | \`${command}\` | ${states.map((s) => ratio(`${d.name}|${command}|${s}`)).join(' | ')} |`,
    );
  }
}
console.log(
  '\n| rows | detailed rows kept | daily rows | cooldowns left | file (not pruned → pruned) | first open (m006) | first prune call | next call |',
);
console.log('|---|---|---|---|---|---|---|---|');
for (const d of datasets) {
  const after = ledgerFacts(join(d.homes.pruned, 'ledger.db'));
  const before = ledgerFacts(join(d.homes['not pruned'], 'ledger.db'));
  console.log(
    `| ${d.name} | ${before.usage} → ${after.usage} | ${after.daily} | ${before.cooldowns} → ${after.cooldowns} | ` +
      `${mb(join(d.homes['not pruned'], 'ledger.db'))} → ${mb(join(d.homes.pruned, 'ledger.db'))} | ` +
      `${d.upgrade.toFixed(0)} ms | ${d.firstPrune.toFixed(0)} ms | ${d.nextCall.toFixed(0)} ms |`,
  );
}
rmSync(work, { recursive: true });

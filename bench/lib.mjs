// Shared helpers for the benchmarks: run commands interleaved (so machine noise hits all of them alike) and compare
// medians as ratios, never as absolute times.
import { spawnSync } from 'node:child_process';

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Wall time of one run of a command, in ms; throws if it fails. */
export function timeOnce({ cmd, args, env, input }) {
  const start = process.hrtime.bigint();
  const run = spawnSync(cmd, args, { env, input, stdio: ['pipe', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return ms;
}

/** Runs every case `rounds` times, interleaved, after `warmup` untimed rounds; returns medians by name. */
export function compare(cases, { rounds = 21, warmup = 3 } = {}) {
  const samples = Object.fromEntries(cases.map((c) => [c.name, []]));
  for (let r = 0; r < warmup + rounds; r++) {
    for (const c of cases) {
      const ms = (c.time ?? timeOnce)(c);
      if (r >= warmup) samples[c.name].push(ms);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([name, s]) => [name, median(s)]));
}

export function table(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => String(cell).padEnd(widths[c]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

// The headline property: many OS processes sharing one ledger lose nothing, count nothing twice and never
// over-book a tier. Each worker is a real `node` process running test/helpers/ledger-worker.ts, bundled once by
// esbuild into plain JavaScript (50 tsx start-ups would each compile the ledger's TypeScript again); all of them
// are alive and loaded before a "go" line releases them together, so their opens and writes truly overlap.
// The timeout is wide on purpose: 50 start-ups on a shared, loaded 2-core machine can take a minute.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { build } from 'esbuild';
import { openLedger } from '../../src/store/ledger.ts';
import { RACE, RECORDS, reservation, T0, tempDir, TIER } from '../helpers/ledger-fixtures.ts';

/**
 * The worker as one .mjs file. It is written under node_modules/.cache so that the SQLite driver (a native addon,
 * left out of the bundle) resolves from node_modules as it does for the installed CLI.
 */
async function bundleWorker(): Promise<string> {
  const cache = fileURLToPath(new URL('../../node_modules/.cache/', import.meta.url));
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'llm-gateway-ledger-worker-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const outfile = join(dir, 'ledger-worker.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('../helpers/ledger-worker.ts', import.meta.url))],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['better-sqlite3'],
    logLevel: 'warning',
  });
  return outfile;
}

const WORKER = await bundleWorker();
// Workers are launched a few at a time: 50 start-ups at once on two cores take longer than in small batches, and
// gain nothing, since no worker touches the ledger before all of them are released by "go".
const LAUNCH_BATCH = 4;
const ALL_TIME = [{ key: TIER, windowStart: 0 }];

interface Worker {
  child: ChildProcess;
  /** Resolves with each line the worker prints, in order. */
  line(): Promise<string>;
  exited: Promise<number | null>;
}

function startWorker(mode: string, db: string, id: string): Worker {
  const child = spawn(process.execPath, [WORKER, mode, db, id], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const queued: string[] = [];
  const waiting: Array<(line: string) => void> = [];
  let closed = false;
  const reader = createInterface({ input: child.stdout! });
  reader.on('line', (line) => {
    const next = waiting.shift();
    if (next) next(line);
    else queued.push(line);
  });
  // A worker that dies early fails the assertion on its next line instead of hanging the test.
  reader.on('close', () => {
    closed = true;
    for (const next of waiting.splice(0)) next('<exited>');
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    line: () => {
      const line = queued.shift() ?? (closed ? '<exited>' : undefined);
      return line !== undefined ? Promise.resolve(line) : new Promise((resolve) => waiting.push(resolve));
    },
    exited,
  };
}

/** Starts them all, waits until every one is loaded, releases them at once, and returns their results. */
async function runTogether(mode: string, db: string, count: number) {
  const workers: Worker[] = [];
  for (let i = 0; i < count; i += LAUNCH_BATCH) {
    const size = Math.min(LAUNCH_BATCH, count - i);
    const batch = Array.from({ length: size }, (_, j) => startWorker(mode, db, `w${i + j}`));
    for (const w of batch) assert.equal(await w.line(), 'ready');
    workers.push(...batch);
  }
  const go = performance.now();
  for (const w of workers) w.child.stdin!.end('go\n');
  const lines = await Promise.all(workers.map((w) => w.line()));
  const contendedMs = performance.now() - go;
  const codes = await Promise.all(workers.map((w) => w.exited));
  assert.deepEqual(codes, Array(count).fill(0));
  return { contendedMs, results: lines.map((line) => JSON.parse(line) as { reserved: number; refused: number }) };
}

describe('many processes, one ledger', { timeout: 600_000 }, () => {
  it('50 processes creating the ledger and settling at once: every row counted exactly once', async (t) => {
    const db = join(tempDir(), 'home', 'ledger.db'); // does not exist yet: creation and migration race too
    const started = performance.now();
    const { contendedMs, results } = await runTogether('record', db, 50);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const ledger = openLedger(db);
    const rows = 50 * RECORDS * 2; // plain settles + reserve/settle pairs; the repeated settles must not count
    assert.equal(
      results.reduce((n, r) => n + r.reserved, 0),
      50 * RECORDS,
    );
    assert.deepEqual(ledger.quota.snapshot(ALL_TIME, T0).usage.get(TIER), { used: rows * 15, reserved: 0 });
    const raw = new Database(db, { readonly: true });
    const totals = raw
      .prepare('SELECT count(*) AS calls, sum(input_tokens) AS input, sum(output_tokens) AS output FROM usage')
      .get();
    raw.close();
    assert.deepEqual(totals, { calls: rows, input: rows * 10, output: rows * 5 });
    assert.deepEqual(ledger.quickCheck(), []);
    ledger.close();
    t.diagnostic(`50 record workers: ${seconds} s in all, ${Math.round(contendedMs)} ms from "go" to the last result`);
  });

  it('20 processes racing for a small tier never book past its limit', async () => {
    const db = join(tempDir(), 'ledger.db');
    openLedger(db).close();
    const { results } = await runTogether('race', db, 20);
    const won = results.reduce((n, r) => n + r.reserved, 0);
    assert.equal(won, Math.floor(RACE.limit / RACE.tokens), 'every token that fits is booked, and no more');
    const ledger = openLedger(db);
    // Every hold the workers took expires at the fixture's T0 + 1 minute: the latest of them is when all are free.
    assert.deepEqual(ledger.quota.snapshot(ALL_TIME, T0).usage.get(TIER), {
      used: 0,
      reserved: won * RACE.tokens,
      heldUntil: T0 + 60_000,
    });
    ledger.close();
  });

  it('a process killed with SIGKILL holding a reservation leaks nothing once it expires', async () => {
    const db = join(tempDir(), 'ledger.db');
    const worker = startWorker('hold', db, 'victim');
    assert.equal(await worker.line(), 'ready');
    worker.child.stdin!.end('go\n');
    assert.equal(await worker.line(), 'held');
    worker.child.kill('SIGKILL');
    await worker.exited;
    assert.ok(existsSync(`${db}-wal`), 'the killed process left its WAL behind, as a crash would');
    const ledger = openLedger(db);
    assert.deepEqual(ledger.quota.snapshot(ALL_TIME, T0).usage.get(TIER), {
      used: 0,
      reserved: 500,
      heldUntil: T0 + 60_000,
    });
    assert.deepEqual(ledger.quota.snapshot(ALL_TIME, T0 + 60_000).usage.get(TIER), { used: 0, reserved: 0 });
    const later = { now: T0 + 60_000, expiresAt: T0 + 120_000, tokens: 1000, limit: 1000 };
    assert.equal(ledger.quota.reserve(reservation('after', later)), true);
    ledger.close();
  });
});

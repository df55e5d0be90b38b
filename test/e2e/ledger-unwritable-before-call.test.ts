// Issue 9: with a read-only (or full) ledger, a paid call was sent, its answer printed, and only then did the run
// fail with exit 3 "cannot be opened for writing" — tokens spent and not recorded, and a script retrying on exit 3
// paid twice. A free tier was safe (its reservation writes first); every other call now checks the ledger is
// writable the same way before it is sent. The real SQLite store, opened read-only (chmod does not stop root; a
// read-only connection fails every write with SQLITE_READONLY, as a read-only mount does), and a counting upstream.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { buildCatalog, type CatalogData } from '../../src/core/catalog.ts';
import { ConfigError } from '../../src/core/errors.ts';
import { createGateway, type GatewayEvent } from '../../src/core/gateway.ts';
import type { AdapterCall, ChatEvent, QuotaLedger } from '../../src/core/types.ts';
import { exitCodeOf } from '../../src/cli/common/exit-codes.ts';
import { openLedger } from '../../src/store/ledger.ts';
import { QuotaStore } from '../../src/store/quota-store.ts';
import { sqliteQuota } from '../../src/store/quota-backend.ts';
import { ChatE2E } from '../helpers/chat-e2e.ts';
import { withTmpfs } from '../helpers/fs-faults.ts';

const e2e = new ChatE2E();
after(() => e2e.close());

const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);
const DATA: CatalogData = {
  providers: [{ id: 'p', name: 'Provider P' }],
  models: [{ id: 'pm', contextWindow: 32_000, deployments: [{ provider: 'p', price: { input: 1, output: 2 } }] }],
  freeTiers: [],
  scenarios: { default: ['pm'] },
};

function gatewayOn(ledger: QuotaLedger) {
  const calls: AdapterCall[] = [];
  async function* stream(call: AdapterCall): AsyncGenerator<ChatEvent> {
    calls.push(call);
    yield { type: 'text-delta', text: 'paid answer' };
    yield { type: 'finish', reason: 'stop', usage: { inputTokens: 10, outputTokens: 3, estimated: false } };
  }
  const gateway = createGateway({
    catalog: buildCatalog(DATA),
    ledger,
    adapterFor: async () => ({ stream }),
    credentials: () => ({ apiKey: 'key-p', baseUrl: 'https://p.invalid/v1' }),
    now: () => NOW,
    newRequestId: () => 'r1',
    timeouts: { connectMs: 1000, idleMs: 1000 },
    allowPaid: true,
  });
  return { gateway, calls };
}

async function run(gen: AsyncGenerator<GatewayEvent>): Promise<{ events: GatewayEvent[]; error?: unknown }> {
  const events: GatewayEvent[] = [];
  try {
    for await (const event of gen) events.push(event);
    return { events };
  } catch (error) {
    return { events, error };
  }
}

test('a read-only ledger let a paid call be sent and then failed to record it: now exit 3 before any request', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'llmgw-ro-ledger-'));
  const path = join(dir, 'ledger.db');
  openLedger(path).close(); // a sound ledger, created and migrated
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const { gateway, calls } = gatewayOn(sqliteQuota(new QuotaStore(db, path), path));
    const { events, error } = await run(gateway.chat({ model: 'pm', messages: [{ role: 'user', content: 'hi' }] }));
    assert.equal(calls.length, 0, 'the upstream received a request the ledger could not record');
    assert.ok(error instanceof ConfigError, String(error));
    assert.match(error.message, /cannot be opened for writing.*SQLITE_READONLY/);
    assert.doesNotMatch(error.message, /delivered/);
    assert.equal(exitCodeOf(error), 3);
    assert.ok(!events.some((e) => e.type === 'text-delta'));
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a ledger that fails only when settling (disk full mid-answer): the answer stands, saying why it was not recorded, settled once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'llmgw-full-ledger-'));
  const ledger = openLedger(join(dir, 'ledger.db'));
  let settles = 0;
  const failingSettle: QuotaLedger = {
    ...sqliteQuota(ledger.quota, ledger.path),
    settle: async () => {
      settles++;
      throw new ConfigError(
        `cannot write the quota ledger ${ledger.path}: no space left on the device`,
        'free some space and run the command again',
        ledger.path,
      );
    },
  };
  try {
    const { gateway, calls } = gatewayOn(failingSettle);
    const { events, error } = await run(gateway.chat({ model: 'pm', messages: [{ role: 'user', content: 'hi' }] }));
    assert.equal(calls.length, 1);
    assert.equal(error, undefined, 'the paid answer was lost to the ledger error');
    const done = events.find((e) => e.type === 'done');
    assert.ok(done?.type === 'done');
    assert.equal(done.result.text, 'paid answer');
    assert.match(done.result.usageNotRecorded ?? '', /no space left on the device/);
    assert.equal(settles, 1, 'a failed settle was tried again');
  } finally {
    ledger.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the tester's case: chat -m kimi-k2.5 --allow-paid on a ledger remounted read-only exits 3 and the upstream gets no request", async (t) => {
  const ran = await withTmpfs(2048, async (fs) => {
    const s = await e2e.scenario({ steps: [{ text: ['paid answer'] }] });
    const home = join(fs.dir, 'home');
    mkdirSync(home, { mode: 0o700 });
    // As a ledger another process has open leaves it: with its -wal and -shm beside it (without them SQLite cannot
    // even open the file read-only, and fails at once). Copied from an open ledger, so the set is consistent.
    const source = mkdtempSync(join(tmpdir(), 'llmgw-ledger-src-'));
    const open = openLedger(join(source, 'ledger.db'));
    for (const suffix of ['', '-wal', '-shm'])
      copyFileSync(join(source, `ledger.db${suffix}`), join(home, `ledger.db${suffix}`));
    open.close();
    rmSync(source, { recursive: true, force: true });
    fs.readOnly();
    const r = await s.run(['chat', '-m', 'kimi-k2.5', '--allow-paid', 'hi'], { env: { LLM_GATEWAY_HOME: home } });
    assert.equal(r.code, 3, r.stderr);
    assert.equal(s.models().length, 0, `the fake upstream was asked for ${s.models().join(', ')}`);
    assert.doesNotMatch(r.stdout, /paid answer/);
    assert.match(r.stderr, /read-only|cannot be opened for writing/);
  });
  if (!ran)
    t.skip('cannot mount a tmpfs here (needs root on Linux); the read-only connection above covers the same path');
});

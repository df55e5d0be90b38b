// The ledger in one process: quota semantics, cooldowns, conversations, file modes, and refusing broken files
// without changing a byte of them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ConfigError } from '../src/core/errors.ts';
import type { TierUsage } from '../src/core/types.ts';
import { openLedger, quarantineLedger, type Ledger } from '../src/store/ledger.ts';
import { reservation, sha256, T0, tempDir, TIER, usage } from './helpers/ledger-fixtures.ts';
import { exitCodeOf } from '../src/cli/exit-codes.ts';

const WINDOW = [{ key: TIER, windowStart: T0 - 3_600_000 }];

function fresh(): Ledger {
  return openLedger(join(tempDir(), 'ledger.db'));
}

function tier(ledger: Ledger, now = T0, windows = WINDOW): TierUsage | undefined {
  return ledger.snapshot(windows, now).usage.get(TIER);
}

describe('quota', () => {
  it('reserve holds tokens, settle turns them into usage, release gives them back', () => {
    const ledger = fresh();
    assert.equal(ledger.reserve(reservation('a', { tokens: 300 })), true);
    assert.equal(ledger.reserve(reservation('b', { tokens: 200 })), true);
    assert.deepEqual(tier(ledger), { used: 0, reserved: 500 });
    ledger.settle(usage('a', { inputTokens: 40, outputTokens: 60 }));
    assert.deepEqual(tier(ledger), { used: 100, reserved: 200 });
    ledger.release('b');
    assert.deepEqual(tier(ledger), { used: 100, reserved: 0 });
    ledger.release('never-reserved');
    ledger.close();
  });

  it('refuses a reservation that would pass the limit, counting usage and other holds', () => {
    const ledger = fresh();
    ledger.settle(usage('u', { inputTokens: 500, outputTokens: 100 }));
    assert.equal(ledger.reserve(reservation('a', { tokens: 300 })), true);
    assert.equal(ledger.reserve(reservation('b', { tokens: 101 })), false);
    assert.equal(ledger.reserve(reservation('c', { tokens: 100 })), true, 'exactly at the limit fits');
    assert.equal(ledger.reserve(reservation('d', { tokens: 1 })), false);
    assert.deepEqual(tier(ledger), { used: 600, reserved: 400 });
    ledger.close();
  });

  it('a request id reserving again replaces its hold instead of stacking', () => {
    const ledger = fresh();
    assert.equal(ledger.reserve(reservation('a', { tokens: 600 })), true);
    assert.equal(ledger.reserve(reservation('a', { tokens: 900 })), true);
    assert.deepEqual(tier(ledger), { used: 0, reserved: 900 });
    ledger.close();
  });

  it('expired reservations count for nothing: a crashed process leaks no quota', () => {
    const ledger = fresh();
    assert.equal(ledger.reserve(reservation('dead', { tokens: 900, expiresAt: T0 + 1000 })), true);
    assert.deepEqual(tier(ledger, T0 + 999), { used: 0, reserved: 900 });
    assert.deepEqual(tier(ledger, T0 + 1000), { used: 0, reserved: 0 });
    assert.equal(ledger.reserve(reservation('next', { tokens: 900, now: T0 + 1000, expiresAt: T0 + 9000 })), true);
    ledger.close();
  });

  it('a repeated request id is counted once', () => {
    const ledger = fresh();
    ledger.settle(usage('same'));
    ledger.settle(usage('same', { inputTokens: 999 }));
    assert.deepEqual(tier(ledger), { used: 15, reserved: 0 });
    assert.equal(ledger.usageSince(0)[0]?.calls, 1);
    ledger.close();
  });

  it('counts only usage at or after the window start', () => {
    const ledger = fresh();
    const start = WINDOW[0]!.windowStart;
    ledger.settle(usage('before', { at: start - 1 }));
    ledger.settle(usage('at', { at: start }));
    ledger.settle(usage('paid', { tierKey: undefined, billing: 'paid' }));
    assert.deepEqual(tier(ledger), { used: 15, reserved: 0 });
    assert.equal(ledger.reserve(reservation('r', { tokens: 985, windowStart: start })), true);
    ledger.close();
  });

  it('a manual reset stops earlier usage counting, for snapshot and reserve alike', () => {
    const ledger = fresh();
    ledger.settle(usage('old', { inputTokens: 900, outputTokens: 0, at: T0 - 10 }));
    assert.equal(ledger.reserve(reservation('a', { tokens: 200 })), false);
    ledger.resetTier(TIER, T0 - 5);
    ledger.resetTier(TIER, T0 - 50); // an earlier reset does not undo the later one
    ledger.settle(usage('new', { at: T0 - 5 }));
    assert.deepEqual(tier(ledger), { used: 15, reserved: 0 });
    assert.equal(ledger.reserve(reservation('a', { tokens: 200 })), true);
    assert.deepEqual(tier(ledger, T0, [{ key: 'other:tier', windowStart: 0 }, ...WINDOW]), { used: 15, reserved: 200 });
    ledger.close();
  });

  it('snapshot covers every window asked for in one call, and usageSince totals by provider, model, billing', () => {
    const ledger = fresh();
    ledger.settle(usage('1', { estimated: true }));
    ledger.settle(usage('2'));
    ledger.settle(usage('3', { provider: 'openai', model: 'gpt', tierKey: undefined, billing: 'paid', at: T0 + 5 }));
    const snap = ledger.snapshot([...WINDOW, { key: 'openai:gpt', windowStart: 0 }], T0);
    assert.deepEqual([...snap.usage], [[TIER, { used: 30, reserved: 0 }], ['openai:gpt', { used: 0, reserved: 0 }]]);
    const totals = (provider: string, model: string, billing: string, calls: number, estimatedCalls: number) => ({
      provider,
      model,
      billing,
      inputTokens: calls * 10,
      outputTokens: calls * 5,
      calls,
      estimatedCalls,
    });
    assert.deepEqual(ledger.usageSince(T0), [
      totals('groq', 'llama', 'free-tier', 2, 1),
      totals('openai', 'gpt', 'paid', 1, 0),
    ]);
    assert.deepEqual(ledger.usageSince(T0 + 1).length, 1);
    assert.deepEqual(ledger.snapshot([], T0).usage.size, 0);
    ledger.close();
  });
});

describe('cooldowns', () => {
  it('upsert by scope keeps the later until; only active ones are in the snapshot', () => {
    const ledger = fresh();
    ledger.setCooldown({ scope: 'groq', kind: 'down', until: T0 + 5000, reason: 'long' });
    ledger.setCooldown({ scope: 'groq', kind: 'rate_limited', until: T0 + 1000, reason: 'short' });
    ledger.setCooldown({ scope: 'groq:llama', kind: 'rate_limited', until: T0 + 1000, reason: 'a' });
    ledger.setCooldown({ scope: 'groq:llama', kind: 'exhausted', until: T0 + 2000, reason: 'b' });
    ledger.setCooldown({ scope: 'old', kind: 'auth', until: T0, reason: 'over' });
    assert.deepEqual(ledger.snapshot([], T0).cooldowns, [
      { scope: 'groq', kind: 'down', until: T0 + 5000, reason: 'long' },
      { scope: 'groq:llama', kind: 'exhausted', until: T0 + 2000, reason: 'b' },
    ]);
    ledger.close();
  });

  it('clearCooldowns clears one scope and those under it, or all', () => {
    const ledger = fresh();
    for (const scope of ['groq', 'groq:llama', 'groq#1a2b3c4d', 'groq2', 'openai:gpt']) {
      ledger.setCooldown({ scope, kind: 'down', until: T0 + 1000, reason: '' });
    }
    assert.equal(ledger.clearCooldowns('groq'), 3);
    assert.deepEqual(ledger.snapshot([], T0).cooldowns.map((c) => c.scope), ['groq2', 'openai:gpt']);
    assert.equal(ledger.clearCooldowns(), 2);
    ledger.close();
  });
});

describe('conversations', () => {
  it('round-trips messages in order, appends to an existing one, and knows the latest', () => {
    const ledger = fresh();
    assert.equal(ledger.latestConversationId(), undefined);
    assert.equal(ledger.loadConversation('c1'), undefined);
    ledger.appendMessages('c1', [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hi' }], T0);
    ledger.appendMessages('c2', [{ role: 'user', content: 'other' }], T0 + 1);
    ledger.appendMessages('c1', [{ role: 'assistant', content: 'hello\n«ünïcode»' }], T0 + 2);
    assert.deepEqual(ledger.loadConversation('c1'), [
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'hello\n«ünïcode»' },
    ]);
    assert.equal(ledger.latestConversationId(), 'c1');
    ledger.appendMessages('c3', [], T0 + 3);
    assert.deepEqual(ledger.loadConversation('c3'), []);
    ledger.close();
  });

  it('persists across opens', () => {
    const path = join(tempDir(), 'ledger.db');
    const first = openLedger(path);
    first.appendMessages('c', [{ role: 'user', content: 'kept' }], T0);
    first.settle(usage('kept'));
    first.close();
    const second = openLedger(path);
    assert.deepEqual(second.loadConversation('c'), [{ role: 'user', content: 'kept' }]);
    assert.deepEqual(tier(second), { used: 15, reserved: 0 });
    assert.deepEqual(second.quickCheck(), []);
    second.close();
  });
});

describe('the file', () => {
  it('is created 0600 in a directory created 0700, and so are its WAL files', () => {
    const dir = join(tempDir(), 'nested', 'config');
    const path = join(dir, 'ledger.db');
    const ledger = openLedger(path);
    ledger.settle(usage('x'));
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.equal(statSync(join(dir, '..')).mode & 0o777, 0o700);
    for (const file of [path, `${path}-wal`, `${path}-shm`]) assert.equal(statSync(file).mode & 0o777, 0o600, file);
    ledger.close();
  });

  it('opens an empty file (a racing process just created it) as a new ledger', () => {
    const path = join(tempDir(), 'ledger.db');
    writeFileSync(path, '', { mode: 0o600 });
    const ledger = openLedger(path);
    ledger.settle(usage('x'));
    ledger.close();
  });

  for (const [name, prepare, wrong] of [
    ['garbage bytes', (p: string) => writeFileSync(p, Buffer.alloc(8192, 0x5a)), /not a SQLite database/],
    ['a few bytes', (p: string) => writeFileSync(p, 'SQLite'), /not a SQLite database/],
    ['a truncated ledger', truncatedLedger, /truncated/],
    ['a damaged header', (p: string) => writeFileSync(p, damagedHeader()), /damaged SQLite header/],
    ['a newer schema', newerLedger, /newer llm-gateway/],
    ['another program’s database', foreignDatabase, /some other program/],
  ] as const) {
    it(`refuses ${name} with a ConfigError naming it, and leaves it byte for byte untouched`, () => {
      const dir = tempDir();
      const path = join(dir, 'ledger.db');
      prepare(path);
      const before = sha256(path);
      const listing = readdirSync(dir);
      assert.throws(
        () => openLedger(path),
        (err: unknown) => {
          assert.ok(err instanceof ConfigError);
          assert.equal(exitCodeOf(err), 3);
          assert.equal(err.path, path);
          assert.ok(err.message.includes(path), err.message);
          assert.match(err.message, wrong);
          assert.match(err.hint ?? '', /doctor --repair/);
          return true;
        },
      );
      assert.equal(sha256(path), before);
      assert.deepEqual(readdirSync(dir), listing, 'no -wal, -shm or -journal created');
    });
  }

  it('quarantineLedger moves the file and its WAL aside without deleting anything; a fresh open then works', () => {
    const dir = tempDir();
    const path = join(dir, 'ledger.db');
    writeFileSync(path, 'not a database at all, but long enough to be mistaken for one if nobody looked......');
    writeFileSync(`${path}-wal`, 'stale wal');
    const before = sha256(path);
    const moved = quarantineLedger(path, T0);
    assert.equal(moved, join(dir, 'ledger.db.corrupt-2026-11-26T12-00-00-000Z'));
    assert.equal(sha256(moved), before);
    assert.ok(existsSync(`${moved}-wal`));
    assert.ok(!existsSync(path) && !existsSync(`${path}-wal`));
    writeFileSync(path, 'broken again');
    const second = quarantineLedger(path, T0); // same timestamp: must not overwrite the first
    assert.equal(second, `${moved}.1`);
    assert.equal(sha256(moved), before);
    const ledger = openLedger(path);
    ledger.settle(usage('x'));
    ledger.close();
    assert.throws(() => quarantineLedger(join(dir, 'missing.db'), T0), ConfigError);
  });

  it('damage past the header, found mid-run, is the same ConfigError', () => {
    const path = join(tempDir(), 'ledger.db');
    const ledger = openLedger(path);
    for (let i = 0; i < 500; i++) ledger.settle(usage(`r${i}`));
    ledger.close();
    const bytes = readFileSync(path);
    bytes.fill(0xa5, 4096 * 2); // every page after the schema's
    writeFileSync(path, bytes);
    const damaged = openLedger(path); // the header check is cheap by design and cannot see this far
    assert.throws(
      () => damaged.usageSince(0),
      (err: unknown) => err instanceof ConfigError && /is corrupt/.test(err.message) && err.path === path,
    );
    damaged.close();
  });

  it('a directory in the ledger’s place is a ConfigError', () => {
    const path = join(tempDir(), 'ledger.db');
    mkdirSync(path);
    assert.throws(() => openLedger(path), ConfigError);
  });
});

/** A real ledger with enough rows to span many pages, cut in half after it was cleanly closed. */
function truncatedLedger(path: string): void {
  const ledger = openLedger(path);
  const messages = Array.from({ length: 200 }, () => ({ role: 'user' as const, content: 'x'.repeat(500) }));
  ledger.appendMessages('big', messages, T0);
  ledger.close();
  truncateSync(path, Math.floor(statSync(path).size / 2));
}

function damagedHeader(): Buffer {
  const bytes = Buffer.alloc(4096);
  bytes.write('SQLite format 3\0', 'latin1');
  bytes.writeUInt16BE(1000, 16); // not a power of two
  return bytes;
}

function newerLedger(path: string): void {
  const ledger = openLedger(path);
  ledger.close();
  const bytes = readFileSync(path);
  bytes.writeInt32BE(99, 60); // user_version
  writeFileSync(path, bytes);
}

function foreignDatabase(path: string): void {
  const db = new Database(path);
  db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)');
  db.close();
}

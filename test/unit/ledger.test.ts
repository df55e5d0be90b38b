// The ledger file in one process: what only the SQLite quota store does (resets, clearing cooldowns, migrating old
// rows), the conversation store, file modes, and refusing broken files without changing a byte of them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ConfigError } from '../../src/core/errors.ts';
import { scopeLabel } from '../../src/core/cooldown-scope.ts';
import type { CooldownScope, TierUsage } from '../../src/core/types.ts';
import { openLedger, quarantineLedger, type Ledger, type QuotaStore } from '../../src/store/ledger.ts';
import { MIGRATIONS } from '../../src/store/ledger-schema.ts';
import { reservation, sha256, T0, tempDir, TIER, usage } from '../helpers/ledger-fixtures.ts';
import { exitCodeOf } from '../../src/cli/common/exit-codes.ts';

const WINDOW = [{ key: TIER, windowStart: T0 - 3_600_000 }];

function fresh(): Ledger {
  return openLedger(join(tempDir(), 'ledger.db'));
}

function tier(quota: QuotaStore, now = T0, windows = WINDOW): TierUsage | undefined {
  return quota.snapshot(windows, now).usage.get(TIER);
}

const sortByJson = <T>(items: T[]) => [...items].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

// The QuotaLedger port itself (reserve, settle, release, snapshot, setCooldown) is held to one contract with the
// gateway tests' in-memory ledger in test/unit/quota-ledger-contract.test.ts; here is what only the SQLite store does.
describe('quota store', () => {
  it('a manual reset stops earlier usage counting, for snapshot and reserve alike', () => {
    const { quota, close } = fresh();
    quota.settle(usage('old', { inputTokens: 900, outputTokens: 0, at: T0 - 10 }));
    assert.equal(quota.reserve(reservation('a', { tokens: 200 })), false);
    quota.resetTier(TIER, T0 - 5);
    quota.resetTier(TIER, T0 - 50); // an earlier reset does not undo the later one
    quota.settle(usage('new', { at: T0 - 5 }));
    assert.deepEqual(tier(quota), { used: 15, reserved: 0 });
    assert.equal(quota.reserve(reservation('a', { tokens: 200 })), true);
    assert.deepEqual(tier(quota, T0, [{ key: 'other:tier', windowStart: 0 }, ...WINDOW]), {
      used: 15,
      reserved: 200,
      heldUntil: T0 + 60_000,
    });
    close();
  });

  it('clearCooldowns clears a provider (its keys, deployments and endpoints), one deployment, or all', () => {
    const { quota, close } = fresh();
    const scopes: CooldownScope[] = [
      { provider: 'groq' },
      { provider: 'groq', model: 'llama' },
      { provider: 'groq', keyFingerprint: '1a2b3c4d' },
      { provider: 'groq', model: 'llama@v2', endpointFingerprint: '5e6f7a8b' },
      { provider: 'groq2' },
      { provider: 'openai', model: 'gpt' },
      { provider: 'openai', model: 'gpt-4' },
    ];
    for (const scope of scopes) quota.setCooldown({ ...scope, kind: 'down', until: T0 + 1000, reason: '' });
    assert.equal(quota.clearCooldowns({ provider: 'groq' }), 4);
    assert.equal(quota.clearCooldowns({ provider: 'openai', model: 'gpt' }), 1, 'not gpt-4: no prefix matching');
    assert.deepEqual(quota.snapshot([], T0).cooldowns.map(scopeLabel), ['groq2', 'openai:gpt-4']);
    assert.equal(quota.clearCooldowns(), 2);
  });

  it('the write check is made once, and again after a statement failed: a paid call is not a commit more', () => {
    const path = join(tempDir(), 'ledger.db');
    openLedger(path).close();
    const { quota, close } = openLedger(path, { busyTimeoutMs: 20 });
    const other = new Database(path);
    try {
      quota.checkWritable(T0);
      // Another process holds the write lock: a checked ledger lets the next paid call go without writing…
      other.exec('BEGIN IMMEDIATE');
      quota.checkWritable(T0 + 1);
      // …its settle fails (the answer keeps usageNotRecorded), and then the check writes for real again and refuses.
      assert.throws(() => quota.settle(usage('paid', { at: T0 + 2 })), ConfigError);
      assert.throws(() => quota.checkWritable(T0 + 3), /locked by another process/);
      other.exec('ROLLBACK');
      quota.checkWritable(T0 + 4);
      quota.settle(usage('paid', { at: T0 + 5 }));
      assert.equal(quota.tokensOf('paid'), 15);
    } finally {
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
      close();
    }
  });

  it('a plan snapshot repeated sees another process’s commit, its own writes, and holds and cooldowns expiring', () => {
    const path = join(tempDir(), 'ledger.db');
    const mine = openLedger(path);
    const other = openLedger(path); // another process: its own connection
    try {
      assert.deepEqual(tier(mine.quota), { used: 0, reserved: 0 });
      assert.deepEqual(tier(mine.quota), { used: 0, reserved: 0 });
      other.quota.settle(usage('theirs'));
      assert.deepEqual(tier(mine.quota), { used: 15, reserved: 0 });
      assert.equal(mine.quota.reserve(reservation('held', { tokens: 200, expiresAt: T0 + 1000 })), true);
      assert.deepEqual(tier(mine.quota), { used: 15, reserved: 200, heldUntil: T0 + 1000 });
      other.quota.setCooldown({ provider: 'groq', kind: 'down', until: T0 + 2000, reason: 'x' });
      assert.equal(mine.quota.snapshot(WINDOW, T0).cooldowns.length, 1);
      // Nobody writes: the clock passing the hold's expiry, then the cooldown's, is enough.
      assert.deepEqual(tier(mine.quota, T0 + 1000), { used: 15, reserved: 0 });
      assert.equal(mine.quota.snapshot(WINDOW, T0 + 1500).cooldowns.length, 1);
      assert.equal(mine.quota.snapshot(WINDOW, T0 + 2000).cooldowns.length, 0);
      mine.quota.resetTier(TIER, T0 + 2500);
      assert.deepEqual(tier(mine.quota, T0 + 3000), { used: 0, reserved: 0 });
    } finally {
      other.close();
      mine.close();
    }
  });

  it('m004 turns the old scope strings into columns, a model id with @ included', () => {
    const path = join(tempDir(), 'ledger.db');
    const db = new Database(path);
    const before = MIGRATIONS.findIndex((m) => m.name === 'm004_structured_cooldowns');
    for (const m of MIGRATIONS.slice(0, before)) db.exec(m.sql);
    db.pragma(`user_version = ${before}`);
    const insert = db.prepare("INSERT INTO cooldowns (scope, kind, until, reason) VALUES (?, ?, ?, 'old')");
    for (const [scope, kind] of [
      ['groq', 'down'],
      ['groq:llama-3.1-8b-instant', 'exhausted'],
      ['groq#1a2b3c4d', 'auth'],
      ['vertex:claude-sonnet-v2@20241022', 'rate_limited'],
      ['vertex:claude-sonnet-v2@20241022@5e6f7a8b', 'down'],
      ['cf:@cf/meta/llama-3', 'rate_limited'],
    ])
      insert.run(scope, kind, T0 + 1000);
    db.close();
    const ledger = openLedger(path);
    const cooldowns = ledger.quota.snapshot([], T0).cooldowns.map(({ until: _, reason: __, ...c }) => c);
    assert.deepEqual(
      sortByJson(cooldowns),
      sortByJson([
        { provider: 'groq', kind: 'down' },
        { provider: 'groq', model: 'llama-3.1-8b-instant', kind: 'exhausted' },
        { provider: 'groq', keyFingerprint: '1a2b3c4d', kind: 'auth' },
        { provider: 'vertex', model: 'claude-sonnet-v2@20241022', kind: 'rate_limited' },
        { provider: 'vertex', model: 'claude-sonnet-v2@20241022', endpointFingerprint: '5e6f7a8b', kind: 'down' },
        { provider: 'cf', model: '@cf/meta/llama-3', kind: 'rate_limited' },
      ]),
    );
    ledger.close();
  });
});

describe('conversations', () => {
  it('round-trips messages in order, appends to an existing one, and knows the latest', () => {
    const { conversations, close } = fresh();
    assert.equal(conversations.latestId(), undefined);
    assert.equal(conversations.load('c1'), undefined);
    conversations.append(
      'c1',
      [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'hi' },
      ],
      T0,
    );
    conversations.append('c2', [{ role: 'user', content: 'other' }], T0 + 1);
    conversations.append('c1', [{ role: 'assistant', content: 'hello\n«ünïcode»' }], T0 + 2);
    assert.deepEqual(conversations.load('c1'), [
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'hello\n«ünïcode»' },
    ]);
    assert.equal(conversations.latestId(), 'c1');
    conversations.append('c3', [], T0 + 3);
    assert.deepEqual(conversations.load('c3'), []);
    close();
  });

  it('an answer keeps its request id, provider and model, and joins its usage row', () => {
    const path = join(tempDir(), 'ledger.db');
    const ledger = openLedger(path);
    ledger.quota.settle(
      usage('req-1', { provider: 'vertex', model: 'claude-sonnet-v2@20241022', inputTokens: 12, outputTokens: 34 }),
    );
    const answer = {
      role: 'assistant' as const,
      content: 'hi',
      requestId: 'req-1',
      provider: 'vertex',
      model: 'claude-sonnet-v2@20241022',
    };
    ledger.conversations.append('c', [{ role: 'user', content: 'hello' }, answer], T0);
    assert.deepEqual(ledger.conversations.load('c'), [{ role: 'user', content: 'hello' }, answer]);
    ledger.close();
    const db = new Database(path, { readonly: true });
    const joined = db
      .prepare(
        'SELECT m.role, u.provider, u.model, u.input_tokens AS i, u.output_tokens AS o FROM messages m LEFT JOIN usage u ON u.request_id = m.request_id WHERE m.conversation_id = ? ORDER BY m.seq',
      )
      .all('c');
    db.close();
    assert.deepEqual(joined, [
      { role: 'user', provider: null, model: null, i: null, o: null },
      { role: 'assistant', provider: 'vertex', model: 'claude-sonnet-v2@20241022', i: 12, o: 34 },
    ]);
  });

  it('persists across opens', () => {
    const path = join(tempDir(), 'ledger.db');
    const first = openLedger(path);
    first.conversations.append('c', [{ role: 'user', content: 'kept' }], T0);
    first.quota.settle(usage('kept'));
    first.close();
    const second = openLedger(path);
    assert.deepEqual(second.conversations.load('c'), [{ role: 'user', content: 'kept' }]);
    assert.deepEqual(tier(second.quota), { used: 15, reserved: 0 });
    assert.deepEqual(second.quickCheck(), []);
    second.close();
  });

  it('damage in the conversation history is reported as a conversation problem; the quota still answers', () => {
    const path = join(tempDir(), 'ledger.db');
    const ledger = openLedger(path);
    ledger.quota.settle(usage('kept'));
    ledger.conversations.append(
      'c',
      Array.from({ length: 50 }, () => ({ role: 'user' as const, content: 'x'.repeat(400) })),
      T0,
    );
    ledger.close();
    const db = new Database(path);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const root = db.prepare("SELECT rootpage FROM sqlite_schema WHERE name = 'messages'").pluck().get() as number;
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    db.close();
    const bytes = readFileSync(path);
    bytes.fill(0xa5, (root - 1) * pageSize, root * pageSize); // the messages table's root page, nothing else
    writeFileSync(path, bytes);
    const damaged = openLedger(path);
    assert.throws(
      () => damaged.conversations.load('c'),
      (err: unknown) =>
        err instanceof ConfigError &&
        /conversation history in .* is corrupt/.test(err.message) &&
        !/quota/.test(err.message) &&
        /--no-log/.test(err.hint ?? ''),
    );
    assert.deepEqual(tier(damaged.quota), { used: 15, reserved: 0 }, 'the quota is another store');
    damaged.close();
  });
});

describe('the file', () => {
  it('is created 0600 in a directory created 0700, and so are its WAL files', () => {
    const dir = join(tempDir(), 'nested', 'config');
    const path = join(dir, 'ledger.db');
    const ledger = openLedger(path);
    ledger.quota.settle(usage('x'));
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.equal(statSync(join(dir, '..')).mode & 0o777, 0o700);
    for (const file of [path, `${path}-wal`, `${path}-shm`]) assert.equal(statSync(file).mode & 0o777, 0o600, file);
    ledger.close();
  });

  it('opens an empty file (a racing process just created it) as a new ledger', () => {
    const path = join(tempDir(), 'ledger.db');
    writeFileSync(path, '', { mode: 0o600 });
    const ledger = openLedger(path);
    ledger.quota.settle(usage('x'));
    assert.deepEqual(tier(ledger.quota), { used: 15, reserved: 0 });
    assert.deepEqual(ledger.quickCheck(), []);
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
    ledger.quota.settle(usage('x'));
    ledger.close();
    assert.throws(() => quarantineLedger(join(dir, 'missing.db'), T0), ConfigError);
  });

  it('damage past the header, found mid-run, is the same ConfigError', () => {
    const path = join(tempDir(), 'ledger.db');
    openLedger(path).close();
    const schemaBytes = statSync(path).size; // the empty tables and the schema that names them
    const ledger = openLedger(path);
    for (let i = 0; i < 500; i++) ledger.quota.settle(usage(`r${i}`));
    ledger.close();
    const bytes = readFileSync(path);
    bytes.fill(0xa5, schemaBytes); // every page the rows took
    writeFileSync(path, bytes);
    const damaged = openLedger(path); // the header check is cheap by design and cannot see this far
    assert.throws(
      () => damaged.quota.snapshot(WINDOW, T0),
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
  ledger.conversations.append('big', messages, T0);
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

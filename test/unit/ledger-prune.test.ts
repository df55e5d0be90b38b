// The ledger stays small (issue 9.12): detailed usage rows past 90 days, expired cooldowns and expired reservations
// are deleted at most once a day, while every free-tier window and every per-day total keeps its exact figure.
// The clock is driven: each settle carries its own time, as the gateway's does.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { TierWindow } from '../../src/core/types.ts';
import { openLedger } from '../../src/store/ledger.ts';
import { MIGRATIONS } from '../../src/store/ledger-schema.ts';
import { PRUNE_BATCH } from '../../src/store/ledger-prune.ts';
import { usedSinceSql } from '../../src/store/usage-daily.ts';
import { reservation, T0, tempDir, TIER, usage } from '../helpers/ledger-fixtures.ts';

const DAY = 86_400_000;
const dayStart = (at: number) => at - (at % DAY);
const count = (path: string, sql: string): number => {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(sql).pluck().get() as number;
  } finally {
    db.close();
  }
};

/** One call a day for 200 days up to T0, with tokens that differ per day so a lost or doubled day shows. */
function settleYear(settle: (id: string, days: number) => void): void {
  for (let days = 200; days >= 1; days--) settle(`old-${days}`, days);
}

const used = (path: string, windows: TierWindow[], now: number) => {
  const ledger = openLedger(path);
  try {
    const snap = ledger.quota.snapshot(windows, now);
    return windows.map((w) => snap.usage.get(w.key)!.used);
  } finally {
    ledger.close();
  }
};

describe('pruning the ledger', () => {
  it('usage rows older than 90 days are pruned and every window, even all time, reports the same total', () => {
    const path = join(tempDir(), 'ledger.db');
    const ledger = openLedger(path);
    // Imported rather than settled, so that no prune runs before the first look.
    settleYear((id, days) =>
      ledger.quota.importUsage([usage(id, { inputTokens: days, outputTokens: 1, at: T0 - days * DAY })]),
    );
    ledger.close();
    const windows = [
      { key: TIER, windowStart: 0 },
      { key: TIER, windowStart: dayStart(T0 - 150 * DAY) },
      { key: TIER, windowStart: dayStart(T0 - 30 * DAY) },
    ];
    const before = windows.map((w) => used(path, [w], T0)[0]);
    assert.deepEqual(before, [20100 + 200, (150 * 151) / 2 + 150, (30 * 31) / 2 + 30]);
    assert.equal(count(path, 'SELECT count(*) FROM usage'), 200);

    const again = openLedger(path);
    again.quota.settle(usage('today', { tierKey: 'other:tier', at: T0 })); // a settle runs the day's prune
    again.close();

    // Rows from before the 90 days ahead of today's start are gone: 90 days of them stay, and today's.
    assert.equal(count(path, 'SELECT count(*) FROM usage'), 90 + 1);
    assert.deepEqual(
      windows.map((w) => used(path, [w], T0)[0]),
      before,
    );
  });

  it('a manual reset in the middle of a day counts only that day’s later calls, before and after pruning', () => {
    const path = join(tempDir(), 'ledger.db');
    const ledger = openLedger(path);
    const resetAt = dayStart(T0) - 10 * DAY + 12 * 3_600_000; // noon, ten days ago
    ledger.quota.settle(usage('morning', { inputTokens: 100, at: resetAt - 3_600_000 }));
    ledger.quota.settle(usage('afternoon', { inputTokens: 200, at: resetAt + 3_600_000 }));
    ledger.quota.settle(usage('next-day', { inputTokens: 400, at: resetAt + DAY }));
    ledger.quota.resetTier(TIER, resetAt);
    const window = [{ key: TIER, windowStart: dayStart(T0 - 30 * DAY) }];
    assert.equal(ledger.quota.snapshot(window, T0).usage.get(TIER)!.used, 205 + 405);
    assert.equal(
      ledger.quota.reserve(reservation('r', { tokens: 390, limit: 1000, windowStart: window[0]!.windowStart })),
      true,
    );
    assert.equal(
      ledger.quota.reserve(reservation('s', { tokens: 1, limit: 1000, windowStart: window[0]!.windowStart })),
      false,
    );
    ledger.quota.settle(usage('today', { tierKey: 'other:tier', at: T0 + DAY }));
    assert.equal(ledger.quota.snapshot(window, T0).usage.get(TIER)!.used, 205 + 405);
    ledger.close();
  });

  it('per-day totals per deployment keep every token, call, estimate and outcome of the pruned rows', () => {
    const path = join(tempDir(), 'ledger.db');
    const ledger = openLedger(path);
    const at = T0 - 120 * DAY;
    ledger.quota.settle(usage('a', { at, reasoningTokens: 7, cacheReadTokens: 3 }));
    ledger.quota.settle(usage('b', { at: at + 1000, estimated: true, outcome: 'cut' }));
    ledger.quota.settle(
      usage('c', { at, tierKey: undefined, billing: 'paid', provider: 'openai', model: 'gpt', inputTokens: 50 }),
    );
    ledger.quota.settle(usage('now', { at: T0 }));
    ledger.close();
    const db = new Database(path, { readonly: true });
    const rows = db
      .prepare(`SELECT tier_key, provider, model, billing, outcome, calls, estimated_calls, input_tokens, output_tokens,
                  reasoning_tokens, cache_read_tokens FROM usage_daily WHERE day = ? ORDER BY tier_key, outcome`)
      .all(dayStart(at));
    const detailed = db
      .prepare('SELECT count(*) FROM usage WHERE at < ?')
      .pluck()
      .get(T0 - 90 * DAY);
    db.close();
    assert.equal(detailed, 0);
    assert.deepEqual(rows, [
      {
        tier_key: '',
        provider: 'openai',
        model: 'gpt',
        billing: 'paid',
        outcome: 'ok',
        calls: 1,
        estimated_calls: 0,
        input_tokens: 50,
        output_tokens: 5,
        reasoning_tokens: null,
        cache_read_tokens: null,
      },
      {
        tier_key: TIER,
        provider: 'groq',
        model: 'llama',
        billing: 'free-tier',
        outcome: 'cut',
        calls: 1,
        estimated_calls: 1,
        input_tokens: 10,
        output_tokens: 5,
        reasoning_tokens: null,
        cache_read_tokens: null,
      },
      {
        tier_key: TIER,
        provider: 'groq',
        model: 'llama',
        billing: 'free-tier',
        outcome: 'ok',
        calls: 1,
        estimated_calls: 0,
        input_tokens: 10,
        output_tokens: 5,
        reasoning_tokens: 7,
        cache_read_tokens: 3,
      },
    ]);
  });

  it('expired cooldowns and reservations are deleted by the prune; live ones stay', () => {
    const path = join(tempDir(), 'ledger.db');
    const ledger = openLedger(path);
    ledger.quota.setCooldown({ provider: 'groq', kind: 'rate_limited', until: T0 - 1, reason: 'over' });
    ledger.quota.setCooldown({ provider: 'groq', model: 'llama', kind: 'down', until: T0 + 60_000, reason: 'live' });
    assert.equal(ledger.quota.reserve(reservation('dead', { expiresAt: T0 - 1, now: T0 - 10_000 })), true);
    assert.equal(ledger.quota.reserve(reservation('live', { expiresAt: T0 + 60_000, now: T0 - 10_000 })), true);
    ledger.quota.settle(usage('now', { tierKey: 'other:tier', at: T0 }));
    ledger.close();
    assert.equal(count(path, 'SELECT group_concat(reason) FROM cooldowns'), 'live');
    assert.equal(count(path, 'SELECT group_concat(request_id) FROM reservations'), 'live');
  });

  it('the prune runs at most once a day, whichever process settles', () => {
    const path = join(tempDir(), 'ledger.db');
    const first = openLedger(path);
    const second = openLedger(path); // another process on the same file
    first.quota.settle(usage('a', { at: T0 }));
    first.quota.importUsage([usage('old-1', { at: T0 - 100 * DAY })]);
    second.quota.settle(usage('b', { at: T0 + DAY - 1 }));
    first.quota.settle(usage('c', { at: T0 + DAY - 1 }));
    assert.equal(count(path, "SELECT count(*) FROM usage WHERE request_id = 'old-1'"), 1, 'pruned twice within a day');
    second.quota.settle(usage('d', { at: T0 + DAY }));
    assert.equal(count(path, "SELECT count(*) FROM usage WHERE request_id = 'old-1'"), 0, 'not pruned a day later');
    first.close();
    second.close();
  });

  it('a long-used ledger loses its backlog a batch per call, so no single call pays for all of it', () => {
    const path = join(tempDir(), 'ledger.db');
    openLedger(path).close();
    const db = new Database(path);
    const insert = db.prepare(
      `INSERT INTO usage (request_id, provider, model, tier_key, billing, input_tokens, output_tokens, estimated, outcome, at)
       VALUES (?, 'groq', 'llama', NULL, 'paid', 1, 1, 0, 'ok', ?)`,
    );
    db.transaction(() => {
      for (let i = 0; i < PRUNE_BATCH + 10; i++) insert.run(`old-${i}`, T0 - 200 * DAY + i);
    })();
    db.close();
    const ledger = openLedger(path);
    ledger.quota.settle(usage('a', { at: T0 }));
    assert.equal(
      count(path, 'SELECT count(*) FROM usage WHERE at < ' + (T0 - 90 * DAY)),
      10,
      'one batch, the oldest first',
    );
    ledger.quota.settle(usage('b', { at: T0 + 1 }));
    assert.equal(
      count(path, 'SELECT count(*) FROM usage WHERE at < ' + (T0 - 90 * DAY)),
      0,
      'the rest at the next call',
    );
    ledger.quota.importUsage([usage('late', { at: T0 - 100 * DAY })]);
    ledger.quota.settle(usage('c', { at: T0 + 2 }));
    assert.equal(count(path, "SELECT count(*) FROM usage WHERE request_id = 'late'"), 1, 'then once a day again');
    ledger.close();
  });

  it('migrate importing a record again replaces its day’s totals instead of adding to them', () => {
    const ledger = openLedger(join(tempDir(), 'ledger.db'));
    const window = [{ key: TIER, windowStart: dayStart(T0) }];
    ledger.quota.importUsage([usage('migrated:x', { inputTokens: 1000, outputTokens: 0 })]);
    ledger.quota.importUsage([usage('migrated:x', { inputTokens: 600, outputTokens: 0 })]);
    assert.equal(ledger.quota.snapshot(window, T0).usage.get(TIER)!.used, 600);
    ledger.close();
  });

  it('m006 builds the daily totals from a ledger’s existing rows, so an upgrade reports the same usage', () => {
    const path = join(tempDir(), 'ledger.db');
    const db = new Database(path);
    const m006 = MIGRATIONS.findIndex((m) => m.name === 'm006_daily_usage');
    for (const m of MIGRATIONS.slice(0, m006)) db.exec(m.sql);
    db.pragma(`user_version = ${m006}`);
    const insert = db.prepare(
      `INSERT INTO usage (request_id, provider, model, tier_key, billing, input_tokens, output_tokens, estimated, outcome, at)
       VALUES (?, 'groq', 'llama', ?, 'free-tier', ?, 1, 0, 'ok', ?)`,
    );
    for (let i = 0; i < 50; i++) insert.run(`r${i}`, TIER, i, T0 - i * 3_600_000);
    db.close();
    const window = [{ key: TIER, windowStart: dayStart(T0 - DAY) }];
    const expected = Array.from({ length: 50 }, (_, i) => i)
      .filter((i) => T0 - i * 3_600_000 >= window[0]!.windowStart)
      .reduce((n, i) => n + i + 1, 0);
    assert.deepEqual(used(path, window, T0), [expected]);
  });

  it('a tier’s window reads its daily totals by index, never every usage row', () => {
    const ledger = openLedger(join(tempDir(), 'ledger.db'));
    ledger.close();
    const db = new Database(ledger.path, { readonly: true });
    // The store's own expression, with its key and its start as parameters.
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN SELECT ${usedSinceSql('@key', '@since')}`)
      .all({ key: TIER, since: T0 })
      .map((row) => (row as { detail: string }).detail);
    db.close();
    assert.ok(
      plan.some((d) => /SEARCH usage_daily USING PRIMARY KEY \(tier_key=\? AND day>\?\)/.test(d)),
      plan.join('\n'),
    );
    assert.ok(
      plan.some((d) => /SEARCH usage USING COVERING INDEX usage_by_tier/.test(d)),
      plan.join('\n'),
    );
    assert.ok(!plan.some((d) => /^SCAN usage/.test(d)), plan.join('\n'));
  });
});

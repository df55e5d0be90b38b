// The free-tier ledger on SQLite: usage, reservations, cooldowns and conversations shared by every process on the
// machine. Correctness under concurrency comes from SQLite, not from us: WAL lets readers run beside the one
// writer, the busy timeout queues writers, and every read-modify-write is one IMMEDIATE transaction: the write lock
// is taken before the read, where a deferred one would read, then fail with SQLITE_BUSY on its first write if another
// process wrote meanwhile (and without any transaction, two processes would both see room and both book it).
import type Database from 'better-sqlite3';
import type {
  Billing,
  Cooldown,
  LedgerSnapshot,
  Message,
  QuotaLedger,
  Reservation,
  TierUsage,
  TierWindow,
  UsageRecord,
} from '../core/types.ts';
import { asLedgerError, openDatabase, quarantineLedger } from './ledger-file.ts';

export { quarantineLedger };

/** Totals for one provider, model and billing since a time, for reports. */
export interface UsageTotal {
  provider: string;
  model: string;
  billing: Billing;
  inputTokens: number;
  outputTokens: number;
  calls: number;
  /** Calls whose tokens are our estimate rather than the provider's report. */
  estimatedCalls: number;
}

/** Opens (creating if needed) the ledger at `path`; a file that is not a sound ledger is a ConfigError, untouched. */
export function openLedger(path: string): Ledger {
  return new Ledger(openDatabase(path), path);
}

// A tier's usage counts from its window start or its last manual reset, whichever is later.
const SINCE = `max(?, coalesce((SELECT at FROM tier_resets WHERE tier_key = ?), 0))`;

export class Ledger implements QuotaLedger {
  readonly path: string;
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly reserveTx: Database.Transaction<(r: Reservation) => boolean>;
  private readonly settleTx: Database.Transaction<(record: UsageRecord) => void>;
  private readonly appendTx: Database.Transaction<(cid: string, messages: Message[], now: number) => void>;
  private readonly snapshotTx: Database.Transaction<(windows: TierWindow[], now: number) => LedgerSnapshot>;

  constructor(db: Database.Database, path: string) {
    this.db = db;
    this.path = path;
    this.reserveTx = db.transaction((r: Reservation) => this.reserveInside(r));
    this.settleTx = db.transaction((record: UsageRecord) => this.settleInside(record));
    this.appendTx = db.transaction((cid: string, messages: Message[], now: number) =>
      this.appendInside(cid, messages, now),
    );
    // A plain (deferred) read transaction: usage and cooldowns come from one consistent moment.
    this.snapshotTx = db.transaction((windows: TierWindow[], now: number) => this.snapshotInside(windows, now));
  }

  /** Prepared once per instance and reused: preparing is most of the cost of a small query. */
  private sql(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  /** SQLite reporting damage mid-run becomes the same ConfigError an open would have given. */
  private guard<T>(run: () => T): T {
    try {
      return run();
    } catch (err) {
      throw asLedgerError(err, this.path);
    }
  }

  snapshot(windows: TierWindow[], now: number): LedgerSnapshot {
    return this.guard(() => this.snapshotTx(windows, now));
  }

  private snapshotInside(windows: TierWindow[], now: number): LedgerSnapshot {
    const usage = new Map<string, TierUsage>();
    if (windows.length > 0) {
      // All tiers in one statement: the windows go in as one JSON parameter, each sum is an index range scan.
      const rows = this.sql(
        `WITH w AS (
           SELECT json_extract(value, '$.key') AS key, json_extract(value, '$.windowStart') AS start FROM json_each(?)
         ), s AS (
           SELECT key, max(start, coalesce((SELECT at FROM tier_resets WHERE tier_key = w.key), 0)) AS since FROM w
         )
         SELECT key,
           (SELECT coalesce(sum(input_tokens + output_tokens), 0) FROM usage
              WHERE tier_key = s.key AND at >= s.since) AS used,
           (SELECT coalesce(sum(tokens), 0) FROM reservations
              WHERE tier_key = s.key AND expires_at > ?) AS reserved
         FROM s`,
      ).all(JSON.stringify(windows.map((w) => ({ key: w.key, windowStart: w.windowStart }))), now) as Array<
        { key: string } & TierUsage
      >;
      for (const row of rows) usage.set(row.key, { used: row.used, reserved: row.reserved });
    }
    const cooldowns = this.sql('SELECT scope, kind, until, reason FROM cooldowns WHERE until > ? ORDER BY scope').all(
      now,
    ) as Cooldown[];
    return { usage, cooldowns };
  }

  reserve(reservation: Reservation): boolean {
    return this.guard(() => this.reserveTx.immediate(reservation));
  }

  private reserveInside(r: Reservation): boolean {
    // Reservations of processes that died never settle; once expired they are dropped, so nothing leaks.
    this.sql('DELETE FROM reservations WHERE expires_at <= ?').run(r.now);
    const used = this.sql(
      `SELECT coalesce(sum(input_tokens + output_tokens), 0) FROM usage WHERE tier_key = ? AND at >= ${SINCE}`,
    )
      .pluck()
      .get(r.tierKey, r.windowStart, r.tierKey) as number;
    // A request id reserving again replaces its own hold rather than stacking on it.
    const reserved = this.sql(
      'SELECT coalesce(sum(tokens), 0) FROM reservations WHERE tier_key = ? AND request_id <> ?',
    )
      .pluck()
      .get(r.tierKey, r.requestId) as number;
    if (used + reserved + r.tokens > r.limit) return false;
    this.sql(
      `INSERT INTO reservations (request_id, tier_key, tokens, expires_at, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (request_id) DO UPDATE SET
         tier_key = excluded.tier_key, tokens = excluded.tokens, expires_at = excluded.expires_at`,
    ).run(r.requestId, r.tierKey, r.tokens, r.expiresAt, r.now);
    return true;
  }

  release(requestId: string): void {
    this.guard(() => this.sql('DELETE FROM reservations WHERE request_id = ?').run(requestId));
  }

  settle(record: UsageRecord): void {
    this.guard(() => this.settleTx.immediate(record));
  }

  private settleInside(u: UsageRecord): void {
    this.sql(
      `INSERT OR IGNORE INTO usage
         (request_id, provider, model, tier_key, billing, input_tokens, output_tokens,
          reasoning_tokens, cache_read_tokens, cache_write_tokens, estimated, outcome, at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      u.requestId,
      u.provider,
      u.model,
      u.tierKey ?? null,
      u.billing,
      u.inputTokens,
      u.outputTokens,
      u.reasoningTokens ?? null,
      u.cacheReadTokens ?? null,
      u.cacheWriteTokens ?? null,
      u.estimated ? 1 : 0,
      u.outcome,
      u.at,
    );
    this.sql('DELETE FROM reservations WHERE request_id = ?').run(u.requestId);
  }

  setCooldown(c: Cooldown): void {
    // One statement is its own transaction; the WHERE keeps a longer cooldown another process already set.
    this.guard(() =>
      this.sql(
        `INSERT INTO cooldowns (scope, kind, until, reason) VALUES (?, ?, ?, ?)
         ON CONFLICT (scope) DO UPDATE SET kind = excluded.kind, until = excluded.until, reason = excluded.reason
         WHERE excluded.until > cooldowns.until`,
      ).run(c.scope, c.kind, c.until, c.reason),
    );
  }

  /**
   * Clears every cooldown, or those of one scope and the scopes under it. Returns how many were cleared.
   */
  clearCooldowns(scopePrefix?: string): number {
    return this.guard(() => {
      if (scopePrefix === undefined) return this.sql('DELETE FROM cooldowns').run().changes;
      // `groq` clears `groq`, its deployments `groq:*`, its rejected keys `groq#*` and its failing endpoints
      // (`groq:llama@*`, under the deployment), never `groq2`.
      return this.sql(
        "DELETE FROM cooldowns WHERE scope = ? OR substr(scope, 1, length(?) + 1) IN (? || ':', ? || '#', ? || '@')",
      ).run(scopePrefix, scopePrefix, scopePrefix, scopePrefix, scopePrefix).changes;
    });
  }

  /** A manual reset: the tier's usage before `at` stops counting. A later reset wins over an earlier one. */
  resetTier(tierKey: string, at: number): void {
    this.guard(() =>
      this.sql(
        `INSERT INTO tier_resets (tier_key, at) VALUES (?, ?)
         ON CONFLICT (tier_key) DO UPDATE SET at = max(at, excluded.at)`,
      ).run(tierKey, at),
    );
  }

  usageSince(since: number): UsageTotal[] {
    return this.guard(
      () =>
        this.sql(
          `SELECT provider, model, billing, sum(input_tokens) AS inputTokens, sum(output_tokens) AS outputTokens,
             count(*) AS calls, sum(estimated) AS estimatedCalls
           FROM usage WHERE at >= ? GROUP BY provider, model, billing ORDER BY provider, model, billing`,
        ).all(since) as UsageTotal[],
    );
  }

  /** Adds messages to a conversation, creating it if it is new. */
  appendMessages(cid: string, messages: Message[], now: number): void {
    this.guard(() => this.appendTx.immediate(cid, messages, now));
  }

  private appendInside(cid: string, messages: Message[], now: number): void {
    this.sql(
      `INSERT INTO conversations (id, created_at, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at`,
    ).run(cid, now, now);
    const last = this.sql('SELECT coalesce(max(seq), 0) FROM messages WHERE conversation_id = ?').pluck().get(cid);
    let seq = last as number;
    const insert = this.sql('INSERT INTO messages (conversation_id, seq, role, content, at) VALUES (?, ?, ?, ?, ?)');
    for (const m of messages) insert.run(cid, ++seq, m.role, m.content, now);
  }

  /** The conversation's messages in order, or undefined when there is no such conversation. */
  loadConversation(cid: string): Message[] | undefined {
    return this.guard(() => {
      if (this.sql('SELECT 1 FROM conversations WHERE id = ?').get(cid) === undefined) return undefined;
      const messages = this.sql('SELECT role, content FROM messages WHERE conversation_id = ? ORDER BY seq').all(cid);
      return messages as Message[];
    });
  }

  /** The conversation most recently added to, for `chat -c`. */
  latestConversationId(): string | undefined {
    return this.guard(
      () =>
        this.sql('SELECT id FROM conversations ORDER BY updated_at DESC, rowid DESC LIMIT 1').pluck().get() as
          | string
          | undefined,
    );
  }

  /** Tokens recorded under a request id, if any: how `migrate` finds the usage it carried over before. */
  tokensOf(requestId: string): number | undefined {
    return this.guard(
      () => this.sql('SELECT input_tokens + output_tokens FROM usage WHERE request_id = ?').pluck().get(requestId) as number | undefined,
    );
  }

  /** Usage carried over from elsewhere (`migrate`), all rows in one transaction; a row with the same id is replaced. */
  importUsage(records: UsageRecord[]): void {
    this.guard(() =>
      this.db
        .transaction(() => {
          for (const r of records) this.sql('DELETE FROM usage WHERE request_id = ?').run(r.requestId);
          for (const r of records) this.settleInside(r);
        })
        .immediate(),
    );
  }

  /** A consistent copy of the whole ledger at `path` (which must not exist), taken while others may write. */
  copyTo(path: string): void {
    this.guard(() => this.sql('VACUUM INTO ?').run(path));
  }

  /** Problems `PRAGMA quick_check` finds (empty when sound). Reads every page: for `doctor`, not every start. */
  quickCheck(): string[] {
    const result = this.guard(() => this.db.pragma('quick_check', { simple: false }) as Array<{ quick_check: string }>);
    return result.map((row) => row.quick_check).filter((line) => line !== 'ok');
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

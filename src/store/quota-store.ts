// The quota half of the ledger on SQLite (the core's QuotaLedger port, through quota-backend.ts): usage, reservations, cooldowns and manual
// resets, shared by every process on the machine. Correctness under concurrency comes from SQLite, not from us: WAL
// lets readers run beside the one writer, the busy timeout queues writers, and every read-modify-write is one
// IMMEDIATE transaction: the write lock is taken before the read, where a deferred one would read, then fail with
// SQLITE_BUSY on its first write if another process wrote meanwhile (and without any transaction, two processes
// would both see room and both book it).
import type Database from 'better-sqlite3';
import { LIMIT_UNITS, windowKey } from '../core/types.ts';
import type {
  LimitUnit,
  Cooldown,
  CooldownScope,
  LedgerSnapshot,
  Reservation,
  TierUsage,
  TierWindow,
  UsageRecord,
} from '../core/types.ts';
import { asLedgerError } from './ledger-file.ts';
import { LedgerPruner } from './ledger-prune.ts';
import {
  type CooldownRow,
  fromRow,
  recordOf,
  tierUsage,
  USAGE_COLUMNS,
  type UsageRow,
  usageValues,
} from './ledger-rows.ts';
import { statementCache } from './statements.ts';
import type { DailyUsageRow } from '../core/usage-report.ts';
import { addToDaily, DAILY_REPORT, dailyReportValues, type UsageRange, usedSinceSql } from './usage-daily.ts';

// What calls in flight hold of each unit: their tokens (an input-token limit counts the whole hold: the prompt's
// share is not kept, so it errs on the safe side), or one request each.
const HELD: Record<LimitUnit, string> = {
  tokens: 'coalesce(sum(tokens), 0)',
  input_tokens: 'coalesce(sum(tokens), 0)',
  requests: 'count(*)',
};

// A tier's usage counts from its window start or its last manual reset, whichever is later: `s` (key, since) from
// the windows `w` (key, start).
const SINCE_SQL = `SELECT w.*, max(start, coalesce((SELECT at FROM tier_resets WHERE tier_key = w.key), 0)) AS since FROM w`;

export class QuotaStore {
  private readonly sql: (text: string) => Database.Statement;
  private readonly reserveTx: Database.Transaction<(r: Reservation) => boolean>;
  private readonly settleTx: Database.Transaction<(record: UsageRecord) => void>;
  private readonly snapshotTx: Database.Transaction<
    (windows: TierWindow[], now: number) => { snapshot: LedgerSnapshot; until: number }
  >;
  private readonly importTx: Database.Transaction<(records: UsageRecord[]) => void>;
  private readonly pruner: LedgerPruner;
  /**
   * A write check passed and no statement has failed since: the next check can trust it rather than write a row on
   * every call. Any failure (a settle on a disk that filled, a read-only remount) clears it, so the call after a
   * failure is checked for real again.
   */
  private writeChecked = false;
  /** The last plan snapshot, and what must not have changed for it to be served again (see snapshot). */
  private cached?: CachedSnapshot;

  constructor(
    db: Database.Database,
    private readonly path: string,
    /** The real time the pruner holds settle times to (see ledger-prune.ts); injectable for tests. */
    wallClock: () => number = Date.now,
  ) {
    this.sql = statementCache(db);
    this.pruner = new LedgerPruner(db, this.sql, wallClock);
    this.reserveTx = db.transaction((r: Reservation) => this.reserveInside(r));
    this.settleTx = db.transaction((record: UsageRecord) => this.settleInside(record));
    // A plain (deferred) read transaction: usage and cooldowns come from one consistent moment.
    this.snapshotTx = db.transaction((windows: TierWindow[], now: number) => ({
      snapshot: this.snapshotInside(windows, now),
      until: this.nextExpiry(now),
    }));
    this.importTx = db.transaction((records: UsageRecord[]) => {
      for (const r of records) this.removeUsage(r.requestId);
      for (const r of records) this.settleInside(r);
    });
  }

  /** SQLite reporting damage mid-run becomes the same ConfigError an open would have given. */
  private guard<T>(run: () => T): T {
    // Every statement but the snapshot's goes through here: our own writes do not move PRAGMA data_version, so any
    // of them forgets the cached snapshot (a read forgetting it too costs one snapshot, and keeps this simple).
    this.cached = undefined;
    try {
      return run();
    } catch (err) {
      this.writeChecked = false;
      throw asLedgerError(err, this.path);
    }
  }

  /**
   * Usage, holds and cooldowns for the plan. Served from the last snapshot while it still holds: the same windows,
   * no commit by another connection since (PRAGMA data_version), none of ours (guard), and the clock not yet at the
   * first hold or cooldown that would drop out of it. The reserve stays the one serialised step: a plan read from a
   * snapshot can only be refused there, never over-reserve.
   */
  snapshot(windows: TierWindow[], now: number): LedgerSnapshot {
    const key = JSON.stringify(windows);
    const c = this.cached;
    if (c && c.key === key && now >= c.now && now < c.until && c.dataVersion === this.dataVersion())
      return { usage: new Map(c.snapshot.usage), cooldowns: [...c.snapshot.cooldowns] };
    // The version is read before the snapshot: a commit in between only makes the cache look stale one call early.
    const dataVersion = this.dataVersion();
    const { snapshot, until } = this.guard(() => this.snapshotTx(windows, now));
    this.cached = { key, now, until, dataVersion, snapshot };
    return { usage: new Map(snapshot.usage), cooldowns: [...snapshot.cooldowns] };
  }

  private dataVersion(): number {
    try {
      return this.sql('PRAGMA data_version').pluck().get() as number;
    } catch (err) {
      this.writeChecked = false;
      throw asLedgerError(err, this.path);
    }
  }

  private snapshotInside(windows: TierWindow[], now: number): LedgerSnapshot {
    const usage = new Map<string, TierUsage>();
    // One statement per unit counted: the windows go in as one JSON parameter; each sum reads a tier's daily totals
    // (at most a window's days) and the detailed rows of the part-day at its start: both index range scans.
    for (const unit of LIMIT_UNITS) {
      const these = windows.filter((w) => (w.unit ?? 'tokens') === unit);
      if (these.length === 0) continue;
      const rows = this.sql(
        `WITH w AS (
           SELECT json_extract(value, '$.key') AS key, json_extract(value, '$.windowStart') AS start,
                  json_extract(value, '$.id') AS id FROM json_each(?)
         ), s AS (${SINCE_SQL})
         SELECT id, ${usedSinceSql('s.key', 's.since', unit)} AS used,
           (SELECT ${HELD[unit]} FROM reservations WHERE tier_key = s.key AND expires_at > ?) AS reserved,
           (SELECT max(expires_at) FROM reservations WHERE tier_key = s.key AND expires_at > ?) AS held_until
         FROM s`,
      ).all(
        JSON.stringify(these.map((w) => ({ key: w.key, windowStart: w.windowStart, id: windowKey(w) }))),
        now,
        now,
      ) as Array<{ id: string; used: number; reserved: number; held_until: number | null }>;
      for (const row of rows) usage.set(row.id, tierUsage(row.used, row.reserved, row.held_until));
    }
    const rows = this.sql(
      `SELECT provider, model, key_fp, endpoint_fp, kind, until, reason FROM cooldowns WHERE until > ?
       ORDER BY provider, model, key_fp, endpoint_fp`,
    ).all(now) as CooldownRow[];
    return { usage, cooldowns: rows.map(fromRow) };
  }

  /** The first moment a hold or a cooldown counted at `now` stops counting: a snapshot is good until then. */
  private nextExpiry(now: number): number {
    const first = this.sql(
      `SELECT min(t) FROM (SELECT min(expires_at) AS t FROM reservations WHERE expires_at > ?
                           UNION ALL SELECT min(until) FROM cooldowns WHERE until > ?)`,
    )
      .pluck()
      .get(now, now) as number | null;
    return first ?? Number.POSITIVE_INFINITY;
  }

  reserve(reservation: Reservation): boolean {
    return this.guard(() => this.reserveTx.immediate(reservation));
  }

  private reserveInside(r: Reservation): boolean {
    // Reservations of processes that died never settle; once expired they are dropped, so nothing leaks.
    this.sql('DELETE FROM reservations WHERE expires_at <= ?').run(r.now);
    for (const limit of r.limits) {
      const used = this.sql(
        `WITH w AS (SELECT ? AS key, ? AS start), s AS (${SINCE_SQL}) SELECT ${usedSinceSql('s.key', 's.since', limit.unit)} FROM s`,
      )
        .pluck()
        .get(r.tierKey, limit.windowStart) as number;
      // A request id reserving again replaces its own hold rather than stacking on it.
      const held = this.sql(`SELECT ${HELD[limit.unit]} FROM reservations WHERE tier_key = ? AND request_id <> ?`)
        .pluck()
        .get(r.tierKey, r.requestId) as number;
      const need = limit.unit === 'requests' ? 1 : limit.unit === 'tokens' ? r.tokens : r.inputTokens;
      if (used + held + need > limit.limit) return false;
    }
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

  /** Drops every hold, or one tier's, leaving usage as it is; returns how many were dropped. */
  releaseHeld(tierKey?: string): number {
    return this.guard(() =>
      tierKey === undefined
        ? this.sql('DELETE FROM reservations').run().changes
        : this.sql('DELETE FROM reservations WHERE tier_key = ?').run(tierKey).changes,
    );
  }

  settle(record: UsageRecord): void {
    this.guard(() => {
      this.settleTx.immediate(record);
      // The writer of usage keeps the ledger small; a separate transaction, so the settle is never held up by it.
      this.pruner.maybePrune(record.at);
    });
  }

  private settleInside(u: UsageRecord): void {
    const inserted = this.sql(
      `INSERT OR IGNORE INTO usage (${USAGE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(...usageValues(u)).changes;
    // Only a first settle counts: a repeated request id changes neither the row nor the day's totals.
    if (inserted > 0) addToDaily(this.sql, u, 1);
    this.sql('DELETE FROM reservations WHERE request_id = ?').run(u.requestId);
  }

  /** Deletes a detailed row and takes it back out of its day's totals (an import replacing its earlier record). */
  private removeUsage(requestId: string): void {
    const row = this.sql('SELECT * FROM usage WHERE request_id = ?').get(requestId) as UsageRow | undefined;
    if (!row) return;
    addToDaily(this.sql, recordOf(row), -1);
    this.sql('DELETE FROM usage WHERE request_id = ?').run(requestId);
  }

  checkWritable(now: number): void {
    if (this.writeChecked) return;
    // A real write, committed like a reservation (one row's page appended to the WAL): a read-only file or mount
    // fails here with SQLITE_READONLY, a full disk with SQLITE_FULL, before the call that would need recording.
    // Once per process, and again after any failure (see writeChecked): not an upsert and a commit per call.
    this.guard(() =>
      this.sql(
        'INSERT INTO ledger_meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
      ).run('write_checked_at', now),
    );
    this.writeChecked = true;
  }

  setCooldown(c: Cooldown): void {
    // One statement is its own transaction; the WHERE keeps a longer cooldown another process already set.
    this.guard(() =>
      this.sql(
        `INSERT INTO cooldowns (provider, model, key_fp, endpoint_fp, kind, until, reason) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (provider, model, key_fp, endpoint_fp)
         DO UPDATE SET kind = excluded.kind, until = excluded.until, reason = excluded.reason
         WHERE excluded.until > cooldowns.until`,
      ).run(c.provider, c.model ?? '', c.keyFingerprint ?? '', c.endpointFingerprint ?? '', c.kind, c.until, c.reason),
    );
  }

  /**
   * Clears every cooldown, or those of one provider (its own, its keys', its deployments'), or of one deployment
   * (with those of its endpoints). Returns how many were cleared.
   */
  clearCooldowns(scope?: Pick<CooldownScope, 'provider' | 'model'>): number {
    return this.guard(() => {
      if (scope === undefined) return this.sql('DELETE FROM cooldowns').run().changes;
      if (scope.model === undefined)
        return this.sql('DELETE FROM cooldowns WHERE provider = ?').run(scope.provider).changes;
      return this.sql('DELETE FROM cooldowns WHERE provider = ? AND model = ?').run(scope.provider, scope.model)
        .changes;
    });
  }

  /** Tokens recorded under a request id, if any: how `migrate` finds the usage it carried over before. */
  tokensOf(requestId: string): number | undefined {
    return this.guard(
      () =>
        this.sql('SELECT input_tokens + output_tokens FROM usage WHERE request_id = ?').pluck().get(requestId) as
          | number
          | undefined,
    );
  }

  /**
   * Usage brought in from elsewhere (`migrate`): each record replaces any earlier one with its request id, all in one
   * transaction, so importing the same source again counts nothing twice.
   */
  importUsage(records: UsageRecord[]): void {
    this.guard(() => this.importTx.immediate(records));
  }

  /**
   * What `ledger copy` carries to a shared database: every detailed usage row still kept (the last DETAIL_DAYS,
   * longer than any window), manual resets and cooldowns, in time order.
   */
  exportAll(): { usage: UsageRecord[]; resets: Array<{ tierKey: string; at: number }>; cooldowns: Cooldown[] } {
    return this.guard(() => ({
      usage: (this.sql('SELECT * FROM usage ORDER BY at, request_id').all() as UsageRow[]).map(recordOf),
      resets: this.sql('SELECT tier_key AS tierKey, at FROM tier_resets ORDER BY tier_key').all() as Array<{
        tierKey: string;
        at: number;
      }>,
      cooldowns: (
        this.sql('SELECT * FROM cooldowns ORDER BY provider, model, key_fp, endpoint_fp').all() as CooldownRow[]
      ).map(fromRow),
    }));
  }

  /** The usage report's rows: tokens and calls per day, deployment and billing kind (usage-daily.ts). */
  dailyUsage(range: UsageRange): DailyUsageRow[] {
    return this.guard(() => this.sql(DAILY_REPORT).all(...dailyReportValues(range)) as DailyUsageRow[]);
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
}

/** A snapshot kept for the plans that follow (QuotaStore.snapshot says when it is served). */
interface CachedSnapshot {
  /** The windows asked for, as JSON. */
  key: string;
  /** The clock it was taken at, and the first moment a hold or cooldown in it expires. */
  now: number;
  until: number;
  /** PRAGMA data_version when it was taken: another connection's commit moves it. */
  dataVersion: number;
  snapshot: LedgerSnapshot;
}

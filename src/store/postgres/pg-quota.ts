// The quota ledger on PostgreSQL: the same QuotaBackend as the SQLite store (quota-store.ts), for several processes
// on several hosts sharing one free tier. Each operation is one statement: one round trip, its own transaction, and
// a pooled connection held only that long. A reservation is a call of `llmgw_reserve` (pg-schema.ts): it takes the
// tier's advisory lock (`pg_advisory_xact_lock`, held until that statement's transaction ends), so two hosts
// booking the same tier queue there, and then reads usage and holds with a fresh snapshot, which shows what the
// first one booked. A process that dies holding the lock loses its connection and the lock with it; a reservation
// it left expires at its `expires_at`, as on SQLite. Settling needs no lock: its insert of usage and delete of the
// reservation commit together, so a reservation's check sees either both or neither.
import type { Pool } from 'pg';
import { LIMIT_UNITS, windowKey } from '../../core/types.ts';
import type {
  LimitUnit,
  Cooldown,
  CooldownScope,
  LedgerSnapshot,
  Reservation,
  TierUsage,
  TierWindow,
  UsageRecord,
} from '../../core/types.ts';
import type { DailyUsageRow } from '../../core/usage-report.ts';
import type { QuotaBackend } from '../quota-backend.ts';
import {
  type CooldownRow,
  fromRow,
  recordOf,
  tierUsage,
  USAGE_COLUMNS,
  type UsageRow,
  usageValues,
} from '../ledger-rows.ts';
import {
  ADD_DAILY,
  DAILY_COLUMNS,
  DAILY_REPORT,
  DAILY_UPSERT,
  DAY_MS,
  dailyReportValues,
  type UsageRange,
  DROP_EMPTY_DAILY,
  dailyValues,
  usedSinceSql,
} from '../usage-daily.ts';
import { PgPruner } from './pg-prune.ts';
import { DatabaseError, dollarParams, type PgConnection } from './pg-connection.ts';
import type { UsageSpool } from './usage-spool.ts';

const SINCE = (key: string, start: string) =>
  `greatest(${start}, coalesce((SELECT at FROM tier_resets WHERE tier_key = ${key}), 0))`;

/** What calls in flight hold of each unit: their tokens (all of them for an input-token limit), or one request each. */
const HELD: Record<LimitUnit, string> = {
  tokens: 'coalesce(sum(tokens), 0)',
  input_tokens: 'coalesce(sum(tokens), 0)',
  requests: 'count(*)',
};

/** Every window counted in `unit`: what each used since its start (or the tier's reset) and what is held. */
const SNAPSHOT = (unit: LimitUnit) => `
  WITH s AS (
    SELECT w.key, w.id, ${SINCE('w.key', 'w.start')} AS since
    FROM unnest($1::text[], $2::bigint[], $3::text[]) AS w(key, start, id)
  )
  SELECT id, ${usedSinceSql('s.key', 's.since', unit)} AS used,
    (SELECT ${HELD[unit]} FROM reservations WHERE tier_key = s.key AND expires_at > $4) AS reserved,
    (SELECT max(expires_at) FROM reservations WHERE tier_key = s.key AND expires_at > $4) AS held_until
  FROM s`;

// One statement: the detailed row (a repeated request id inserts nothing), the day's totals only when it was
// inserted, and the reservation dropped. The daily row's values are the usage row's, in DAILY_COLUMNS order.
const SETTLE = `
  WITH ins AS (
    INSERT INTO usage (${USAGE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
    ON CONFLICT (request_id) DO NOTHING
    RETURNING 1
  ), daily AS (
    INSERT INTO usage_daily (${DAILY_COLUMNS})
      SELECT coalesce($4, ''), $13 - $13 % ${DAY_MS}, $2, $3, $5, $12, 1, $11, $6, $7, $8, $9, $10 FROM ins
    ${DAILY_UPSERT}
  ), released AS (DELETE FROM reservations WHERE request_id = $1)
  SELECT count(*) AS inserted FROM ins`;

export class PgQuota implements QuotaBackend {
  private readonly pool: Pool;
  private readonly pruner: PgPruner;

  constructor(
    private readonly connection: PgConnection,
    /** Where usage waits while the database is unreachable (usage-spool.ts); none: such usage is reported lost. */
    private readonly spool?: UsageSpool,
    /** The real time the pruner holds settle times to (see ledger-prune.ts); injectable for tests. */
    wallClock: () => number = Date.now,
  ) {
    this.pool = connection.pool;
    this.pruner = new PgPruner(connection, wallClock);
  }

  get location(): string {
    return this.connection.description;
  }

  async snapshot(windows: TierWindow[], now: number): Promise<LedgerSnapshot> {
    return this.connection.guard(async () => {
      const usage = new Map<string, TierUsage>();
      for (const unit of LIMIT_UNITS) {
        const these = windows.filter((w) => (w.unit ?? 'tokens') === unit);
        if (these.length === 0) continue;
        const { rows } = await this.pool.query(SNAPSHOT(unit), [
          these.map((w) => w.key),
          these.map((w) => w.windowStart),
          these.map((w) => windowKey(w)),
          now,
        ]);
        for (const row of rows)
          usage.set(
            row.id,
            tierUsage(Number(row.used), Number(row.reserved), row.held_until === null ? null : Number(row.held_until)),
          );
      }
      const { rows } = await this.pool.query<CooldownRow>(
        `SELECT provider, model, key_fp, endpoint_fp, kind, until, reason FROM cooldowns WHERE until > $1
         ORDER BY provider, model, key_fp, endpoint_fp`,
        [now],
      );
      return { usage, cooldowns: rows.map(fromRow) };
    });
  }

  async reserve(r: Reservation): Promise<boolean> {
    await this.replayKept();
    return this.connection.guard(async () => {
      const { rows } = await this.pool.query('SELECT llmgw_reserve_limits($1, $2, $3, $4, $5, $6, $7, $8, $9) AS ok', [
        r.requestId,
        r.tierKey,
        r.tokens,
        r.inputTokens,
        r.limits.map((l) => l.unit),
        r.limits.map((l) => l.windowStart),
        r.limits.map((l) => l.limit),
        r.now,
        r.expiresAt,
      ]);
      return rows[0].ok === true;
    });
  }

  async release(requestId: string): Promise<void> {
    await this.connection.guard(() => this.pool.query('DELETE FROM reservations WHERE request_id = $1', [requestId]));
  }

  async releaseHeld(tierKey?: string): Promise<number> {
    const result = await this.connection.guard(() =>
      tierKey === undefined
        ? this.pool.query('DELETE FROM reservations')
        : this.pool.query('DELETE FROM reservations WHERE tier_key = $1', [tierKey]),
    );
    return result.rowCount ?? 0;
  }

  async settle(record: UsageRecord): Promise<void> {
    try {
      await this.connection.guard(() => this.pool.query(SETTLE, usageValues(record)));
    } catch (err) {
      // The call was made: keep its usage here until the database is back, rather than lose it.
      if (!(this.spool && err instanceof DatabaseError && err.unreachable)) throw err;
      this.spool.keep(record);
      return;
    }
    await this.replayKept();
    // The writer of usage keeps the ledger small; after the settle, so the settle is never held up by it.
    await this.connection.guard(() => this.pruner.maybePrune(record.at));
  }

  /** Settles the usage kept while the database was unreachable, now that it answers (usage-spool.ts). */
  async replayKept(): Promise<number> {
    if (!this.spool?.pending) return 0;
    return this.spool.replay((records) =>
      this.connection.guard(() =>
        this.connection.transaction(async (client) => {
          for (const r of records) await client.query(SETTLE, usageValues(r));
        }),
      ),
    );
  }

  async checkWritable(now: number): Promise<void> {
    await this.replayKept();
    await this.connection.guard(() =>
      this.pool.query(
        `INSERT INTO ledger_meta (name, value) VALUES ('write_checked_at', $1)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
        [now],
      ),
    );
  }

  async setCooldown(c: Cooldown): Promise<void> {
    await this.connection.guard(() =>
      this.pool.query(
        `INSERT INTO cooldowns (provider, model, key_fp, endpoint_fp, kind, until, reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (provider, model, key_fp, endpoint_fp)
         DO UPDATE SET kind = excluded.kind, until = excluded.until, reason = excluded.reason
         WHERE excluded.until > cooldowns.until`,
        [c.provider, c.model ?? '', c.keyFingerprint ?? '', c.endpointFingerprint ?? '', c.kind, c.until, c.reason],
      ),
    );
  }

  async clearCooldowns(scope?: Pick<CooldownScope, 'provider' | 'model'>): Promise<number> {
    return this.connection.guard(async () => {
      const result =
        scope === undefined
          ? await this.pool.query('DELETE FROM cooldowns')
          : scope.model === undefined
            ? await this.pool.query('DELETE FROM cooldowns WHERE provider = $1', [scope.provider])
            : await this.pool.query('DELETE FROM cooldowns WHERE provider = $1 AND model = $2', [
                scope.provider,
                scope.model,
              ]);
      return result.rowCount ?? 0;
    });
  }

  async tokensOf(requestId: string): Promise<number | undefined> {
    return this.connection.guard(async () => {
      const { rows } = await this.pool.query(
        'SELECT input_tokens + output_tokens AS tokens FROM usage WHERE request_id = $1',
        [requestId],
      );
      return rows[0]?.tokens;
    });
  }

  async importUsage(records: UsageRecord[]): Promise<void> {
    await this.connection.guard(() =>
      this.connection.transaction(async (client) => {
        for (const r of records) {
          // Taken back out of its day's totals first, so importing the same source again counts nothing twice.
          const { rows } = await client.query('DELETE FROM usage WHERE request_id = $1 RETURNING *', [r.requestId]);
          if (rows[0]) await removeFromDaily(client, rows[0]);
        }
        for (const r of records) await client.query(SETTLE, usageValues(r));
      }),
    );
  }

  /**
   * Usage copied in from a machine's own ledger (`ledger copy`), in one transaction: a request id already here is
   * left as it is, so copying again adds nothing. Resolves to how many rows were new.
   */
  async copyIn(
    usage: UsageRecord[],
    resets: Array<{ tierKey: string; at: number }>,
    cooldowns: Cooldown[],
  ): Promise<number> {
    const added = await this.connection.guard(() =>
      this.connection.transaction(async (client) => {
        let added = 0;
        for (const r of usage) added += (await client.query(SETTLE, usageValues(r))).rows[0].inserted;
        return added;
      }),
    );
    for (const r of resets) await this.resetTier(r.tierKey, r.at);
    for (const c of cooldowns) await this.setCooldown(c);
    return added;
  }

  async resetTier(tierKey: string, at: number): Promise<void> {
    await this.connection.guard(() =>
      this.pool.query(
        `INSERT INTO tier_resets (tier_key, at) VALUES ($1, $2)
         ON CONFLICT (tier_key) DO UPDATE SET at = greatest(tier_resets.at, excluded.at)`,
        [tierKey, at],
      ),
    );
  }

  async dailyUsage(range: UsageRange): Promise<DailyUsageRow[]> {
    return this.connection.guard(async () => {
      const { rows } = await this.pool.query<DailyUsageRow>(dollarParams(DAILY_REPORT), dailyReportValues(range));
      return rows;
    });
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}

/** Takes a deleted usage row back out of its day's totals (an import replacing it), dropping totals left empty. */
async function removeFromDaily(client: Pick<Pool, 'query'>, row: UsageRow): Promise<void> {
  const values = dailyValues(recordOf(row), -1);
  await client.query(dollarParams(ADD_DAILY), values);
  await client.query(dollarParams(DROP_EMPTY_DAILY), values.slice(0, 6));
}

// Per-day usage totals (the usage_daily table of m006): what reports and free-tier windows read, so that their cost
// follows the number of days asked about, not the number of calls made. Every settle adds its row here in the same
// transaction as the detailed row, so the two never disagree; pruning detailed rows (ledger-prune.ts) leaves the
// totals whole.
import type Database from 'better-sqlite3';
import type { LimitUnit, UsageRecord } from '../core/types.ts';

export const DAY_MS = 86_400_000;

/** 00:00 UTC of the day holding `at`. */
export const dayOf = (at: number): number => at - (at % DAY_MS);

/** How each unit is summed: over the daily totals, and over the detailed rows. */
const UNIT_SUMS: Record<LimitUnit, { daily: string; detail: string }> = {
  tokens: { daily: 'input_tokens + output_tokens', detail: 'input_tokens + output_tokens' },
  input_tokens: { daily: 'input_tokens', detail: 'input_tokens' },
  requests: { daily: 'calls', detail: '1' },
};

/**
 * What a tier used from `since` (an SQL expression, epoch ms) on — tokens, input tokens or requests — as one SQL
 * expression over `key` (the tier key, also SQL). Whole UTC days come from the daily totals; a window starting
 * within a day (a manual reset, a rolling minute, a day that starts at midnight in another time zone) takes the rest
 * of that day from the detailed rows, which are kept 90 days (ledger-prune.ts), longer than any window. Each row is
 * counted once: daily totals from the first day boundary at or after `since`, detailed rows before it. Bound
 * numbers arrive as REAL, hence the CAST (BIGINT: on PostgreSQL a 4-byte integer times a day's milliseconds would
 * overflow).
 */
export function usedSinceSql(key: string, since: string, unit: LimitUnit = 'tokens'): string {
  const edge = `(CAST(((${since}) + ${DAY_MS - 1}) / ${DAY_MS} AS BIGINT) * ${DAY_MS})`;
  const sum = UNIT_SUMS[unit];
  return `(
    (SELECT coalesce(sum(${sum.daily}), 0) FROM usage_daily WHERE tier_key = ${key} AND day >= ${edge})
    + (SELECT coalesce(sum(${sum.detail}), 0) FROM usage
         WHERE tier_key = ${key} AND at >= (${since}) AND at < ${edge})
  )`;
}

/** The columns of a daily total, in the order the values of `dailyValues` come. */
export const DAILY_COLUMNS = `tier_key, day, provider, model, billing, outcome, calls, estimated_calls,
    input_tokens, output_tokens, reasoning_tokens, cache_read_tokens, cache_write_tokens`;

/** Adding a call to a day's totals that already exist (the same text on SQLite and on PostgreSQL). */
export const DAILY_UPSERT = `
  ON CONFLICT (tier_key, day, provider, model, billing, outcome) DO UPDATE SET
    calls = usage_daily.calls + excluded.calls,
    estimated_calls = usage_daily.estimated_calls + excluded.estimated_calls,
    input_tokens = usage_daily.input_tokens + excluded.input_tokens,
    output_tokens = usage_daily.output_tokens + excluded.output_tokens,
    -- NULL is "not reported": adding nothing leaves the column as it was.
    reasoning_tokens = CASE WHEN excluded.reasoning_tokens IS NULL THEN usage_daily.reasoning_tokens
                            ELSE coalesce(usage_daily.reasoning_tokens, 0) + excluded.reasoning_tokens END,
    cache_read_tokens = CASE WHEN excluded.cache_read_tokens IS NULL THEN usage_daily.cache_read_tokens
                             ELSE coalesce(usage_daily.cache_read_tokens, 0) + excluded.cache_read_tokens END,
    cache_write_tokens = CASE WHEN excluded.cache_write_tokens IS NULL THEN usage_daily.cache_write_tokens
                              ELSE coalesce(usage_daily.cache_write_tokens, 0) + excluded.cache_write_tokens END`;

export const ADD_DAILY = `INSERT INTO usage_daily (${DAILY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ${DAILY_UPSERT}`;

/** A day's totals left at zero calls (every call taken back out) are deleted; their key is `dailyValues`' first 6. */
export const DROP_EMPTY_DAILY = `DELETE FROM usage_daily WHERE tier_key = ? AND day = ? AND provider = ? AND model = ?
  AND billing = ? AND outcome = ? AND calls = 0`;

/** The values of ADD_DAILY for a call added (`sign` 1) or taken back out (-1). */
export function dailyValues(u: UsageRecord, sign: 1 | -1): Array<string | number | null> {
  const n = (value: number | undefined) => (value === undefined ? null : sign * value);
  return [
    u.tierKey ?? '',
    dayOf(u.at),
    u.provider,
    u.model,
    u.billing,
    u.outcome,
    sign,
    u.estimated ? sign : 0,
    sign * u.inputTokens,
    sign * u.outputTokens,
    n(u.reasoningTokens),
    n(u.cacheReadTokens),
    n(u.cacheWriteTokens),
  ];
}

/**
 * Adds a settled call to its day's totals (`sign` 1), or takes one back out (`sign` -1: `migrate` replacing a
 * record it imported before). The caller holds the write transaction that inserts or deletes the detailed row.
 */
export function addToDaily(sql: (text: string) => Database.Statement, u: UsageRecord, sign: 1 | -1): void {
  const values = dailyValues(u, sign);
  sql(ADD_DAILY).run(...values);
  if (sign < 0) sql(DROP_EMPTY_DAILY).run(...values.slice(0, 6));
}

/**
 * The usage report's rows (`usage`, the dashboard's chart), the same on SQLite and PostgreSQL: tokens and calls per
 * day, deployment and billing kind within a range. Parameters (`?`): first day, last day, model, model, provider,
 * provider — model and provider NULL for all (cast, so PostgreSQL knows their type). Quoted aliases keep their case.
 */
export const DAILY_REPORT = `
  SELECT day, provider, model, billing, sum(calls) AS "calls", sum(input_tokens) AS "inputTokens",
    sum(output_tokens) AS "outputTokens", coalesce(sum(reasoning_tokens), 0) AS "reasoningTokens",
    coalesce(sum(cache_read_tokens), 0) AS "cacheReadTokens", coalesce(sum(cache_write_tokens), 0) AS "cacheWriteTokens",
    0 AS "fallbacks", 0 AS "failures"
  FROM usage_daily
  WHERE day >= ? AND day <= ? AND (CAST(? AS TEXT) IS NULL OR model = ?) AND (CAST(? AS TEXT) IS NULL OR provider = ?)
  GROUP BY day, provider, model, billing`;

/** DAILY_REPORT's parameters. */
export function dailyReportValues(range: UsageRange): Array<number | string | null> {
  const model = range.model ?? null;
  const provider = range.provider ?? null;
  return [range.since, range.until, model, model, provider, provider];
}

export interface UsageRange {
  /** First day and last day (00:00 UTC, epoch ms), both included. */
  since: number;
  until: number;
  model?: string;
  provider?: string;
}

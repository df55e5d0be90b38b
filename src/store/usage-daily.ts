// Per-day usage totals (the usage_daily table of m006): what reports and free-tier windows read, so that their cost
// follows the number of days asked about, not the number of calls made. Every settle adds its row here in the same
// transaction as the detailed row, so the two never disagree; pruning detailed rows (ledger-prune.ts) leaves the
// totals whole.
import type Database from 'better-sqlite3';
import type { UsageRecord } from '../core/types.ts';

export const DAY_MS = 86_400_000;

/** 00:00 UTC of the day holding `at`. */
export const dayOf = (at: number): number => at - (at % DAY_MS);

/**
 * Tokens a tier used from `since` (an SQL expression, epoch ms) on, as one SQL expression over `key` (the tier key,
 * also SQL). Window starts fall on 00:00 UTC (anchors are days), so whole days come from the daily totals; only a
 * manual reset can start mid-day, and the rest of that day comes from the detailed rows. A reset matters only when
 * it is later than the window start, so that day is within the longest window (a month) and its detailed rows are
 * still kept (ledger-prune.ts keeps 90 days). Each row is counted once: daily totals from the first day boundary at
 * or after `since`, detailed rows before it. Bound numbers arrive as REAL, hence the CAST.
 */
export function usedSinceSql(key: string, since: string): string {
  const edge = `(CAST(((${since}) + ${DAY_MS - 1}) / ${DAY_MS} AS INTEGER) * ${DAY_MS})`;
  return `(
    (SELECT coalesce(sum(input_tokens + output_tokens), 0) FROM usage_daily WHERE tier_key = ${key} AND day >= ${edge})
    + (SELECT coalesce(sum(input_tokens + output_tokens), 0) FROM usage
         WHERE tier_key = ${key} AND at >= (${since}) AND at < ${edge})
  )`;
}

const ADD = `
  INSERT INTO usage_daily (tier_key, day, provider, model, billing, outcome, calls, estimated_calls,
    input_tokens, output_tokens, reasoning_tokens, cache_read_tokens, cache_write_tokens)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (tier_key, day, provider, model, billing, outcome) DO UPDATE SET
    calls = calls + excluded.calls,
    estimated_calls = estimated_calls + excluded.estimated_calls,
    input_tokens = input_tokens + excluded.input_tokens,
    output_tokens = output_tokens + excluded.output_tokens,
    -- NULL is "not reported": adding nothing leaves the column as it was.
    reasoning_tokens = CASE WHEN excluded.reasoning_tokens IS NULL THEN reasoning_tokens
                            ELSE coalesce(reasoning_tokens, 0) + excluded.reasoning_tokens END,
    cache_read_tokens = CASE WHEN excluded.cache_read_tokens IS NULL THEN cache_read_tokens
                             ELSE coalesce(cache_read_tokens, 0) + excluded.cache_read_tokens END,
    cache_write_tokens = CASE WHEN excluded.cache_write_tokens IS NULL THEN cache_write_tokens
                              ELSE coalesce(cache_write_tokens, 0) + excluded.cache_write_tokens END`;

/**
 * Adds a settled call to its day's totals (`sign` 1), or takes one back out (`sign` -1: `migrate` replacing a
 * record it imported before). The caller holds the write transaction that inserts or deletes the detailed row.
 */
export function addToDaily(sql: (text: string) => Database.Statement, u: UsageRecord, sign: 1 | -1): void {
  const n = (value: number | undefined) => (value === undefined ? null : sign * value);
  const key = [u.tierKey ?? '', dayOf(u.at), u.provider, u.model, u.billing, u.outcome] as const;
  sql(ADD).run(
    ...key,
    sign,
    u.estimated ? sign : 0,
    sign * u.inputTokens,
    sign * u.outputTokens,
    n(u.reasoningTokens),
    n(u.cacheReadTokens),
    n(u.cacheWriteTokens),
  );
  if (sign < 0) {
    sql(
      `DELETE FROM usage_daily WHERE tier_key = ? AND day = ? AND provider = ? AND model = ? AND billing = ?
         AND outcome = ? AND calls = 0`,
    ).run(...key);
  }
}

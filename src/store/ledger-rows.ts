// Rows of the quota tables to and from the core's values, the same on SQLite and on PostgreSQL (whose pool reads
// BIGINT as a number, so the columns arrive in the same types).
import type { Cooldown, TierUsage, UsageRecord } from '../core/types.ts';

export interface CooldownRow {
  provider: string;
  model: string;
  key_fp: string;
  endpoint_fp: string;
  kind: Cooldown['kind'];
  until: number;
  reason: string;
}

/** The usage table's columns, in the order of `usageValues`. */
export const USAGE_COLUMNS = `request_id, provider, model, tier_key, billing, input_tokens, output_tokens,
  reasoning_tokens, cache_read_tokens, cache_write_tokens, estimated, outcome, at`;

/** A usage record as the usage table's row, in USAGE_COLUMNS order. */
export function usageValues(u: UsageRecord): Array<string | number | null> {
  return [
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
  ];
}

export interface UsageRow {
  request_id: string;
  provider: string;
  model: string;
  tier_key: string | null;
  billing: UsageRecord['billing'];
  input_tokens: number;
  output_tokens: number;
  reasoning_tokens: number | null;
  cache_read_tokens: number | null;
  cache_write_tokens: number | null;
  estimated: 0 | 1;
  outcome: UsageRecord['outcome'];
  at: number;
}

export function recordOf(row: UsageRow): UsageRecord {
  return {
    requestId: row.request_id,
    provider: row.provider,
    model: row.model,
    ...(row.tier_key !== null ? { tierKey: row.tier_key } : {}),
    billing: row.billing,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    ...(row.reasoning_tokens !== null ? { reasoningTokens: row.reasoning_tokens } : {}),
    ...(row.cache_read_tokens !== null ? { cacheReadTokens: row.cache_read_tokens } : {}),
    ...(row.cache_write_tokens !== null ? { cacheWriteTokens: row.cache_write_tokens } : {}),
    estimated: row.estimated === 1,
    outcome: row.outcome,
    at: row.at,
  };
}

/** A row back to the scope it was built as: '' columns are fields that were never set. */
export function fromRow(row: CooldownRow): Cooldown {
  return {
    provider: row.provider,
    ...(row.model ? { model: row.model } : {}),
    ...(row.key_fp ? { keyFingerprint: row.key_fp } : {}),
    ...(row.endpoint_fp ? { endpointFingerprint: row.endpoint_fp } : {}),
    kind: row.kind,
    until: row.until,
    reason: row.reason,
  };
}

/** A snapshot row's counts as the core's TierUsage: the holds' expiry only while something is held. */
export function tierUsage(used: number, reserved: number, heldUntil: number | null): TierUsage {
  return reserved > 0 && heldUntil !== null ? { used, reserved, heldUntil } : { used, reserved };
}

// The ledger as the core sees it: tier usage and cooldowns (read by the router), usage records and reservations
// (written by the gateway), and the port the store implements on SQLite (store/ledger.ts) and on PostgreSQL
// (store/postgres/). Asynchronous, because a shared database is across a network; SQLite answers at once.
import type { Billing, LimitUnit } from './catalog-types.ts';
import type { Usage } from './call-types.ts';

/** What a free tier's window has counted: tokens, input tokens or requests, as the window's unit says. */
export interface TierUsage {
  used: number;
  /** Held by calls in flight (reservations not yet settled or expired): their tokens, or one request each. */
  reserved: number;
  /** When the last of those holds expires (epoch ms), if none settles first; absent when nothing is held. */
  heldUntil?: number;
}

export type CooldownKind = 'rate_limited' | 'exhausted' | 'auth' | 'down';

/**
 * What a cooldown covers, as data (never a string to parse: model ids hold `@`, `:` and `/`): a whole provider, or
 * one deployment of it; and, when set, only while the same key or the same endpoint is in use.
 */
export interface CooldownScope {
  provider: string;
  /** Absent: every model of the provider. */
  model?: string;
  /** A rejected key's cooldown (core/cooldown-scope.ts): it lifts as soon as another key is in use. */
  keyFingerprint?: string;
  /** A failing endpoint's cooldown: it lifts as soon as the base URL changes. */
  endpointFingerprint?: string;
}

/** A provider or a deployment set aside until a time, shared by all processes. */
export interface Cooldown extends CooldownScope {
  kind: CooldownKind;
  /** Epoch milliseconds. */
  until: number;
  reason: string;
}

export interface LedgerSnapshot {
  /** Keyed by tier key; a tier absent here has used nothing this window. */
  usage: Map<string, TierUsage>;
  /** Active cooldowns only. */
  cooldowns: Cooldown[];
}

/** How the call ended: answered, cut mid-answer by the upstream, or stopped by the caller. */
export type Outcome = 'ok' | 'cut' | 'aborted';

/** What one call used. Recorded once per request id, whatever happens after. */
export interface UsageRecord {
  requestId: string;
  provider: string;
  model: string;
  /** Set when the tokens count against a free tier. */
  tierKey?: string;
  billing: Billing;
  inputTokens: number;
  outputTokens: number;
  /** As in Usage: kept apart when the provider reported them, absent otherwise. */
  reasoningTokens?: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  estimated: boolean;
  outcome: Outcome;
  /** Epoch milliseconds. */
  at: number;
}

export interface TierWindow {
  /** The tier key. */
  key: string;
  /** Epoch milliseconds: usage at or after this counts. */
  windowStart: number;
  /** What is counted; default tokens (prompt + answer). */
  unit?: LimitUnit;
  /** The limit's name (`rpd`) when a tier has several: its usage comes back under `windowKey(key, limit)`. */
  limit?: string;
}

/** Where a window's usage is found in a snapshot: the tier key, or `key#limit` for one of a tier's limits. */
export function windowKey(window: Pick<TierWindow, 'key' | 'limit'>): string {
  return window.limit === undefined ? window.key : `${window.key}#${window.limit}`;
}

export interface Reservation {
  requestId: string;
  tierKey: string;
  /** Prompt + answer budget: what the call may use, held until it settles. */
  tokens: number;
  /** The prompt alone, for input-token limits. */
  inputTokens: number;
  /**
   * Every limit of the tier, each counted in its unit from its window start: the reservation fails if, for any,
   * used + held + this call's need (one request, its tokens, its prompt) would pass `limit`.
   */
  limits: ReservedLimit[];
  /** Epoch milliseconds after which a reservation left by a dead process no longer counts. */
  expiresAt: number;
  now: number;
}

export interface ReservedLimit {
  unit: LimitUnit;
  windowStart: number;
  limit: number;
}

export interface QuotaLedger {
  snapshot(windows: TierWindow[], now: number): Promise<LedgerSnapshot>;
  /** Atomically holds tokens of a free tier for a call about to be made; false when they do not fit. */
  reserve(reservation: Reservation): Promise<boolean>;
  /** Drops a reservation without recording usage (the call never reached the provider). */
  release(requestId: string): Promise<void>;
  /** Records what a call used and drops its reservation, in one transaction; a repeated request id is ignored. */
  settle(record: UsageRecord): Promise<void>;
  /** Sets a cooldown every process sees; a later `until` for the same scope wins. */
  setCooldown(cooldown: Cooldown): Promise<void>;
  /**
   * Writes a few bytes the way a reservation does and throws when that fails (read-only file, full disk, database
   * gone): called before a call that reserves nothing (paid, or free of charge without a tier), so that a ledger
   * which could not record the call's usage stops the run before anything is spent, as a reservation does for a
   * free tier.
   */
  checkWritable(now: number): Promise<void>;
}

// The quota ledger as the commands use it, whichever database holds it: the gateway's port (core's QuotaLedger)
// plus what `quota reset`, `providers add`, `migrate` and `ledger copy` need. SQLite answers synchronously
// (quota-store.ts keeps that API for its own tests and for one-file work such as the prune); PostgreSQL does not,
// so the shared shape is asynchronous and the SQLite store is adapted here, one call each, nothing more.
import type { CooldownScope, QuotaLedger, UsageRecord } from '../core/types.ts';
import type { DailyUsageRow } from '../core/usage-report.ts';
import type { QuotaStore } from './quota-store.ts';
import type { UsageRange } from './usage-daily.ts';

export interface QuotaBackend extends QuotaLedger {
  /** Where the ledger lives, for messages: a file path, or a database URL with its password masked. */
  readonly location: string;
  /** Clears every cooldown, or those of one provider or one deployment; resolves to how many were cleared. */
  clearCooldowns(scope?: Pick<CooldownScope, 'provider' | 'model'>): Promise<number>;
  /** Tokens recorded under a request id, if any. */
  tokensOf(requestId: string): Promise<number | undefined>;
  /** Usage brought in from elsewhere: each record replaces any earlier one with its request id, in one transaction. */
  importUsage(records: UsageRecord[]): Promise<void>;
  /** A manual reset: the tier's usage before `at` stops counting. A later reset wins over an earlier one. */
  resetTier(tierKey: string, at: number): Promise<void>;
  /**
   * Drops every hold (of one tier, or of all) without touching usage: `quota release` after a killed call, whose
   * hold would otherwise block the tier until it expires. Resolves to how many holds were dropped.
   */
  releaseHeld(tierKey?: string): Promise<number>;
  /** The usage report's rows: tokens and calls per day, deployment and billing kind, within a range. */
  dailyUsage(range: UsageRange): Promise<DailyUsageRow[]>;
  /** Lets go of the connections (a database's pool); SQLite's file is closed with its Ledger. */
  close?(): Promise<void>;
}

/** The SQLite store behind the asynchronous shape: each call runs at once, a throw becomes a rejection. */
export function sqliteQuota(store: QuotaStore, path: string): QuotaBackend {
  return {
    location: path,
    snapshot: async (windows, now) => store.snapshot(windows, now),
    reserve: async (reservation) => store.reserve(reservation),
    release: async (requestId) => store.release(requestId),
    settle: async (record) => store.settle(record),
    setCooldown: async (cooldown) => store.setCooldown(cooldown),
    checkWritable: async (now) => store.checkWritable(now),
    clearCooldowns: async (scope) => store.clearCooldowns(scope),
    tokensOf: async (requestId) => store.tokensOf(requestId),
    importUsage: async (records) => store.importUsage(records),
    resetTier: async (tierKey, at) => store.resetTier(tierKey, at),
    releaseHeld: async (tierKey) => store.releaseHeld(tierKey),
    dailyUsage: async (range) => store.dailyUsage(range),
  };
}

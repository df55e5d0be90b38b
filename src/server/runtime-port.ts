// What the server needs from the process it runs in: the gateway and the state behind it, always current (a key
// added or a tier changed while the server runs is seen by the next request). The shared runtime wiring provides
// it, the same wiring the CLI commands use; the server never builds a gateway or reads a config file itself.
import type { Gateway } from '../core/gateway.ts';
import type { LoggedRequest, RequestRecord } from '../core/request-record.ts';
import type { Catalog, LedgerSnapshot } from '../core/types.ts';
import type { UsageReport } from '../core/usage-report.ts';

export interface ServerRuntime {
  /** The one gateway loop, over the current settings, keys and catalog. */
  gateway(): Promise<Gateway>;
  catalog(): Catalog;
  /** Free-tier usage and cooldowns now. */
  snapshot(): Promise<LedgerSnapshot>;
  now(): number;
  /** Whether settings.json allows paid models (`serve --allow-paid` also can). */
  allowPaidSetting(): boolean;
  /** The same JSON as `quota --json`. */
  quotaReport(): Promise<unknown>;
  /** Logs requests the server ended, beside chat's (what `llm-gateway log` and the dashboard list), at once. */
  recordRequests(records: RequestRecord[]): Promise<void>;
  /** Logged requests, chat's and serve's, oldest first: the newest `limit`, or the first `limit` after `afterSeq`. */
  recentRequests(query: { limit: number; afterSeq?: number }): Promise<LoggedRequest[]>;
  /** Usage per day over the last `days` days, today included (what `usage --since <days>d` shows). */
  usageReport(days: number): Promise<UsageReport>;
  /** Key values to cut from any text that leaves the process (upstream messages can quote them). */
  secrets(): Iterable<string>;
}

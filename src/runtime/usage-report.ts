// The usage report of `usage` and serve's dashboard: tokens and calls from the quota ledger's daily totals (ledger.db,
// or the shared database when one is set), failures and fallbacks from this machine's request log, grouped and
// priced by core/usage-report.ts. With no ledger yet nothing was used, and nothing is created to say so.
import { existsSync } from 'node:fs';
import { summariseUsage, type UsageGrouping, type UsageReport } from '../core/usage-report.ts';
import type { UsageRange } from '../store/usage-daily.ts';
import type { Runtime } from './runtime.ts';

export async function usageReport(runtime: Runtime, range: UsageRange & { by: UsageGrouping }): Promise<UsageReport> {
  const used = runtime.hasLedger() ? await (await runtime.quota()).dailyUsage(range) : [];
  const asked = existsSync(runtime.paths.ledger) ? await runtime.ledger().activity.dailyRequests(range) : [];
  return summariseUsage([...used, ...asked], runtime.catalog(), range);
}

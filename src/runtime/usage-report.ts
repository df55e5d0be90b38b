// The usage report of `usage` and serve's dashboard: tokens and calls from the quota ledger's daily totals, failures
// and fallbacks from the request log's (both in ledger.db, or both in the shared database when one is set), grouped
// and priced by core/usage-report.ts. With no ledger yet nothing was used, and nothing is created to say so.
import { summariseUsage, type UsageGrouping, type UsageReport } from '../core/usage-report.ts';
import type { UsageRange } from '../store/usage-daily.ts';
import type { Runtime } from './runtime.ts';

export async function usageReport(runtime: Runtime, range: UsageRange & { by: UsageGrouping }): Promise<UsageReport> {
  if (!runtime.hasLedger()) return summariseUsage([], runtime.catalog(), range);
  const used = await (await runtime.quota()).dailyUsage(range);
  const asked = await (await runtime.activity()).dailyRequests(range);
  return summariseUsage([...used, ...asked], runtime.catalog(), range);
}

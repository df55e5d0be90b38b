// What was used and what it cost: the daily totals the ledger keeps, grouped by day, model or provider, priced at
// the catalog's list prices. Pure: the store reads the rows, the front ends draw the result.
import type { Billing, Catalog, Price } from './catalog-types.ts';

/** What is counted, in a day's row as in a group's totals. */
export interface UsageCounts {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  /** Parts of the output and input tokens, when providers reported them. */
  reasoningTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  fallbacks: number;
  failures: number;
}

/** One day's totals for one deployment and billing kind, as the ledger keeps them (usage_daily + requests_daily). */
export interface DailyUsageRow extends UsageCounts {
  /** 00:00 UTC, epoch milliseconds. */
  day: number;
  /** '' for a failed request that reached no provider. */
  provider: string;
  model: string;
  /** '' for a failed request (nothing was billed). */
  billing: Billing | '';
}

export type UsageGrouping = 'day' | 'model' | 'provider';

export interface UsageTotals extends UsageCounts {
  /** Tokens (input + output) by billing kind. */
  freeTierTokens: number;
  freeTokens: number;
  paidTokens: number;
  /** US dollars at list price: everything used, what was paid for, what free tiers covered. */
  listCost: number;
  paidCost: number;
  saved: number;
}

export interface UsageGroup extends UsageTotals {
  /** YYYY-MM-DD, a model id or a provider id. */
  key: string;
}

/** The chart's bar for one day: free (free tier or free of charge) and paid tokens. */
export interface DayBar {
  day: number;
  free: number;
  paid: number;
}

export interface UsageReport {
  /** First and last day, 00:00 UTC. */
  since: number;
  until: number;
  by: UsageGrouping;
  groups: UsageGroup[];
  /** Every day of the range, days without use included. */
  days: DayBar[];
  total: UsageTotals;
  /** `provider:model` of deployments used whose price the catalog does not know (left out of the costs). */
  unpriced: string[];
}

const DAY_MS = 86_400_000;

export function emptyTotals(): UsageTotals {
  return {
    calls: 0,
    inputTokens: 0,
    outputTokens: 0,
    reasoningTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    fallbacks: 0,
    failures: 0,
    freeTierTokens: 0,
    freeTokens: 0,
    paidTokens: 0,
    listCost: 0,
    paidCost: 0,
    saved: 0,
  };
}

/** The deployment's list price, null when unknown (or the model or provider is no longer in the catalog). */
export function listPrice(catalog: Catalog, provider: string, model: string): Price | null {
  const deployment = catalog.models.get(model)?.deployments.find((d) => d.provider === provider);
  return deployment?.price ?? null;
}

/**
 * Cache reads and writes are part of the input tokens and priced as input: the catalog keeps one input price per
 * deployment, so costs are list prices before any cache discount a provider gives.
 */
function add(into: UsageTotals, row: DailyUsageRow, price: Price | null): void {
  into.calls += row.calls;
  into.inputTokens += row.inputTokens;
  into.outputTokens += row.outputTokens;
  into.reasoningTokens += row.reasoningTokens;
  into.cacheReadTokens += row.cacheReadTokens;
  into.cacheWriteTokens += row.cacheWriteTokens;
  into.fallbacks += row.fallbacks;
  into.failures += row.failures;
  const tokens = row.inputTokens + row.outputTokens;
  if (row.billing === 'free-tier') into.freeTierTokens += tokens;
  else if (row.billing === 'free') into.freeTokens += tokens;
  else if (row.billing === 'paid') into.paidTokens += tokens;
  if (!price) return;
  const cost = (row.inputTokens * price.input + row.outputTokens * price.output) / 1000;
  into.listCost += cost;
  if (row.billing === 'paid') into.paidCost += cost;
  if (row.billing === 'free-tier') into.saved += cost;
}

const KEY: Record<UsageGrouping, (row: DailyUsageRow) => string> = {
  day: (row) => new Date(row.day).toISOString().slice(0, 10),
  model: (row) => row.model || '—',
  provider: (row) => row.provider || '—',
};

/** Groups rows (already limited to the range and filters) and prices them. */
export function summariseUsage(
  rows: DailyUsageRow[],
  catalog: Catalog,
  range: { since: number; until: number; by: UsageGrouping },
): UsageReport {
  const groups = new Map<string, UsageGroup>();
  const days = new Map<number, DayBar>();
  for (let day = range.since; day <= range.until; day += DAY_MS) days.set(day, { day, free: 0, paid: 0 });
  const total = emptyTotals();
  const unpriced = new Set<string>();
  for (const row of rows) {
    const price = row.billing === '' ? null : listPrice(catalog, row.provider, row.model);
    const tokens = row.inputTokens + row.outputTokens;
    if (!price && tokens > 0) unpriced.add(`${row.provider}:${row.model}`);
    const key = KEY[range.by](row);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { key, ...emptyTotals() }));
    add(group, row, price);
    add(total, row, price);
    const bar = days.get(row.day);
    if (bar) {
      if (row.billing === 'paid') bar.paid += tokens;
      else bar.free += tokens;
    }
  }
  const order =
    range.by === 'day'
      ? (a: UsageGroup, b: UsageGroup) => a.key.localeCompare(b.key)
      : (a: UsageGroup, b: UsageGroup) =>
          b.inputTokens + b.outputTokens - (a.inputTokens + a.outputTokens) || a.key.localeCompare(b.key);
  return {
    since: range.since,
    until: range.until,
    by: range.by,
    groups: [...groups.values()].sort(order),
    days: [...days.values()],
    total,
    unpriced: [...unpriced].sort(),
  };
}

// How a usage report reads: dollars, and the JSON and CSV shapes scripts read (documented in
// README; change them only by adding fields).
import type { UsageGroup, UsageReport, UsageTotals } from '../../core/usage-report.ts';
import { formatDay } from '../common/format.ts';

/** "$12.35", "$0.0042" for a small sum (cents would read as nothing), "$0" for none. */
export function dollars(n: number): string {
  if (n === 0) return '$0';
  if (n < 0.01) return `$${n.toFixed(4)}`;
  const [whole, cents] = n.toFixed(2).split('.');
  return `$${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents}`;
}

/** Costs rounded to a millionth of a dollar: no float noise (0.30000000000000004) in what scripts read. */
const money = (n: number) => Math.round(n * 1e6) / 1e6;

function totalsJson(t: UsageTotals) {
  return { ...t, listCost: money(t.listCost), paidCost: money(t.paidCost), saved: money(t.saved) };
}

export function usageJson(report: UsageReport) {
  return {
    since: formatDay(report.since),
    until: formatDay(report.until),
    by: report.by,
    groups: report.groups.map((g) => ({ key: g.key, ...totalsJson(g) })),
    days: report.days.map((d) => ({ day: formatDay(d.day), free: d.free, paid: d.paid })),
    total: totalsJson(report.total),
    unpriced: report.unpriced,
  };
}

const CSV_FIELDS: Array<keyof UsageTotals> = [
  'calls',
  'inputTokens',
  'outputTokens',
  'cacheReadTokens',
  'cacheWriteTokens',
  'reasoningTokens',
  'fallbacks',
  'failures',
  'freeTierTokens',
  'freeTokens',
  'paidTokens',
  'listCost',
  'paidCost',
  'saved',
];

/** One line per group (a field holding a comma, quote or line break is quoted, as RFC 4180 says). */
export function usageCsv(report: UsageReport): string {
  const field = (value: string | number) => {
    const text = String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const line = (g: UsageGroup) => {
    const t = totalsJson(g);
    return [g.key, ...CSV_FIELDS.map((f) => t[f])].map(field).join(',');
  };
  return `${[[report.by, ...CSV_FIELDS].join(','), ...report.groups.map(line)].join('\n')}\n`;
}

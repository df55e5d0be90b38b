// `usage` on a terminal (or piped as text): the title, the chart of tokens per day, the table fitted to the width,
// and the totals per billing kind.
import type { UsageGroup, UsageGrouping, UsageReport } from '../../core/usage-report.ts';
import { HIGH_BLOCK, LOW_BLOCK, stackedBarChart } from '../../lib/bar-chart.ts';
import { compact, formatDay, groupThousands, wrapParts } from '../common/format.ts';
import type { Column, Output, Styles } from '../common/output.ts';
import { dollars } from './usage-format.ts';

/**
 * The key and the figures people look at first (calls, tokens in and out, what was paid and saved) always show; on
 * a narrow terminal the cache columns go first, then reasoning, the list price, fallbacks and failures.
 */
const COLUMNS = (by: UsageGrouping): Column[] => [
  { header: by.toUpperCase() },
  { header: 'CALLS', align: 'right' },
  { header: 'INPUT', align: 'right' },
  { header: 'OUTPUT', align: 'right' },
  { header: 'CACHE READ', align: 'right', optional: true, priority: 1 },
  { header: 'CACHE WRITE', align: 'right', optional: true, priority: 1 },
  { header: 'REASONING', align: 'right', optional: true, priority: 2 },
  { header: 'FALLBACKS', align: 'right', optional: true, priority: 4 },
  { header: 'FAILED', align: 'right', optional: true, priority: 5 },
  { header: 'LIST PRICE', align: 'right', optional: true, priority: 3 },
  { header: 'PAID', align: 'right' },
  { header: 'SAVED', align: 'right' },
];

export async function printUsage(out: Output, report: UsageReport): Promise<void> {
  const style = out.style;
  const days = (report.until - report.since) / 86_400_000 + 1;
  out.print(
    style.bold(`usage ${formatDay(report.since)} to ${formatDay(report.until)} (${days} day${days === 1 ? '' : 's'})`),
  );
  const width = Number.isFinite(out.width) ? out.width : 120;
  const chart = stackedBarChart(
    report.days.map((d) => ({ label: formatDay(d.day).slice(5), low: d.free, high: d.paid })),
    { width, format: compact, paint: (part, text) => (part === 'low' ? style.green(text) : style.yellow(text)) },
  );
  out.print(`\n${chartLegend(style)}\n${chart.join('\n')}\n\n`);
  if (report.groups.length === 0) {
    out.print('no calls in these days');
    return;
  }
  const row = (g: Pick<UsageGroup, Exclude<keyof UsageGroup, 'key'>>, key: string) => [
    key,
    groupThousands(g.calls),
    groupThousands(g.inputTokens),
    groupThousands(g.outputTokens),
    groupThousands(g.cacheReadTokens),
    groupThousands(g.cacheWriteTokens),
    groupThousands(g.reasoningTokens),
    groupThousands(g.fallbacks),
    groupThousands(g.failures),
    dollars(g.listCost),
    dollars(g.paidCost),
    dollars(g.saved),
  ];
  const rows = [...report.groups.map((g) => row(g, g.key)), row(report.total, 'total')];
  const last = rows.length - 1;
  await out.table(COLUMNS(report.by), rows, (r, c, text) =>
    r === last ? style.bold(text) : c === 11 && text !== '$0' ? style.green(text) : text,
  );
  const t = report.total;
  const { displayWidth } = await import('../common/table.ts'); // loaded already: the table above was drawn by it
  const parts = [
    `free tiers saved ${style.green(dollars(t.saved))} (list price of ${groupThousands(t.freeTierTokens)} free-tier tokens)`,
    `paid ${dollars(t.paidCost)} for ${groupThousands(t.paidTokens)} tokens`,
    `${groupThousands(t.freeTokens)} tokens free of charge`,
  ];
  out.print(`\n${wrapParts(parts, out.width, displayWidth)}`);
  if (report.unpriced.length)
    out.print(
      wrapParts(
        [...report.unpriced.map((id, i) => (i ? id : `no list price known for ${id}`)), 'left out of the costs'],
        out.width,
        displayWidth,
      ),
    );
}

export function chartLegend(style: Styles): string {
  return `tokens per day  ${style.green(LOW_BLOCK)} free  ${style.yellow(HIGH_BLOCK)} paid`;
}

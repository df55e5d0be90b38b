// `llm-gateway quota`: what is left of every free tier, the table the old service printed at start-up.
import type { TierState, TierView } from '../../core/tier-report.ts';
import type { Context } from '../shared/context.ts';
import type { Column, Output } from '../shared/output.ts';
import { tierLapse } from '../../core/quota.ts';
import { bar, compact, formatDay, groupThousands, wrapParts } from '../shared/format.ts';
import { quotaJson, quotaView, type QuotaView } from '../../runtime/quota-report.ts';

/**
 * Ids never shrink; on a narrow terminal the bar goes first, then the period, the used/total figures, the expiry
 * and the reset day, so MODEL, PROVIDER, REMAINING and STATUS always show (80 columns keep the dates too).
 */
export const QUOTA_COLUMNS: Column[] = [
  { header: 'MODEL' },
  { header: 'PROVIDER' },
  { header: 'USED / TOTAL', align: 'right', optional: true, priority: 3 },
  { header: 'PER', optional: true, priority: 2 },
  { header: 'REMAINING', align: 'right' },
  { header: 'USAGE', optional: true, priority: 1 },
  { header: 'RESETS', optional: true, priority: 5 },
  { header: 'EXPIRES', optional: true, priority: 4 },
  { header: 'STATUS' },
];

export async function quotaCommand(context: Context, options: { json?: boolean }): Promise<void> {
  const snapshot = await context.runtime.snapshot();
  const view = quotaView(context.runtime.catalog(), snapshot, context.runtime.keyedProviders(), context.runtime.now());
  if (options.json) context.out.json(quotaJson(view));
  else await printQuota(context.out, view);
}

/** The quota table and its totals line, as `quota` prints them. */
export async function printQuota(out: Output, { tiers, totals }: QuotaView): Promise<void> {
  const style = out.style;
  const colour: Record<TierState, (s: string) => string> = {
    'not started': style.dim,
    active: style.green,
    exhausted: style.red,
    expired: style.dim,
    'no key': style.yellow,
  };
  await out.table(
    QUOTA_COLUMNS,
    tiers.map((t) => [
      t.model,
      t.provider,
      `${groupThousands(t.used)} / ${groupThousands(t.tokens)}`,
      PER[t.period],
      groupThousands(t.remaining),
      bar(t.used + t.reserved, t.tokens),
      // A tier that expires before its next reset never resets: it ends on its EXPIRES day.
      t.state === 'expired' || t.state === 'not started' || tierLapse(t.nextReset, t.expires).ends
        ? '—'
        : formatDay(t.nextReset),
      t.expires === undefined ? 'never' : formatDay(t.expires),
      t.starts === undefined ? t.state : `starts ${formatDay(t.starts)}`,
    ]),
    (r, c, text) => (c === 8 || c === 5 ? colour[tiers[r]!.state](text) : text),
  );
  const parts = [
    `${totals.tiers} free tiers, ${compact(totals.tokens)} tokens a window`,
    `${groupThousands(totals.used)} used`,
    `${groupThousands(totals.remaining)} left on ${totals.active} active ${totals.active === 1 ? 'tier' : 'tiers'}`,
  ];
  // Loaded already: the table above was drawn by it.
  const { displayWidth } = await import('../shared/table.ts');
  out.print(wrapParts(parts, out.width, displayWidth));
}

/** What USED / TOTAL is counted per. */
const PER: Record<TierView['period'], string> = { daily: 'day', weekly: 'week', monthly: 'month' };

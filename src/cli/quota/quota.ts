// `llm-gateway quota`: what is left of every free tier, the table the old service printed at start-up.
import type { LimitView, TierState, TierView } from '../../core/tier-report.ts';
import type { Context } from '../common/context.ts';
import type { Column, Output } from '../common/output.ts';
import { tierLapse } from '../../core/quota.ts';
import { resetClock } from '../../core/limits.ts';
import { bar, compact, formatDay, groupThousands, wrapParts } from '../common/format.ts';
import { quotaJson, quotaView, type QuotaView } from '../../runtime/quota-report.ts';

/**
 * One row per limit, a tier's first row naming it (its model, provider, expiry and status), its other limits below.
 * Ids never shrink; on a narrow terminal the expiry goes first (STATUS says `expired`), then the used/total figures,
 * then each limit's bar, then the reset, so MODEL, PROVIDER, LIMIT, REMAINING and STATUS always show (100 columns
 * keep every limit's bar and reset).
 */
export const QUOTA_COLUMNS: Column[] = [
  { header: 'MODEL' },
  { header: 'PROVIDER' },
  { header: 'LIMIT' },
  { header: 'USED / TOTAL', align: 'right', optional: true, priority: 2 },
  { header: 'REMAINING', align: 'right' },
  { header: 'USAGE', optional: true, priority: 3 },
  { header: 'RESETS', optional: true, priority: 5 },
  { header: 'EXPIRES', optional: true, priority: 1 },
  { header: 'STATUS' },
];

export async function quotaCommand(context: Context, options: { json?: boolean }): Promise<void> {
  const snapshot = await context.runtime.snapshot();
  const view = quotaView(context.runtime.catalog(), snapshot, context.runtime.keyedProviders(), context.runtime.now());
  if (options.json) context.out.json(quotaJson(view));
  else await printQuota(context.out, view);
}

/** The quota table and its totals line, as `quota` prints them. */
export async function printQuota(out: Output, { tiers, totals, now }: QuotaView): Promise<void> {
  const style = out.style;
  const colour: Record<TierState, (s: string) => string> = {
    'not started': style.dim,
    active: style.green,
    exhausted: style.red,
    expired: style.dim,
    'no key': style.yellow,
  };
  const rows: { cells: string[]; tier: TierView; limit: LimitView }[] = [];
  for (const t of tiers) {
    t.limits.forEach((l, i) => {
      const first = i === 0;
      rows.push({
        tier: t,
        limit: l,
        cells: [
          first ? t.model : '',
          first ? t.provider : '',
          l.name,
          `${groupThousands(l.used)}${l.reserved ? ` + ${groupThousands(l.reserved)} held` : ''} / ${groupThousands(l.limit)}`,
          groupThousands(l.remaining),
          bar(l.used + l.reserved, l.limit),
          resets(t, l, now),
          first ? (t.expires === undefined ? 'never' : formatDay(t.expires)) : '',
          first ? (t.starts === undefined ? t.state : `starts ${formatDay(t.starts)}`) : '',
        ],
      });
    });
  }
  const { displayWidth, fitWidths } = await import('../common/table.ts');
  const headings = idsOnTheirOwnLines(rows, out.width, fitWidths);
  await out.table(
    QUOTA_COLUMNS,
    rows.map((r, i) => (headings.has(i) ? ['', ...r.cells.slice(1)] : r.cells)),
    (r, c, text) => {
      const { tier, limit } = rows[r]!;
      if (c === 8) return colour[tier.state](text);
      // A limit with no room is red whatever the tier's state: it is the one that blocks.
      if (c === 5)
        return limit.remaining === 0 && tier.state !== 'expired' ? style.red(text) : colour[tier.state](text);
      return text;
    },
    headings,
  );
  const parts = [
    `${totals.tiers} free tiers, ${compact(totals.tokens)} tokens a window`,
    `${groupThousands(totals.used)} used`,
    `${groupThousands(totals.remaining)} left on ${totals.active} active ${totals.active === 1 ? 'tier' : 'tiers'}`,
  ];
  out.print(wrapParts(parts, out.width, displayWidth));
  // Held tokens count as spent until their call settles; a killed call's never does, so say how they come back.
  const held = tiers.reduce((n, t) => n + t.reserved, 0);
  if (held > 0) {
    // The exact time, from the holds' own expiry: a hold lasts 15 minutes from its call's start.
    const until = Math.max(...tiers.map((t) => t.heldUntil ?? 0));
    const by = until > 0 ? `; all free by ${clockTime(until, now)} at the latest` : '';
    out.print(
      `${groupThousands(held)} tokens are held by calls in flight or killed: a hold frees itself when its call ends, ` +
        `or 15 minutes after it began${by}; \`llm-gateway quota release\` frees them now (usage stays)`,
    );
  }
}

/** `04:14:00 UTC`, with the day in front when it is not today's (UTC). */
function clockTime(at: number, now: number): string {
  const iso = new Date(at).toISOString();
  const sameDay = iso.slice(0, 10) === new Date(now).toISOString().slice(0, 10);
  return `${sameDay ? '' : `${iso.slice(0, 10)} `}${iso.slice(11, 19)} UTC`;
}

const USAGE = QUOTA_COLUMNS.findIndex((c) => c.header === 'USAGE');
const RESETS = QUOTA_COLUMNS.findIndex((c) => c.header === 'RESETS');

/**
 * The tiers whose model id goes on a line of its own above its limits, by the index of its first row. Ids are never
 * cut, so on a terminal too narrow for a long one (OpenRouter's `vendor/model-name:free`) beside every column, the
 * longest ids leave the MODEL column, one at a time, until each limit's bar and reset fit again; none leave when the
 * table fits as it is or is piped.
 */
function idsOnTheirOwnLines(
  rows: { cells: string[] }[],
  width: number,
  fitWidths: (columns: Column[], rows: string[][], max: number) => Array<number | null>,
): Map<number, string> {
  const longest = rows
    .map((r, i) => ({ i, id: r.cells[0]! }))
    .filter((r) => r.id !== '')
    .sort((a, b) => b.id.length - a.id.length);
  const moved = (k: number) => new Map(longest.slice(0, k).map(({ i, id }) => [i, id]));
  const fits = (k: number) => {
    const out = moved(k);
    const widths = fitWidths(
      QUOTA_COLUMNS,
      rows.map((r, i) => (out.has(i) ? ['', ...r.cells.slice(1)] : r.cells)),
      width,
    );
    return widths[USAGE] !== null && widths[RESETS] !== null;
  };
  if (!Number.isFinite(width) || fits(0) || !fits(longest.length)) return new Map();
  // Moving more ids out never widens the table: the fewest that fit, found by halving (a long list stays cheap).
  let [lo, hi] = [0, longest.length]; // fits(lo) false, fits(hi) true
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (fits(mid)) hi = mid;
    else lo = mid;
  }
  return moved(hi);
}

/**
 * When a limit frees: the old allowance's reset day (— when the tier ends first), `00:00 UTC` for a boundary within
 * a day, `rolling` for a window of the last minute/hour/day, — for a total.
 */
function resets(tier: TierView, limit: LimitView, now: number): string {
  if (tier.state === 'expired' || tier.state === 'not started') return '—';
  if (limit.nextReset === undefined) return limit.per === 'total' ? '—' : 'rolling';
  if (tier.period !== undefined && limit === tier.headline) {
    // A tier that expires before its next reset never resets: it ends on its EXPIRES day.
    return tierLapse(limit.nextReset, tier.expires).ends ? '—' : formatDay(limit.nextReset);
  }
  if (limit.nextReset - now > 86_400_000) return formatDay(limit.nextReset);
  return shortZone(resetClock(limit), limit.timeZone, limit.nextReset);
}

/**
 * `00:00 America/Los_Angeles` as `00:00 PST` (the zone's own abbreviation at that moment, else its offset, `GMT+8`):
 * a column a third as wide. UTC stays UTC.
 */
function shortZone(clock: string, zone: string | undefined, at: number): string {
  if (zone === undefined || zone === 'UTC') return clock;
  const name = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'short' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value;
  return name ? clock.replace(zone, name) : clock;
}

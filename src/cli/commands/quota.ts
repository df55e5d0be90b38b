// `llm-gateway quota`: what is left of every free tier, the table the old service printed at start-up.
import { describeTiers, type TierState } from '../../core/tier-report.ts';
import type { Context } from '../context.ts';
import { bar, compact, day, tokens } from '../format.ts';
import { tierJson } from '../tier-json.ts';

export function quotaCommand(context: Context, options: { json?: boolean }): void {
  const now = context.now();
  const tiers = describeTiers(context.catalog(), context.snapshot(), context.keyedProviders(), now);
  const usable = tiers.filter((t) => t.state === 'active');
  const totals = {
    tiers: tiers.length,
    tokens: tiers.reduce((n, t) => n + t.tokens, 0),
    used: tiers.reduce((n, t) => n + t.used, 0),
    /** Free tokens that can actually be spent now: active tiers with a key. */
    remaining: usable.reduce((n, t) => n + t.remaining, 0),
    active: usable.length,
  };
  if (options.json) {
    context.out.json({ now: new Date(now).toISOString(), tiers: tiers.map(tierJson), totals });
    return;
  }
  const style = context.out.style;
  const colour: Record<TierState, (s: string) => string> = {
    active: style.green,
    exhausted: style.red,
    expired: style.dim,
    'no key': style.yellow,
  };
  context.out.table(
    [
      { header: 'MODEL', shrink: true },
      { header: 'PROVIDER' },
      { header: 'USED / TOTAL', align: 'right' },
      { header: 'REMAINING', align: 'right' },
      { header: 'USAGE' },
      { header: 'RESETS' },
      { header: 'EXPIRES' },
      { header: 'STATUS' },
    ],
    tiers.map((t) => [
      t.model,
      t.provider,
      `${tokens(t.used)} / ${tokens(t.tokens)}`,
      tokens(t.remaining),
      bar(t.used + t.reserved, t.tokens),
      t.state === 'expired' ? '—' : `${day(t.nextReset)} (${t.period})`,
      t.expires === undefined ? 'never' : day(t.expires),
      t.state,
    ]),
    (r, c, text) => (c === 7 || c === 4 ? colour[tiers[r]!.state](text) : text),
  );
  context.out.print(
    `${totals.tiers} free tiers, ${compact(totals.tokens)} tokens a window; ${tokens(totals.used)} used; ` +
      `${tokens(totals.remaining)} left on ${totals.active} active ${totals.active === 1 ? 'tier' : 'tiers'}`,
  );
}

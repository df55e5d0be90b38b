// Free tiers as every front end reports them: the view (tiers and totals) and its documented JSON form, which
// `quota --json`, `models --json`, `migrate` and `serve`'s `GET /quota` all print.
import { describeTiers, type TierView } from '../core/tier-report.ts';
import type { Catalog, LedgerSnapshot } from '../core/types.ts';
import { formatDay } from '../core/quota.ts';

/** The stable JSON form of a free tier, shared with `quota --json`. */
export function tierJson(tier: TierView) {
  return {
    provider: tier.provider,
    model: tier.model,
    tokens: tier.tokens ?? null,
    period: tier.period ?? null,
    used: tier.used,
    reserved: tier.reserved,
    /** When the held tokens have all freed themselves at the latest (a hold's expiry); null when none is held. */
    heldUntil: tier.heldUntil === undefined ? null : new Date(tier.heldUntil).toISOString(),
    remaining: tier.remaining,
    windowStart: new Date(tier.windowStart).toISOString(),
    nextReset: new Date(tier.nextReset).toISOString(),
    expires: tier.expires === undefined ? null : formatDay(tier.expires),
    /** The day a tier anchored in the future starts (state "not started"); null once it has. */
    starts: tier.starts === undefined ? null : formatDay(tier.starts),
    state: tier.state,
    /** Every limit the provider counts, each with its own window (`name`: rpm, rpd, tpm, tokens/month…). */
    limits: tier.limits.map((l) => ({
      name: l.name,
      unit: l.unit,
      per: l.per,
      limit: l.limit,
      resets: l.resets,
      timeZone: l.timeZone ?? null,
      used: l.used,
      reserved: l.reserved,
      remaining: l.remaining,
      windowStart: new Date(l.windowStart).toISOString(),
      nextReset: l.nextReset === undefined ? null : new Date(l.nextReset).toISOString(),
    })),
  };
}

export interface QuotaView {
  now: number;
  tiers: TierView[];
  totals: { tiers: number; tokens: number; used: number; remaining: number; active: number };
}

/** Every free tier at `now` and the totals line, from any catalog and ledger state (`migrate` shows a planned one). */
export function quotaView(
  catalog: Catalog,
  snapshot: LedgerSnapshot,
  keyed: ReadonlySet<string>,
  now: number,
): QuotaView {
  const tiers = describeTiers(catalog, snapshot, keyed, now);
  const usable = tiers.filter((t) => t.state === 'active');
  // Token allowances only: a tier counted in requests has no tokens to add, and its requests are not tokens.
  const inTokens = (t: TierView) => t.tokens !== undefined;
  const totals = {
    tiers: tiers.length,
    tokens: tiers.reduce((n, t) => n + (t.tokens ?? 0), 0),
    used: tiers.filter(inTokens).reduce((n, t) => n + t.used, 0),
    /** Free tokens that can actually be spent now: active tiers with a key. */
    remaining: usable.filter(inTokens).reduce((n, t) => n + t.remaining, 0),
    active: usable.length,
  };
  return { now, tiers, totals };
}

/** The documented `quota --json` object. */
export function quotaJson(view: QuotaView) {
  return { now: new Date(view.now).toISOString(), tiers: view.tiers.map(tierJson), totals: view.totals };
}

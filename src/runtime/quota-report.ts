// The stable JSON form of a free tier, shared by `models --json` and `quota --json` (documented in README).
import type { TierView } from '../core/tier-report.ts';
import { formatDay } from '../core/quota.ts';

/** The stable JSON form of a free tier, shared with `quota --json`. */
export function tierJson(tier: TierView) {
  return {
    provider: tier.provider,
    model: tier.model,
    tokens: tier.tokens,
    period: tier.period,
    used: tier.used,
    reserved: tier.reserved,
    remaining: tier.remaining,
    windowStart: new Date(tier.windowStart).toISOString(),
    nextReset: new Date(tier.nextReset).toISOString(),
    expires: tier.expires === undefined ? null : formatDay(tier.expires),
    /** The day a tier anchored in the future starts (state "not started"); null once it has. */
    starts: tier.starts === undefined ? null : formatDay(tier.starts),
    state: tier.state,
  };
}

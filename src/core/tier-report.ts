// Free tiers as a person reads them: each limit's used, left and reset; the tier's headline (its old allowance, else
// its tightest limit), expiry and one status word. Pure; `quota`, `models` and the HTTP server all show this view.
import { limitStates, tierLimitWindows, type LimitState } from './limits.ts';
import { expiresAt, parseDay, tierStatus } from './quota.ts';
import type { Catalog, FreeTier, LedgerSnapshot, LimitPer, LimitUnit, TierWindow } from './types.ts';
import { tierKey } from './types.ts';

export type TierState = 'not started' | 'active' | 'exhausted' | 'expired' | 'no key';

/** One limit of a tier as reported. */
export interface LimitView {
  name: string;
  unit: LimitUnit;
  per: LimitPer;
  limit: number;
  resets: 'rolling' | 'boundary';
  timeZone?: string;
  used: number;
  reserved: number;
  remaining: number;
  windowStart: number;
  /** Undefined for a rolling window and a total. */
  nextReset?: number;
}

export interface TierView {
  key: string;
  provider: string;
  model: string;
  /** The old single allowance, when the tier has one. */
  tokens?: number;
  period?: FreeTier['period'];
  /** The headline limit (the old allowance, else the one with the least room): the figures below are its own. */
  headline: LimitView;
  used: number;
  reserved: number;
  /** When the holds counted in `reserved` have all freed, at the latest (epoch ms); absent when none is held. */
  heldUntil?: number;
  remaining: number;
  windowStart: number;
  nextReset: number;
  limits: LimitView[];
  expires?: number;
  /** Epoch ms of the anchor day, when the tier has not started yet (state `not started`). */
  starts?: number;
  state: TierState;
}

/** The windows the ledger must sum for every tier in the catalog at `now`: one per limit. */
export function tierWindows(catalog: Catalog, now: number): TierWindow[] {
  return [...catalog.freeTiers.values()].flatMap((t) => tierLimitWindows(tierKey(t.provider, t.model), t, now));
}

export function describeTiers(
  catalog: Catalog,
  snapshot: LedgerSnapshot,
  keyedProviders: ReadonlySet<string>,
  now: number,
): TierView[] {
  return [...catalog.freeTiers.values()].map((tier) => {
    const key = tierKey(tier.provider, tier.model);
    // The provider's own word (a quota-type 429) counts as much as our arithmetic.
    const markedExhausted = snapshot.cooldowns.some(
      (c) => c.provider === tier.provider && c.model === tier.model && c.kind === 'exhausted' && c.until > now,
    );
    const states = limitStates(key, tier, snapshot.usage, now);
    const status = tierStatus(
      tier,
      states.every((s) => s.remaining > 0),
      now,
    );
    const gone = markedExhausted || status === 'expired';
    const limits = states.map((s) => limitView(s, gone));
    const headline = limits[states.findIndex((s) => s.limit.anchor !== undefined)] ?? tightest(limits);
    const state: TierState =
      status === 'expired' || status === 'not started'
        ? status
        : !keyedProviders.has(tier.provider)
          ? 'no key'
          : !gone && status === 'active'
            ? 'active'
            : 'exhausted';
    return {
      key,
      provider: tier.provider,
      model: tier.model,
      ...(tier.tokens === undefined ? {} : { tokens: tier.tokens }),
      ...(tier.period === undefined ? {} : { period: tier.period }),
      headline,
      used: headline.used,
      reserved: headline.reserved,
      ...heldUntil(states),
      remaining: headline.remaining,
      windowStart: headline.windowStart,
      nextReset: headline.nextReset ?? now,
      limits,
      expires: expiresAt(tier),
      ...(status === 'not started' ? { starts: parseDay(tier.anchor) } : {}),
      state,
    };
  });
}

function limitView({ limit, window, used, reserved, remaining }: LimitState, gone: boolean): LimitView {
  return {
    name: limit.name,
    unit: limit.unit,
    per: limit.per,
    limit: limit.limit,
    resets: limit.resets,
    ...(limit.timeZone ? { timeZone: limit.timeZone } : {}),
    used,
    reserved,
    remaining: gone ? 0 : remaining,
    windowStart: window.start,
    ...(window.resetsAt === undefined ? {} : { nextReset: window.resetsAt }),
  };
}

/** Every limit of a tier counts the same holds: the latest expiry any of them reports. */
function heldUntil(states: LimitState[]): { heldUntil?: number } {
  const times = states.flatMap((s) => (s.heldUntil === undefined ? [] : [s.heldUntil]));
  return times.length ? { heldUntil: Math.max(...times) } : {};
}

/** The limit with the smallest share left. */
function tightest(limits: LimitView[]): LimitView {
  return limits.reduce((a, b) => (b.remaining / b.limit < a.remaining / a.limit ? b : a));
}

// Free tiers as a person reads them: used, left, next reset, expiry and one status word. Pure; `quota`,
// `models` and the HTTP server all show this same view.
import { expiresAt, nextReset, parseDay, remainingTokens, tierStatus, windowStart } from './quota.ts';
import type { Catalog, FreeTier, LedgerSnapshot, TierWindow } from './types.ts';
import { tierKey } from './types.ts';

export type TierState = 'not started' | 'active' | 'exhausted' | 'expired' | 'no key';

export interface TierView {
  key: string;
  provider: string;
  model: string;
  tokens: number;
  period: FreeTier['period'];
  used: number;
  reserved: number;
  remaining: number;
  windowStart: number;
  nextReset: number;
  expires?: number;
  /** Epoch ms of the anchor day, when the tier has not started yet (state `not started`). */
  starts?: number;
  state: TierState;
}

/** The windows the ledger must sum for every tier in the catalog at `now`. */
export function tierWindows(catalog: Catalog, now: number): TierWindow[] {
  return [...catalog.freeTiers.values()].map((t) => ({
    key: tierKey(t.provider, t.model),
    windowStart: windowStart(t, now),
  }));
}

export function describeTiers(
  catalog: Catalog,
  snapshot: LedgerSnapshot,
  keyedProviders: ReadonlySet<string>,
  now: number,
): TierView[] {
  return [...catalog.freeTiers.values()].map((tier) => {
    const key = tierKey(tier.provider, tier.model);
    const usage = snapshot.usage.get(key);
    // The provider's own word (a quota-type 429) counts as much as our arithmetic.
    const markedExhausted = snapshot.cooldowns.some(
      (c) => c.provider === tier.provider && c.model === tier.model && c.kind === 'exhausted' && c.until > now,
    );
    const status = tierStatus(tier, usage, now);
    const remaining = markedExhausted || status === 'expired' ? 0 : remainingTokens(tier, usage);
    const state: TierState =
      status === 'expired' || status === 'not started'
        ? status
        : !keyedProviders.has(tier.provider)
          ? 'no key'
          : remaining > 0
            ? 'active'
            : 'exhausted';
    return {
      key,
      provider: tier.provider,
      model: tier.model,
      tokens: tier.tokens,
      period: tier.period,
      used: usage?.used ?? 0,
      reserved: usage?.reserved ?? 0,
      remaining,
      windowStart: windowStart(tier, now),
      nextReset: nextReset(tier, now),
      expires: expiresAt(tier),
      ...(status === 'not started' ? { starts: parseDay(tier.anchor) } : {}),
      state,
    };
  });
}

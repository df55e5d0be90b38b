// The provider's own count of what is left (issue 19.2): a figure read from its response headers, good until the
// reset it names. Routing trusts the lower of our count and theirs until then: their count sees requests we never
// made (another machine, the provider's console) and ours sees requests they have not counted yet.

/** What one of the provider's counters counts. */
export type CounterUnit = 'requests' | 'tokens' | 'input_tokens' | 'output_tokens';

/** One counter as the provider reported it: `remaining` of `limit` (when sent) left until `resetsAt` (epoch ms). */
export interface ProviderCounter {
  unit: CounterUnit;
  remaining: number;
  limit?: number;
  resetsAt: number;
}

/** The provider's figure for `unit` still in force at `now`; undefined once its reset has passed. */
export function counterInForce(
  counters: readonly ProviderCounter[],
  unit: CounterUnit,
  now: number,
): ProviderCounter | undefined {
  const live = counters.filter((c) => c.unit === unit && c.resetsAt > now);
  return live.length ? live.reduce((a, b) => (b.remaining < a.remaining ? b : a)) : undefined;
}

/**
 * What is left by the lower of our count and the provider's, and whose figure that is: `provider` when theirs is
 * the lower one still in force, so the quota table can mark it.
 */
export function trustedRoom(
  ours: number,
  counters: readonly ProviderCounter[],
  unit: CounterUnit,
  now: number,
): { room: number; from: 'ledger' | 'provider'; resetsAt?: number } {
  const theirs = counterInForce(counters, unit, now);
  if (!theirs || theirs.remaining >= ours) return { room: ours, from: 'ledger' };
  return { room: theirs.remaining, from: 'provider', resetsAt: theirs.resetsAt };
}

// The one-line details of route skips: plain statements of why a model was passed over (what to do about it is each
// front end's to say, from the skip's data). Kept apart from router.ts so the rules there read without the wording.
// Pure: `now` is passed in, dates are shown in UTC (the zone free-tier windows are counted in).
import { covers, scopeLabel } from './cooldown-scope.ts';
import { groupThousands } from '../lib/numbers.ts';
import { describeLimit, type LimitState } from './limits.ts';
import { expiresAt, formatDay, tierLapse } from './quota.ts';
import type { Cooldown, CooldownKind, FreeTier, KeyProblem, Price, ProviderSpec, SkipWhy } from './types.ts';

export function describePrice(price: Price | null): string {
  return price ? `$${price.input}/$${price.output} per 1K tokens in/out` : 'price unknown';
}

/** Why a free tier cannot carry this call, and when it can again (or that it ends first). */
export function describeExhausted(tier: FreeTier, state: LimitState, needed: number, now: number): string {
  const { limit, used, reserved, remaining } = state;
  const held = reserved ? `, ${groupThousands(reserved)} held by calls in flight` : '';
  if (!limit.anchor) {
    // One of the provider's windows: `rpd: 14,400/14,400, resets 00:00 UTC`.
    return `${describeLimit(limit, used + reserved, now)}${held}`;
  }
  // The old allowance, in the words users know.
  const lapse = tierLapse(state.window.resetsAt!, expiresAt(tier));
  const then = `${lapse.ends ? 'ends' : 'resets'} ${formatDay(lapse.at)}`;
  if (remaining > 0)
    return `free tier has ${groupThousands(remaining)} tokens left${held}, this call needs ~${groupThousands(needed)}; ${then}`;
  return `free tier used up (${groupThousands(used + reserved)} of ${groupThousands(limit.limit)}${held}), ${then}`;
}

/** "OPENAI_API_KEY is invalid: it contains a space" (the variable's name, never its value). */
export function describeKeyProblem(invalid: KeyProblem): string {
  return `${invalid.variable ?? 'the stored key'} is invalid: it ${invalid.problem}`;
}

const KIND_TEXT: Record<CooldownKind, string> = {
  rate_limited: 'is rate-limited',
  exhausted: 'has no quota left',
  auth: 'was refused (auth)',
  down: 'is failing',
};

/**
 * The skip a live cooldown on this deployment or its provider causes, if any. A rejected key outranks everything
 * (no other fix helps); otherwise the cooldown that lasts longest is the one that binds.
 */
export function cooldownSkip(
  cooldowns: readonly Cooldown[],
  provider: ProviderSpec,
  model: string,
  hasTier: boolean,
  now: number,
): SkipWhy | undefined {
  // The snapshot should hold live cooldowns only; filtering again keeps the plan right if it is a moment old.
  const live = cooldowns.filter((c) => c.until > now && covers(c, provider.id, model));
  const auth = latest(live.filter((c) => c.kind === 'auth' && c.model === undefined));
  if (auth) {
    return {
      reason: 'key_rejected',
      providerName: provider.name,
      keyEnv: provider.keyEnv,
      until: auth.until,
      cooldownReason: auth.reason,
      detail: `${provider.name} rejected the key${because(auth.reason)}; retried after ${when(auth.until, now)}`,
    };
  }
  const c = latest(live);
  if (!c) return undefined;
  if (c.kind === 'exhausted' && c.model !== undefined) {
    const what = hasTier ? 'free tier' : 'quota';
    return {
      reason: 'exhausted',
      payable: false,
      until: c.until,
      detail: `${what} used up${because(c.reason)}, until ${when(c.until, now)}`,
    };
  }
  const detail = `${scopeLabel(c)} ${KIND_TEXT[c.kind]}${because(c.reason)}; cooling down until ${when(c.until, now)}`;
  return { reason: 'cooling_down', cooldownKind: c.kind, scope: scopeLabel(c), until: c.until, detail };
}

function latest(cooldowns: Cooldown[]): Cooldown | undefined {
  return cooldowns.reduce<Cooldown | undefined>((best, c) => (!best || c.until > best.until ? c : best), undefined);
}

/** A cooldown's own reason as ` (…)` on one short line (upstream messages can be long or multi-line); '' if none. */
export function because(reason: string): string {
  const text = reason.replace(/\s+/g, ' ').trim();
  if (!text) return '';
  return ` (${text.length > 120 ? `${text.slice(0, 117)}...` : text})`;
}

/** A day when the moment is a UTC midnight (resets, expiries), else a UTC time; with how far off it is. */
export function when(until: number, now: number): string {
  const iso = new Date(until).toISOString();
  const at = iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
  return `${at} (in ${duration(until - now)})`;
}

function duration(ms: number): string {
  const s = Math.max(1, Math.ceil(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.ceil(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d`;
}

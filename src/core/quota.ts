// Free-tier windows as pure date arithmetic, all in UTC. A tier's windows start at its anchor day and repeat every
// day, week or month; a monthly window anchored on the 31st starts on the last day of shorter months (Feb 28 or 29)
// and returns to the 31st when the month has one. A tier applies up to, not including, its `expires` day: the
// cautious reading, so a last-day call is never billed because we thought the tier still ran.
import type { FreeTier, ResetPeriod } from './types.ts';

const DAY_MS = 86_400_000;

/** The old allowance's window: counted from an anchor day, restarting every day, week or month. */
export interface AnchoredWindow {
  anchor: string;
  period: ResetPeriod;
}

/** Epoch ms of 00:00 UTC on a YYYY-MM-DD day. Throws on anything else, so bad data never routes. */
export function parseDay(day: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) throw new RangeError(`"${day}" is not a date of the form YYYY-MM-DD`);
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(y, m - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) {
    throw new RangeError(`"${day}" is not a calendar date`);
  }
  return ms;
}

/** YYYY-MM-DD (UTC) of an epoch ms. */
export function formatDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/** The start of the `n`th window after the anchor (n may be negative). */
function boundary(anchor: number, period: ResetPeriod, n: number): number {
  if (period === 'daily') return anchor + n * DAY_MS;
  if (period === 'weekly') return anchor + n * 7 * DAY_MS;
  const a = new Date(anchor);
  const monthIndex = a.getUTCFullYear() * 12 + a.getUTCMonth() + n;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12;
  return Date.UTC(year, month, Math.min(a.getUTCDate(), daysInMonth(year, month)));
}

/** Index of the window holding `now`: the largest n with boundary(n) <= now. */
function windowIndex(anchor: number, period: ResetPeriod, now: number): number {
  if (period === 'daily') return Math.floor((now - anchor) / DAY_MS);
  if (period === 'weekly') return Math.floor((now - anchor) / (7 * DAY_MS));
  const a = new Date(anchor);
  const t = new Date(now);
  let n = (t.getUTCFullYear() - a.getUTCFullYear()) * 12 + (t.getUTCMonth() - a.getUTCMonth());
  if (boundary(anchor, period, n) > now) n -= 1;
  return n;
}

/** Epoch ms at which the window holding `now` began. */
export function windowStart(tier: AnchoredWindow, now: number): number {
  const anchor = parseDay(tier.anchor);
  return boundary(anchor, tier.period, windowIndex(anchor, tier.period, now));
}

/** Epoch ms of the next reset after `now`. */
export function nextReset(tier: AnchoredWindow, now: number): number {
  const anchor = parseDay(tier.anchor);
  return boundary(anchor, tier.period, windowIndex(anchor, tier.period, now) + 1);
}

/** Epoch ms from which the tier no longer applies, if it ends. */
export function expiresAt(tier: Pick<FreeTier, 'expires'>): number | undefined {
  return tier.expires ? parseDay(tier.expires) : undefined;
}

/**
 * Whether the tier has begun: one anchored in the future (`quota set --anchor`) starts that day, and until then is
 * no free tier at all — the router bills the model at its own price, and quota shows when it starts.
 */
export function hasStarted(tier: Pick<FreeTier, 'anchor'>, now: number): boolean {
  return now >= parseDay(tier.anchor);
}

export function isExpired(tier: Pick<FreeTier, 'expires'>, now: number): boolean {
  const end = expiresAt(tier);
  return end !== undefined && now >= end;
}

export type TierStatus = 'not started' | 'active' | 'exhausted' | 'expired';

/** The tier's state: expired, not started, or whether every limit still has room. */
export function tierStatus(tier: FreeTier, roomLeft: boolean, now: number): TierStatus {
  if (isExpired(tier, now)) return 'expired';
  if (!hasStarted(tier, now)) return 'not started';
  return roomLeft ? 'active' : 'exhausted';
}

/**
 * When the tokens left stop being spendable: at the next reset, or — for a tier that expires on or before that
 * reset, and so never reaches it — at its end. The one rule behind every "resets …" / "ends …" shown to a user.
 */
export function tierLapse(nextResetAt: number, expires: number | undefined): { at: number; ends: boolean } {
  return expires !== undefined && expires <= nextResetAt
    ? { at: expires, ends: true }
    : { at: nextResetAt, ends: false };
}

// A free tier as providers count it: a set of limits, each a number of requests, tokens or input tokens per minute,
// hour, day, week, month or in total, its window either rolling (the last 60 s) or reset at the provider's boundary
// (00:00 in a named time zone, the top of the hour, the 1st of the month). The old single allowance — tokens per
// day, week or month counted from an anchor day — is one such limit, anchored. Pure date arithmetic; time zones
// through Intl, which every Node build carries.
import { parseDay, windowStart as anchoredStart, nextReset as anchoredReset } from './quota.ts';
import type { FreeTier, Limit, LimitPer, LimitUnit, ResetPeriod } from './catalog-types.ts';
import { windowKey, type TierUsage, type TierWindow } from './ledger-types.ts';
import { groupThousands } from '../lib/numbers.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** A rolling window's length; a rolling month is 30 days. */
const LENGTH: Record<Exclude<LimitPer, 'total'>, number> = {
  minute: MINUTE,
  hour: HOUR,
  day: DAY,
  week: 7 * DAY,
  month: 30 * DAY,
};

/** A limit of a tier, with the name it goes by (`rpd`, `tpm`, `tokens/month`) and, for the old allowance, its anchor. */
export interface TierLimit extends Limit {
  name: string;
  /** The old allowance: windows counted from this day (UTC), as `quota set --anchor` sets it. */
  anchor?: string;
}

const PERIOD_PER: Record<ResetPeriod, LimitPer> = { daily: 'day', weekly: 'week', monthly: 'month' };

/** Every limit of a tier: the old token allowance first (when the tier has one), then its other limits. */
export function limitsOf(tier: FreeTier): TierLimit[] {
  const legacy: TierLimit[] =
    tier.tokens !== undefined && tier.period !== undefined
      ? [
          {
            unit: 'tokens',
            per: PERIOD_PER[tier.period],
            limit: tier.tokens,
            resets: 'boundary',
            timeZone: 'UTC',
            anchor: tier.anchor,
            name: limitName('tokens', PERIOD_PER[tier.period]),
          },
        ]
      : [];
  return [...legacy, ...(tier.limits ?? []).map((l) => ({ ...l, name: limitName(l.unit, l.per) }))];
}

const UNIT_SHORT: Record<LimitUnit, string> = { requests: 'r', tokens: 't', input_tokens: 'it' };
const PER_SHORT: Partial<Record<LimitPer, string>> = { minute: 'm', hour: 'h', day: 'd' };

/** `rpm`, `tpd`, `itpm` as providers write them; `tokens/month`, `requests/week`, `tokens total` for the rest. */
export function limitName(unit: LimitUnit, per: LimitPer): string {
  const short = PER_SHORT[per];
  if (short) return `${UNIT_SHORT[unit]}p${short}`;
  const words = unit.replace('_', ' ');
  return per === 'total' ? `${words} total` : `${words}/${per}`;
}

export interface LimitWindow {
  /** Epoch ms: usage at or after this counts. */
  start: number;
  /** Epoch ms of the next reset; undefined for a rolling window (it frees as old calls age out) and a total. */
  resetsAt?: number;
}

/** The window of `limit` holding `now`. */
export function limitWindow(limit: TierLimit, now: number): LimitWindow {
  if (limit.per === 'total') return { start: limit.anchor ? parseDay(limit.anchor) : 0 };
  if (limit.resets === 'rolling') return { start: now - LENGTH[limit.per] };
  if (limit.anchor && (limit.per === 'day' || limit.per === 'week' || limit.per === 'month')) {
    const tier = { anchor: limit.anchor, period: periodOf(limit.per) };
    return { start: anchoredStart(tier, now), resetsAt: anchoredReset(tier, now) };
  }
  return calendarWindow(limit.per, limit.timeZone ?? 'UTC', now);
}

function periodOf(per: 'day' | 'week' | 'month'): ResetPeriod {
  return per === 'day' ? 'daily' : per === 'week' ? 'weekly' : 'monthly';
}

/** Whether `zone` is a time zone this runtime knows (IANA names, `UTC`). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

interface Parts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  weekday: number; // 0 Monday .. 6 Sunday
}

const formatters = new Map<string, Intl.DateTimeFormat>();

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function partsIn(zone: string, ms: number): Parts {
  // UTC needs no time-zone data: Intl's formatting was the largest frame of serve's profile (tier windows per call).
  if (zone === 'UTC') {
    const d = new Date(ms);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      weekday: (d.getUTCDay() + 6) % 7,
    };
  }
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
    });
    formatters.set(zone, f);
  }
  // One formatting for all six fields, not one per field.
  const parts = f.formatToParts(ms);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  const weekday = WEEKDAYS.indexOf(get('weekday'));
  return {
    year: Number(get('year')),
    month: Number(get('month')),
    day: Number(get('day')),
    hour: Number(get('hour')),
    minute: Number(get('minute')),
    weekday,
  };
}

/** Epoch ms of a wall-clock time in `zone` (the later of two at a DST overlap is as good as the earlier here). */
function wallTime(zone: string, y: number, mo: number, d: number, h = 0, mi = 0): number {
  const guess = Date.UTC(y, mo - 1, d, h, mi);
  const offset = (ms: number) => {
    const p = partsIn(zone, ms);
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - Math.floor(ms / MINUTE) * MINUTE;
  };
  const first = guess - offset(guess);
  return guess - offset(first);
}

/** The calendar window (minute, hour, day from 00:00, week from Monday, month from the 1st) in `zone`. */
function calendarWindow(per: Exclude<LimitPer, 'total'>, zone: string, now: number): LimitWindow {
  if (per === 'minute') {
    const start = Math.floor(now / MINUTE) * MINUTE;
    return { start, resetsAt: start + MINUTE };
  }
  const p = partsIn(zone, now);
  if (per === 'hour') {
    const start = wallTime(zone, p.year, p.month, p.day, p.hour);
    return { start, resetsAt: start + HOUR };
  }
  if (per === 'day') {
    return { start: wallTime(zone, p.year, p.month, p.day), resetsAt: wallTime(zone, p.year, p.month, p.day + 1) };
  }
  if (per === 'week') {
    const monday = p.day - p.weekday;
    return { start: wallTime(zone, p.year, p.month, monday), resetsAt: wallTime(zone, p.year, p.month, monday + 7) };
  }
  return { start: wallTime(zone, p.year, p.month, 1), resetsAt: wallTime(zone, p.year, p.month + 1, 1) };
}

/** What one call needs of a limit: one request, its tokens, or its prompt. */
export function neededOf(unit: LimitUnit, need: { tokens: number; inputTokens: number }): number {
  return unit === 'requests' ? 1 : unit === 'tokens' ? need.tokens : need.inputTokens;
}

/** When a limit frees, in words: `resets 00:00 UTC`, `resets 2026-12-01`, `rolling minute`, `never resets`. */
export function resetText(limit: TierLimit, window: LimitWindow, now: number): string {
  if (limit.per === 'total') return 'never resets';
  if (window.resetsAt === undefined) return `rolling ${limit.per}`;
  const zone = limit.timeZone ?? 'UTC';
  if (window.resetsAt - now > DAY || limit.anchor)
    return `resets ${new Date(window.resetsAt).toISOString().slice(0, 10)}`;
  return `resets ${resetClock({ timeZone: zone, nextReset: window.resetsAt })}`;
}

/** `00:00 UTC`, `00:00 America/Los_Angeles`: the wall-clock time of a reset within the day, in the limit's zone. */
export function resetClock(limit: { timeZone?: string; nextReset?: number }): string {
  const zone = limit.timeZone ?? 'UTC';
  const p = partsIn(zone, limit.nextReset ?? 0);
  return `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')} ${zone}`;
}

/** `rpd: 14,400/14,400, resets 00:00 UTC` — what `--explain` says of the limit that blocks. */
export function describeLimit(limit: TierLimit, counted: number, now: number): string {
  const window = limitWindow(limit, now);
  return `${limit.name}: ${groupThousands(counted)}/${groupThousands(limit.limit)}, ${resetText(limit, window, now)}`;
}

/** The windows the ledger must sum for a tier at `now`: one per limit, counted in its unit. */
export function tierLimitWindows(tierKey: string, tier: FreeTier, now: number): TierWindow[] {
  return limitsOf(tier).map((limit) => ({
    key: tierKey,
    windowStart: limitWindow(limit, now).start,
    unit: limit.unit,
    ...(limit.anchor ? {} : { limit: limit.name }),
  }));
}

/** Where a limit's usage is in a snapshot: the old allowance under the tier key, as it always was; others by name. */
function usageKey(tierKey: string, limit: TierLimit): string {
  return windowKey(limit.anchor ? { key: tierKey } : { key: tierKey, limit: limit.name });
}

/** One limit of a tier as it stands: what its window counted, what calls in flight hold, what is left. */
export interface LimitState {
  limit: TierLimit;
  window: LimitWindow;
  used: number;
  reserved: number;
  /** When those holds have all expired (epoch ms), if any is held. */
  heldUntil?: number;
  remaining: number;
}

export function limitStates(
  tierKey: string,
  tier: FreeTier,
  usage: ReadonlyMap<string, TierUsage>,
  now: number,
): LimitState[] {
  return limitsOf(tier).map((limit) => {
    const counted = usage.get(usageKey(tierKey, limit));
    const used = counted?.used ?? 0;
    const reserved = counted?.reserved ?? 0;
    return {
      limit,
      window: limitWindow(limit, now),
      used,
      reserved,
      ...(counted?.heldUntil === undefined ? {} : { heldUntil: counted.heldUntil }),
      remaining: Math.max(0, limit.limit - used - reserved),
    };
  });
}

/** The first limit this call does not fit (one request, `tokens` in all, `inputTokens` of prompt), if any. */
export function blockingLimit(
  states: LimitState[],
  need: { tokens: number; inputTokens: number },
): LimitState | undefined {
  return states.find((s) => s.remaining < neededOf(s.limit.unit, need));
}

/**
 * Tokens left for the next call, as `free tier: N left` reports it: the tightest token (or input-token) limit; a
 * tier counted in requests alone reports its requests left.
 */
export function headlineRemaining(states: LimitState[]): number {
  const tokens = states.filter((s) => s.limit.unit !== 'requests');
  const pool = tokens.length ? tokens : states;
  return pool.length ? Math.min(...pool.map((s) => s.remaining)) : 0;
}

/**
 * When the tier's room comes back at the latest: the furthest reset of its boundary windows (a used-up day waits for
 * the day's end, not the minute's). A tier of rolling windows only frees within its longest window.
 */
export function tierNextReset(tier: FreeTier, now: number): number {
  const resets = limitsOf(tier).map((l) => {
    const w = limitWindow(l, now);
    return w.resetsAt ?? (l.per === 'total' ? Number.POSITIVE_INFINITY : now + LENGTH[l.per]);
  });
  const finite = resets.filter((r) => Number.isFinite(r));
  return finite.length ? Math.max(...finite) : now + DAY;
}

/** The soonest a tier's token windows reset: spend the tier whose tokens lapse first first. */
export function tierLapsesAt(tier: FreeTier, now: number): number {
  const resets = limitsOf(tier)
    .map((l) => limitWindow(l, now).resetsAt)
    .filter((r): r is number => r !== undefined);
  return resets.length ? Math.min(...resets) : now + DAY;
}

/** When the named limit of a tier has room again at the latest (its reset, or a rolling window's length). */
export function limitFreesAt(tier: FreeTier, name: string | undefined, now: number): number {
  const limit = limitsOf(tier).find((l) => l.name === name);
  if (!limit || limit.per === 'total') return tierNextReset(tier, now);
  return limitWindow(limit, now).resetsAt ?? now + LENGTH[limit.per];
}

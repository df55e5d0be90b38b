// The dates api-gateway wrote. Its quota.json has `lastResetAt` as JSON.stringify made it (a UTC time), or as a
// person edited it: a date alone, or a time with an offset. Each is one instant; llm-gateway counts free-tier
// windows in UTC days, so the day of an instant is its UTC day. A time without a zone is refused: it would mean
// whatever the old machine's local time was.
import { formatDay, parseDay } from '../core/quota.ts';

const FORM = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Epoch ms of a date (`2026-02-15`, 00:00 UTC), a UTC time or a time with an offset; undefined for anything else. */
export function parseOldDate(text: string): number | undefined {
  const match = FORM.exec(text.trim());
  if (!match) return undefined;
  const [, date, hh, mm, ss, fraction, zone] = match;
  let day: number;
  try {
    day = parseDay(date!);
  } catch {
    return undefined;
  }
  if (hh === undefined) return day;
  if (zone === undefined) return undefined;
  const [h, m, s] = [Number(hh), Number(mm), Number(ss ?? 0)];
  if (h > 23 || m > 59 || s > 59) return undefined;
  const ms = Math.floor(Number(`0.${fraction ?? 0}`) * 1000);
  const offset = zone === 'Z' ? 0 : zoneMinutes(zone);
  if (offset === undefined) return undefined;
  return day + ((h * 60 + m - offset) * 60 + s) * 1000 + ms;
}

function zoneMinutes(zone: string): number | undefined {
  const [, sign, hh, mm] = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
  if (Number(hh) > 23 || Number(mm) > 59) return undefined;
  return (sign === '-' ? -1 : 1) * (Number(hh) * 60 + Number(mm));
}

/** The UTC day (YYYY-MM-DD) of an old date, or undefined when it is not one of the three forms. */
export function oldDateDay(text: string): string | undefined {
  const ms = parseOldDate(text);
  return ms === undefined ? undefined : formatDay(ms);
}

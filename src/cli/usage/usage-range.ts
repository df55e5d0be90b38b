// `usage --since/--until`: the days a report covers, as the user writes them. Every failure is a UsageError (exit
// 2) saying what a valid value is.
import { UsageError } from '../../core/errors.ts';
import { parseDay } from '../../core/quota.ts';

const DAY_MS = 86_400_000;
const EXAMPLES = 'e.g. --since 7d, --since 30d or --since 2026-11-01';

/** `--since 30d` (the last 30 days, today included) or a day; `--until` a day (default today); both UTC. */
export function usageRange(
  since: string | undefined,
  until: string | undefined,
  now: number,
): { since: number; until: number } {
  const today = now - (now % DAY_MS);
  const last = until === undefined ? today : day(until, '--until', 'e.g. --until 2026-11-30');
  const text = (since ?? '30d').trim();
  const relative = /^(\d{1,4})d$/.exec(text);
  let first: number;
  if (relative) {
    const n = Number(relative[1]);
    if (n < 1) throw new UsageError(`--since must count at least one day, got "${since}"`, EXAMPLES);
    first = last - (n - 1) * DAY_MS;
  } else first = day(text, '--since', EXAMPLES);
  if (first > last)
    throw new UsageError(
      `--since ${text} is after --until ${new Date(last).toISOString().slice(0, 10)}`,
      'give a --since on or before --until',
    );
  return { since: first, until: last };
}

function day(value: string, flag: string, hint: string): number {
  try {
    return parseDay(value.trim());
  } catch {
    throw new UsageError(`${flag} must be a number of days (7d) or a day (YYYY-MM-DD), got "${value}"`, hint);
  }
}

// The clock every part of a run reads. `LLM_GATEWAY_NOW` (an ISO time) fixes it, so tests and demos can show a
// given day's windows; it is a test hook, documented as such. Without it the real clock runs.
import { UsageError } from '../core/errors.ts';

export function clockFromEnv(env: NodeJS.ProcessEnv): () => number {
  if (!env.LLM_GATEWAY_NOW) return Date.now;
  const fixed = isoTime(env.LLM_GATEWAY_NOW);
  return () => {
    if (fixed === undefined)
      throw new UsageError(
        `LLM_GATEWAY_NOW must be an ISO time between 1970 and 9999 such as 2026-11-26T04:00:00Z, got "${env.LLM_GATEWAY_NOW}"`,
      );
    return fixed;
  };
}

/** A date, or a date and time with an optional zone. */
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Epoch ms of an ISO date or time that names a real day between 1970 and 9999, else undefined. Date.parse alone
 * takes "0" (the year 2000), rolls 2026-02-30 over to March 2, and gives times later code cannot print.
 */
function isoTime(text: string): number | undefined {
  const m = ISO.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (year < 1970 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  const ms = Date.parse(text.trim());
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * How a run waits out a rate limit: really, unless `LLM_GATEWAY_NOW` froze the clock — time cannot pass then, so a
 * wait would only hold the run up; it returns at once (the countdown is still printed). Undefined: the real sleep.
 */
export function sleepFromEnv(env: NodeJS.ProcessEnv): ((ms: number) => Promise<void>) | undefined {
  return env.LLM_GATEWAY_NOW ? async () => {} : undefined;
}

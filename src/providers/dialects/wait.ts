// How long a provider asks us to wait, from every place providers put it:
//   retry-after-ms                      OpenAI's SDKs honour it (openai-node src/client.ts, retry logic)
//   retry-after (seconds or HTTP date)  RFC 9110 §10.2.3; Groq sends it on every 429 (console.groq.com/docs/rate-limits)
//   "try again in 5.289s" / "9m38.016s" Groq and OpenAI 429 messages (Aider-AI/aider#3265, continuedev/continue#10920)
//   "please try again after 1 seconds"  Moonshot's rate_limit_reached_error (platform.moonshot.cn/docs/api/errors)
//   x-ratelimit-reset-requests/-tokens  durations such as 1m30s, 250ms, 6.66s (OpenAI rate-limits guide; Groq's
//                                       rate-limits page uses the same headers)
//   anthropic-ratelimit-*-reset         RFC 3339 times (docs.anthropic.com/en/api/rate-limits)
// Every figure is capped at MAX_PROVIDER_WAIT_MS: a header of `retry-after: 99999999999` is a broken server, not a
// request to set a cooldown until the year 5195 (issue #9). A day is the longest window any built-in provider
// publishes (RPD/TPD), so 24 h is the most a real provider can mean.

export const MAX_PROVIDER_WAIT_MS = 24 * 60 * 60 * 1000;

export type HeaderGet = (name: string) => string | undefined;

/** Milliseconds the provider asked for, capped; undefined when it said nothing we can read. */
export function providerWait(header: HeaderGet, message: string, now: number): number | undefined {
  const ms = firstDefined(
    () => retryAfterHeaders(header, now),
    () => waitInText(message),
    () => resetHeaders(header, now),
  );
  return ms === undefined ? undefined : Math.min(Math.max(0, Math.round(ms)), MAX_PROVIDER_WAIT_MS);
}

/** `retry-after-ms`, else `retry-after` (delta seconds or an HTTP date); uncapped. */
export function retryAfterHeaders(header: HeaderGet, now: number): number | undefined {
  const rawMs = header('retry-after-ms')?.trim();
  if (rawMs && /^\d+(\.\d+)?$/.test(rawMs)) return Number(rawMs);
  const ra = header('retry-after')?.trim();
  if (!ra) return undefined;
  if (/^\d+(\.\d+)?$/.test(ra)) return Number(ra) * 1000;
  const date = Date.parse(ra);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const TEXT_DURATION = /(?:try again|retry)\s+(?:in|after)\s+((?:\d+(?:\.\d+)?(?:ms|h|m|s))+)(?![a-z])/i;
const TEXT_UNITS =
  /(?:try again|retry)\s+(?:in|after)\s+(\d+(?:\.\d+)?)\s*(milliseconds?|ms|seconds?|secs?|s|minutes?|mins?|hours?|h)\b/i;

/** "try again in 5.289s", "in 9m38.016s", "after 1 seconds", "in 2 minutes". */
export function waitInText(message: string): number | undefined {
  const compact = TEXT_DURATION.exec(message);
  if (compact) return parseDuration(compact[1]!);
  const spelled = TEXT_UNITS.exec(message);
  if (!spelled) return undefined;
  const n = Number(spelled[1]);
  const unit = spelled[2]!.toLowerCase();
  if (unit.startsWith('ms') || unit.startsWith('milli')) return n;
  if (unit.startsWith('h')) return n * 3_600_000;
  if (unit.startsWith('m')) return n * 60_000;
  return n * 1000;
}

/**
 * The reset of the limit that ran out: x-ratelimit-reset-requests/-tokens (the one whose x-ratelimit-remaining-*
 * is 0, else the later), or Anthropic's anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-reset.
 */
function resetHeaders(header: HeaderGet, now: number): number | undefined {
  const found: { ms: number; spent: boolean }[] = [];
  for (const what of ['requests', 'tokens']) {
    const reset = header(`x-ratelimit-reset-${what}`);
    const ms = reset === undefined ? undefined : parseDuration(reset.trim());
    if (ms !== undefined) found.push({ ms, spent: header(`x-ratelimit-remaining-${what}`)?.trim() === '0' });
  }
  for (const what of ['requests', 'tokens', 'input-tokens', 'output-tokens']) {
    const at = Date.parse(header(`anthropic-ratelimit-${what}-reset`) ?? '');
    if (!Number.isNaN(at))
      found.push({ ms: Math.max(0, at - now), spent: header(`anthropic-ratelimit-${what}-remaining`)?.trim() === '0' });
  }
  const spent = found.filter((f) => f.spent);
  const pick = spent.length ? spent : found;
  return pick.length ? Math.max(...pick.map((f) => f.ms)) : undefined;
}

/** "1m30s" -> 90000, "250ms" -> 250, "6.66s" -> 6660, "2h0m0s", a bare number is seconds; else undefined. */
export function parseDuration(text: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  if (!/^(\d+(\.\d+)?(ms|h|m|s))+$/.test(text)) return undefined;
  let total = 0;
  for (const [, n, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) {
    total += Number(n) * (unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000);
  }
  return total;
}

function firstDefined(...fns: Array<() => number | undefined>): number | undefined {
  for (const fn of fns) {
    const v = fn();
    if (v !== undefined && Number.isFinite(v)) return v;
  }
  return undefined;
}

// The provider's own counters, read from the headers of any response (success or 429):
//   x-ratelimit-limit-/remaining-/reset-requests and -tokens
//     OpenAI rate-limits guide (platform.openai.com/docs/guides/rate-limits, "Rate limits in headers"): reset is a
//     duration such as "1s", "6m0s"; Groq's rate-limits page (console.groq.com/docs/rate-limits, "Rate Limit
//     Headers") sends the same names, requests counted per day (RPD) and tokens per minute, resets like "2m59.56s";
//     Cerebras' rate-limits page (inference-docs.cerebras.ai/support/rate-limits) sends the same family.
//   anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,remaining,reset}
//     Anthropic's rate-limits page (docs.anthropic.com/en/api/rate-limits, "Response headers"): reset is an
//     RFC 3339 time.
// A header we cannot read is skipped, never guessed at.
import type { CounterUnit, ProviderCounter } from '../../core/provider-counters.ts';
import { type HeaderGet, MAX_PROVIDER_WAIT_MS, parseDuration } from './wait.ts';

const OPENAI_STYLE: ReadonlyArray<[string, CounterUnit]> = [
  ['requests', 'requests'],
  ['tokens', 'tokens'],
];
const ANTHROPIC_STYLE: ReadonlyArray<[string, CounterUnit]> = [
  ['requests', 'requests'],
  ['tokens', 'tokens'],
  ['input-tokens', 'input_tokens'],
  ['output-tokens', 'output_tokens'],
];

/** Every counter the response reports, with its reset as an epoch time (at most a day ahead of `now`). */
export function providerCounters(header: HeaderGet, now: number): ProviderCounter[] {
  const found: ProviderCounter[] = [];
  for (const [name, unit] of OPENAI_STYLE) {
    const remaining = count(header(`x-ratelimit-remaining-${name}`));
    const ms = parseDuration(header(`x-ratelimit-reset-${name}`)?.trim() ?? '');
    if (remaining === undefined || ms === undefined) continue;
    found.push(counter(unit, remaining, count(header(`x-ratelimit-limit-${name}`)), now + ms, now));
  }
  for (const [name, unit] of ANTHROPIC_STYLE) {
    const remaining = count(header(`anthropic-ratelimit-${name}-remaining`));
    const at = Date.parse(header(`anthropic-ratelimit-${name}-reset`)?.trim() ?? '');
    if (remaining === undefined || Number.isNaN(at)) continue;
    found.push(counter(unit, remaining, count(header(`anthropic-ratelimit-${name}-limit`)), at, now));
  }
  return found;
}

function counter(unit: CounterUnit, remaining: number, limit: number | undefined, at: number, now: number) {
  const resetsAt = Math.min(Math.max(at, now), now + MAX_PROVIDER_WAIT_MS);
  return { unit, remaining, ...(limit === undefined ? {} : { limit }), resetsAt };
}

/** A whole, non-negative count ("14399"); anything else is unreadable. */
function count(raw: string | undefined): number | undefined {
  const s = raw?.trim();
  return s && /^\d+$/.test(s) ? Number(s) : undefined;
}

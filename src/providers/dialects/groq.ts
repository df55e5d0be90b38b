// Groq's error dialect: OpenAI's envelope, with `type` "tokens" or "requests" on rate limits and the limit named in
// the message: "Rate limit reached for model `m` … on tokens per minute (TPM): Limit 6000, Used 5000, Requested
// 1200. Please try again in 2.961s." (Aider-AI/aider#3265) or "… on tokens per day (TPD): … Please try again in
// 9m38.016s." (continuedev/continue#10920). A per-day limit is a used-up tier until the stated time.
import type { Dialect } from './types.ts';

const RATE_LIMITS = 'https://console.groq.com/docs/rate-limits';
const ERRORS = 'https://console.groq.com/docs/errors';

export const groqDialect: Dialect = {
  id: 'groq',
  rules: [
    { source: RATE_LIMITS, status: 429, message: /\((TPD|RPD)\)|per day/i, kind: 'rate_limit', window: 'day' },
    { source: RATE_LIMITS, status: 429, message: /\((TPM|RPM)\)|per minute/i, kind: 'rate_limit', window: 'minute' },
    // 413 Request Entity Too Large: the request's tokens exceed the model's per-minute limit on this tier.
    { source: ERRORS, status: 413, kind: 'too_large' },
    // 498: Flex tier capacity exceeded — Groq is busy, not our request: try again, then the next candidate.
    { source: ERRORS, status: 498, kind: 'server' },
  ],
};

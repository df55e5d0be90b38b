// Anthropic's error dialect: `{"type":"error","error":{"type","message"}}`, no codes, classified by status and
// type (https://docs.anthropic.com/en/api/errors). 413 request_too_large is the 32 MB body limit, not a rate
// window: no other model would take the same body, so it stays a bad request.
import type { Dialect } from './types.ts';

const ERRORS = 'https://docs.anthropic.com/en/api/errors';

export const anthropicDialect: Dialect = {
  id: 'anthropic',
  rules: [
    { source: ERRORS, status: 413, type: 'request_too_large', kind: 'bad_request' },
    { source: ERRORS, status: 529, kind: 'server' },
    { source: ERRORS, type: 'overloaded_error', kind: 'server' },
    // 429 rate_limit_error names its limit ("50 requests per minute") and sends retry-after; the window and the
    // wait decide between a burst and a used-up quota, as for everyone. A credit wall is a 400 (see openai.ts).
    { source: 'https://docs.anthropic.com/en/api/rate-limits', status: 429, kind: 'rate_limit' },
  ],
};

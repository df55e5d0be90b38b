// Gemini's OpenAI-compatible endpoint answers errors in Google's envelope, as a one-element list:
// `[{"error": {"code": 429, "message": "Resource has been exhausted (e.g. check quota).", "status":
// "RESOURCE_EXHAUSTED"}}]` (n4ze3m/page-assist#406). The list is unwrapped with the other envelopes
// (upstream-error.ts) and `status` read as the type. Its words say "quota" whichever window ran out — a minute's
// requests as well as a day's — so a RESOURCE_EXHAUSTED naming no day is a burst to wait out, not a tier used up
// until tomorrow: the ledger counts the day's requests itself and stops before Google has to say so.
import type { Dialect } from './types.ts';

const ISSUE = 'https://github.com/n4ze3m/page-assist/issues/406';

export const geminiDialect: Dialect = {
  id: 'gemini',
  rules: [
    {
      source: ISSUE,
      status: 429,
      type: 'RESOURCE_EXHAUSTED',
      message: /^(?![\s\S]*(per.?day|daily))/i,
      kind: 'rate_limit',
      window: 'minute',
    },
  ],
};

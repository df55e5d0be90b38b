// One classification for every dialect: the dialect's own rules first, then the common (OpenAI) rules, then the
// status alone. Status, code, type, message and headers are read together: a 429 is a burst limit or a used-up
// tier depending on the window the provider names and the wait it asks for; a 400 is a bad request, a billing
// wall, a retired model or a prompt too long depending on its code and words.
import type { UpstreamErrorKind } from '../../core/errors.ts';
import { COMMON_RULES } from './openai.ts';
import type { Classification, Dialect, ErrorSignal, RateWindow, Rule } from './types.ts';
import { providerWait } from './wait.ts';

/** A 429 asking us to wait longer than this, naming no window, is a used-up quota rather than a burst limit. */
export const LONG_RETRY_AFTER_MS = 60_000;

const QUOTA_WORDS = /insufficient.?quota|quota|free.?tier|exceeded your current|daily limit/i;

export function classify(dialect: Dialect, signal: ErrorSignal, now: number): Classification {
  const text = [signal.type, signal.code, signal.message].filter(Boolean).join(' ');
  const rule =
    dialect.rules.find((r) => matches(r, signal, text)) ?? COMMON_RULES.find((r) => matches(r, signal, text));
  let kind = rule?.kind ?? (signal.status === undefined ? kindFromType(signal.type) : kindFromStatus(signal.status));
  const retryAfterMs = providerWait(signal.header, signal.message, now);
  const window = rule?.window ?? windowIn(text);
  if (kind === 'rate_limit') {
    // A per-day or per-month limit is that tier used up until the provider's stated reset, not a burst to wait out.
    if (window === 'day' || window === 'month') kind = 'quota';
    // Naming no window: quota words, or a wait of minutes, mean the same.
    else if (window === undefined && (QUOTA_WORDS.test(text) || (retryAfterMs ?? 0) > LONG_RETRY_AFTER_MS))
      kind = 'quota';
  }
  return { kind, ...(retryAfterMs === undefined ? {} : { retryAfterMs }), ...(window ? { window } : {}) };
}

function matches(rule: Rule, signal: ErrorSignal, text: string): boolean {
  if (rule.status !== undefined) {
    const statuses: readonly number[] = typeof rule.status === 'number' ? [rule.status] : rule.status;
    if (signal.status === undefined || !statuses.includes(signal.status)) return false;
  }
  if (rule.code !== undefined && !same(rule.code, signal.code)) return false;
  if (rule.type !== undefined && !same(rule.type, signal.type)) return false;
  if (rule.message !== undefined && !rule.message.test(text)) return false;
  return true;
}

function same(want: string | RegExp, got: string | undefined): boolean {
  if (got === undefined) return false;
  return typeof want === 'string' ? want.toLowerCase() === got.toLowerCase() : want.test(got);
}

/** The window a rate-limit message names: TPD / "per day", TPM / "per minute", RPS / "per second", … */
export function windowIn(text: string): RateWindow | undefined {
  if (/\b(TPD|RPD|IPD|ASD)\b|per.?day|daily/i.test(text)) return 'day';
  if (/per.?month|monthly|this month|billing cycle/i.test(text)) return 'month';
  if (/\b(TPH|RPH|ASH)\b|per.?hour|hourly/i.test(text)) return 'hour';
  if (/\b(TPM|RPM|ITPM|OTPM|IPM)\b|per.?min(ute)?\b/i.test(text)) return 'minute';
  if (/\b(RPS|TPS|QPS)\b|per.?second/i.test(text)) return 'second';
  return undefined;
}

function kindFromStatus(status: number): UpstreamErrorKind {
  if (status === 429) return 'rate_limit';
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not_found';
  if (status === 408) return 'timeout';
  if (status >= 500) return 'server'; // 500, 502, 503, 504, 529 and any other 5xx
  return 'bad_request'; // 400, 409, 413, 422, ...
}

/** Errors sent inside a 200 stream carry no status: classify by the error type. Unknown types count as 'server'. */
function kindFromType(type: string | undefined): UpstreamErrorKind {
  switch (type) {
    case 'rate_limit_error':
    case 'rate_limit_exceeded':
    case 'requests':
    case 'tokens':
      return 'rate_limit';
    case 'authentication_error':
    case 'permission_error':
      return 'auth';
    case 'not_found_error':
      return 'not_found';
    case 'invalid_request_error':
      return 'bad_request';
    case 'timeout_error':
      return 'timeout';
    default:
      return 'server'; // overloaded_error, api_error, server_error, ...
  }
}

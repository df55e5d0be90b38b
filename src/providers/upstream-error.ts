// Every way an SDK call can fail, reduced to one UpstreamError whose `kind` drives retry, fallback and cooldown in
// the gateway (the table in docs/ARCHITECTURE.md). Both SDKs are Stainless-generated and share error shapes, but
// we read them structurally (status, headers, error body, cause codes) and use instanceof only where the class
// is the sole signal (timeout vs. connection vs. abort). The caller hands in its SDK's classes: importing both SDKs
// here would make every OpenAI-compatible call load the Anthropic SDK too (~600 KB of JavaScript).
// Messages are built from the provider name, the status and the upstream's own error message — never from the
// SDK's message or the request, which may echo headers — and are then scrubbed of anything key-like.

import { UpstreamError, withoutSecrets, type UpstreamErrorKind } from '../core/errors.ts';

/** A 429 asking us to wait longer than this is a quota wall, not a burst limit. */
export const LONG_RETRY_AFTER_MS = 60_000;

/** The error classes of one SDK; both SDKs expose them as statics of their client class (pass `OpenAI`). */
export interface SdkErrorClasses {
  APIConnectionTimeoutError: abstract new (...args: never[]) => unknown;
  APIUserAbortError: abstract new (...args: never[]) => unknown;
  APIConnectionError: abstract new (...args: never[]) => unknown;
}

export interface ErrorContext {
  /** The SDKs whose connection, timeout and abort classes `err` may be an instance of. */
  sdks?: SdkErrorClasses[];
  /** Secret values to cut out of any text that ends up in the message (the call's API key). */
  secrets?: string[];
  /** For tests: the time Retry-After dates are measured from. */
  now?: number;
}

const QUOTA_WORDS = /insufficient.?quota|quota|free.?tier|billing|credit balance|exceeded your current|per day|daily limit/i;
const BURST_WORDS = /per.?(minute|second)|\b(rpm|tpm|rps)\b/i;
const CONTEXT_WORDS = /context.?length|maximum context|context window|prompt is too long|input is too long|too many (input )?tokens/i;
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

export function toUpstreamError(provider: string, err: unknown, ctx: ErrorContext = {}): UpstreamError {
  if (err instanceof UpstreamError) return err;
  const make = (kind: UpstreamErrorKind, detail: string, status?: number, retryAfterMs?: number) =>
    new UpstreamError({ provider, kind, status, retryAfterMs, message: scrub(`${provider}: ${status ? `HTTP ${status}: ` : ''}${detail}`, ctx.secrets) });

  // Order matters: the timeout class extends the connection class, which extends APIError.
  const sdks = ctx.sdks ?? [];
  if (sdks.some((sdk) => err instanceof sdk.APIConnectionTimeoutError)) return make('timeout', 'request timed out');
  if (sdks.some((sdk) => err instanceof sdk.APIUserAbortError)) return make('aborted', 'request cancelled');
  if (sdks.some((sdk) => err instanceof sdk.APIConnectionError)) return fromNetwork(make, err);

  const e = err as { status?: unknown; headers?: unknown; error?: unknown; name?: unknown } | null;
  if (e && typeof e === 'object' && (typeof e.status === 'number' || 'error' in e)) {
    const status = typeof e.status === 'number' ? e.status : undefined;
    const { type, code, message } = errorFields(e.error);
    const text = [type, code, message].filter(Boolean).join(' ');
    const detail = message ? clip(message) : (type ?? defaultDetail(status));
    if (status === undefined) return make(kindFromType(type, code, text), detail); // an error event inside a 200 stream
    const retryAfterMs = parseRetryAfter(e.headers, ctx.now ?? Date.now());
    return make(kindFromStatus(status, text, code, retryAfterMs), detail, status, retryAfterMs);
  }
  if (e?.name === 'AbortError') return make('aborted', 'request cancelled');
  if (e?.name === 'TimeoutError') return make('timeout', 'request timed out');
  if (err instanceof SyntaxError) return make('protocol', 'the stream could not be parsed');
  return fromNetwork(make, err);
}

type Make = (kind: UpstreamErrorKind, detail: string, status?: number, retryAfterMs?: number) => UpstreamError;

/** Refused, reset, DNS and socket-level timeouts, found by walking the `cause` chain for a Node/undici code. */
function fromNetwork(make: Make, err: unknown): UpstreamError {
  for (let c: any = err, depth = 0; c && depth < 6; c = c.cause, depth++) {
    const code = typeof c.code === 'string' ? c.code : undefined;
    if (code && TIMEOUT_CODES.has(code)) return make('timeout', `network timeout (${code})`);
    if (code && CONNECTION_CODES.has(code)) return make('connection', `connection failed (${code})`);
    if (c instanceof TypeError && /terminated|other side closed|fetch failed/i.test(c.message)) {
      if (!c.cause) return make('connection', 'connection closed unexpectedly');
    }
  }
  const msg = err instanceof Error ? err.message : String(err);
  if (/terminated|socket|closed|network|fetch failed|connection/i.test(msg)) return make('connection', 'connection closed unexpectedly');
  return make('protocol', `unexpected failure: ${clip(msg)}`);
}

function kindFromStatus(status: number, text: string, code: string | undefined, retryAfterMs?: number): UpstreamErrorKind {
  if (status === 429) {
    if (code === 'insufficient_quota') return 'quota';
    // "per minute" / RPM / TPM is a rate limit however long it asks us to wait: the tier itself is not used up.
    if (BURST_WORDS.test(text)) return 'rate_limit';
    if (QUOTA_WORDS.test(text)) return 'quota';
    return retryAfterMs !== undefined && retryAfterMs > LONG_RETRY_AFTER_MS ? 'quota' : 'rate_limit';
  }
  if (status === 402) return 'quota';
  if (status === 401 || status === 403) return 'auth';
  if (status === 404 || code === 'model_not_found') return 'not_found';
  if (status === 408) return 'timeout';
  if (status >= 500) return 'server'; // 500, 502, 503, 504, 529 and any other 5xx
  if (code === 'context_length_exceeded' || CONTEXT_WORDS.test(text)) return 'context_length';
  return 'bad_request'; // 400, 409, 413, 422, ...
}

/** Errors sent inside a 200 stream carry no status: classify by the error type. Unknown types count as 'server'. */
function kindFromType(type: string | undefined, code: string | undefined, text: string): UpstreamErrorKind {
  switch (type) {
    case 'rate_limit_error':
    case 'rate_limit_exceeded':
    case 'requests':
    case 'tokens':
      return QUOTA_WORDS.test(text) && !BURST_WORDS.test(text) ? 'quota' : 'rate_limit';
    case 'insufficient_quota':
    case 'billing_error':
      return 'quota';
    case 'authentication_error':
    case 'permission_error':
      return 'auth';
    case 'not_found_error':
      return 'not_found';
    case 'invalid_request_error':
      return code === 'context_length_exceeded' || CONTEXT_WORDS.test(text) ? 'context_length' : 'bad_request';
    case 'timeout_error':
      return 'timeout';
    default:
      return 'server'; // overloaded_error, api_error, server_error, ...
  }
}

/** The upstream's {type, code, message}, from OpenAI's `{message,type,code}` or Anthropic's `{type,error:{...}}`. */
function errorFields(body: unknown): { type?: string; code?: string; message?: string } {
  if (!body || typeof body !== 'object') return typeof body === 'string' ? { message: body } : {};
  const outer = body as Record<string, unknown>;
  const inner = outer.error && typeof outer.error === 'object' ? (outer.error as Record<string, unknown>) : outer;
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  return { type: str(inner.type), code: str(inner.code), message: str(inner.message) ?? str(outer.message) };
}

/** Milliseconds from `retry-after-ms`, else `retry-after` (delta seconds or an HTTP date). */
export function parseRetryAfter(headers: unknown, now: number): number | undefined {
  const get = (name: string): string | undefined => {
    if (!headers || typeof headers !== 'object') return undefined;
    if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
    const v = (headers as Record<string, unknown>)[name];
    return typeof v === 'string' ? v : undefined;
  };
  const ms = Number(get('retry-after-ms'));
  if (get('retry-after-ms') && Number.isFinite(ms) && ms >= 0) return Math.round(ms);
  const ra = get('retry-after')?.trim();
  if (!ra) return undefined;
  if (/^\d+(\.\d+)?$/.test(ra)) return Math.round(Number(ra) * 1000);
  const date = Date.parse(ra);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function defaultDetail(status?: number): string {
  return status ? 'request failed' : 'the upstream reported an error';
}

function clip(s: string, max = 240): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/** Removes the given secrets and anything shaped like a key or a bearer credential. */
export function scrub(text: string, secrets: string[] = []): string {
  return withoutSecrets(text, secrets)
    .replace(/(bearer|basic)\s+[^\s,;"']+/gi, '$1 [redacted]')
    .replace(/\b(sk|pk|rk|gsk|xai|sk-ant|sk-proj)[-_][A-Za-z0-9_\-]{8,}/g, '[redacted]')
    .replace(/\b[A-Za-z0-9_\-]{40,}\b/g, '[redacted]');
}

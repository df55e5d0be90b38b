// Every way an SDK call can fail, reduced to one UpstreamError whose `kind` drives retry, fallback and cooldown in
// the gateway (the table in docs/ARCHITECTURE.md). What an HTTP error means is the provider's dialect's call
// (dialects/): this file only pulls status, code, type, message and headers out of the SDK's error. Both SDKs are Stainless-generated and share error shapes, but
// we read them structurally (status, headers, error body, cause codes) and use instanceof only where the class
// is the sole signal (timeout vs. connection vs. abort). The caller hands in its SDK's classes: importing both SDKs
// here would make every OpenAI-compatible call load the Anthropic SDK too (~600 KB of JavaScript).
// Messages are built from the provider name, the status and the upstream's own error message — never from the
// SDK's message or the request, which may echo headers — and are then scrubbed of anything key-like.

import { UpstreamError, withoutSecrets, type UpstreamErrorKind } from '../core/errors.ts';
import { classify, dialectFor, type Dialect } from './dialects/index.ts';
import { MAX_PROVIDER_WAIT_MS, retryAfterHeaders } from './dialects/wait.ts';
import { REDIRECTED_REFUSAL } from './node-fetch.ts';

export { LONG_RETRY_AFTER_MS } from './dialects/classify.ts';

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
  /** How this provider words its errors; by default the built-in dialect of the provider id, else OpenAI's. */
  dialect?: Dialect;
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);
const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

export function toUpstreamError(provider: string, err: unknown, ctx: ErrorContext = {}): UpstreamError {
  if (err instanceof UpstreamError) return err;
  const make = (kind: UpstreamErrorKind, detail: string, status?: number, retryAfterMs?: number) =>
    new UpstreamError({
      provider,
      kind,
      status,
      retryAfterMs,
      message: scrub(`${provider}: ${status ? `HTTP ${status}: ` : ''}${detail}`, ctx.secrets),
    });

  // Order matters: the timeout class extends the connection class, which extends APIError.
  const sdks = ctx.sdks ?? [];
  if (sdks.some((sdk) => err instanceof sdk.APIConnectionTimeoutError)) return make('timeout', 'request timed out');
  if (sdks.some((sdk) => err instanceof sdk.APIUserAbortError)) return make('aborted', 'request cancelled');
  if (sdks.some((sdk) => err instanceof sdk.APIConnectionError)) return fromNetwork(make, err);

  const e = err as { status?: unknown; headers?: unknown; error?: unknown; name?: unknown } | null;
  if (e && typeof e === 'object' && (typeof e.status === 'number' || 'error' in e)) {
    const status = typeof e.status === 'number' ? e.status : undefined;
    const { type, code, message } = errorFields(e.error);
    const detail = message ? clip(message) : (type ?? defaultDetail(status));
    const dialect = ctx.dialect ?? dialectFor(provider);
    const signal = { status, type, code, message: message ?? '', header: headerGetter(e.headers) };
    const { kind, retryAfterMs } = classify(dialect, signal, ctx.now ?? Date.now());
    // A wait only means something on a status; an error event inside a 200 stream has none to offer.
    return make(kind, detail, status, status === undefined ? undefined : retryAfterMs);
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
    if (code === REDIRECTED_REFUSAL) return make('connection', String(c.message));
    if (code && TIMEOUT_CODES.has(code)) return make('timeout', `network timeout (${code})`);
    if (code && CONNECTION_CODES.has(code)) return make('connection', `connection failed (${code})`);
    if (c instanceof TypeError && /terminated|other side closed|fetch failed/i.test(c.message)) {
      if (!c.cause) return make('connection', 'connection closed unexpectedly');
    }
  }
  const msg = err instanceof Error ? err.message : String(err);
  if (/terminated|socket|closed|network|fetch failed|connection/i.test(msg))
    return make('connection', 'connection closed unexpectedly');
  return make('protocol', `unexpected failure: ${clip(msg)}`);
}

/**
 * The upstream's {type, code, message}, from OpenAI's `{message,type,code}`, Anthropic's `{type,error:{...}}` or
 * a bare `{code,message}` (SiliconFlow, once error-envelope.ts has wrapped it). Numeric codes become text.
 */
function errorFields(body: unknown): { type?: string; code?: string; message?: string } {
  if (!body || typeof body !== 'object') return typeof body === 'string' ? { message: body } : {};
  const outer = body as Record<string, unknown>;
  const inner = outer.error && typeof outer.error === 'object' ? (outer.error as Record<string, unknown>) : outer;
  const str = (v: unknown) =>
    typeof v === 'string' && v ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;
  return { type: str(inner.type), code: str(inner.code), message: str(inner.message) ?? str(outer.message) };
}

function headerGetter(headers: unknown): (name: string) => string | undefined {
  return (name) => {
    if (!headers || typeof headers !== 'object') return undefined;
    if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
    const v = (headers as Record<string, unknown>)[name];
    return typeof v === 'string' ? v : undefined;
  };
}

/** Milliseconds from `retry-after-ms`, else `retry-after` (delta seconds or an HTTP date), capped at 24 h. */
export function parseRetryAfter(headers: unknown, now: number): number | undefined {
  const ms = retryAfterHeaders(headerGetter(headers), now);
  return ms === undefined ? undefined : Math.min(Math.round(ms), MAX_PROVIDER_WAIT_MS);
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
    .replace(/\b(sk|pk|rk|gsk|xai|sk-ant|sk-proj)[-_][A-Za-z0-9_-]{8,}/g, '[redacted]')
    .replace(/\b[A-Za-z0-9_-]{40,}\b/g, '[redacted]');
}

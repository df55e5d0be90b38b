// Every way an upstream call can fail, reduced to one UpstreamError whose `kind` drives retry, fallback and
// cooldown in the gateway (the table in docs/ARCHITECTURE.md). What an HTTP error means is the provider's dialect's
// call (dialects/): this file reads status, code, type, message and headers out of the error body — OpenAI's
// `{error: {message, type, code}}`, Anthropic's `{type: 'error', error: {type, message}}`, or a bare
// `{code, message}` (SiliconFlow) — and names network failures.
// Messages are built from the provider name, the status and the upstream's own error message — never from the
// request, which may echo headers — and are then scrubbed of anything key-like.

import { UpstreamError, withoutSecrets, type UpstreamErrorKind } from '../core/errors.ts';
import { classify, dialectFor, type Dialect } from './dialects/index.ts';
import { MAX_PROVIDER_WAIT_MS, retryAfterHeaders } from './dialects/wait.ts';
import { CROSS_ORIGIN } from './transport/http.ts';

export { LONG_RETRY_AFTER_MS } from './dialects/classify.ts';

export interface ErrorContext {
  /** Secret values to cut out of any text that ends up in the message (the call's API key). */
  secrets?: string[];
  /** For tests: the time Retry-After dates are measured from. */
  now?: number;
  /** How this provider words its errors; by default the built-in dialect of the provider id, else OpenAI's. */
  dialect?: Dialect;
}

/** A header lookup: a plain object of lower-case names (node:http's), or a `Headers`. */
export type HeaderSource = Record<string, string | string[] | undefined> | Headers | undefined;

const make = (
  provider: string,
  ctx: ErrorContext,
  kind: UpstreamErrorKind,
  detail: string,
  status?: number,
  retryAfterMs?: number,
) =>
  new UpstreamError({
    provider,
    kind,
    status,
    retryAfterMs,
    message: scrub(`${provider}: ${status ? `HTTP ${status}: ` : ''}${detail}`, ctx.secrets),
  });

/** An answer with an error status; `body` is its text (read bounded), JSON or not. */
export function statusError(
  provider: string,
  status: number,
  headers: HeaderSource,
  body: string,
  ctx: ErrorContext = {},
): UpstreamError {
  return fromBody(provider, status, headers, parsed(body) ?? body, ctx);
}

/** An error event inside a 200 stream (OpenAI's `{error}` chunk, Anthropic's `event: error`): no status. */
export function streamError(provider: string, body: unknown, ctx: ErrorContext = {}): UpstreamError {
  return fromBody(provider, undefined, undefined, body, ctx);
}

function fromBody(
  provider: string,
  status: number | undefined,
  headers: HeaderSource,
  body: unknown,
  ctx: ErrorContext,
): UpstreamError {
  const { type, code, message } = errorFields(body);
  const detail = message ? clip(message) : (type ?? (status ? 'request failed' : 'the upstream reported an error'));
  const dialect = ctx.dialect ?? dialectFor(provider);
  const signal = { status, type, code, message: message ?? '', header: headerGetter(headers) };
  const { kind, retryAfterMs } = classify(dialect, signal, ctx.now ?? Date.now());
  // A wait only means something on a status; an error event inside a 200 stream has none to offer.
  return make(provider, ctx, kind, detail, status, status === undefined ? undefined : retryAfterMs);
}

/** A failure below HTTP: refused, reset, DNS, a proxy, a redirect not followed. */
export function networkError(provider: string, err: unknown, ctx: ErrorContext = {}): UpstreamError {
  if (err instanceof UpstreamError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  const text = err instanceof Error ? err.message : String(err);
  if (code === CROSS_ORIGIN || /^proxy /.test(text)) return make(provider, ctx, 'connection', clip(text));
  if (typeof code === 'string' && TIMEOUT_CODES.has(code))
    return make(provider, ctx, 'timeout', `network timeout (${code})`);
  if (typeof code === 'string' && code) return make(provider, ctx, 'connection', `connection failed (${code})`);
  return make(provider, ctx, 'connection', 'connection closed unexpectedly');
}

const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT']);

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The upstream's {type, code, message}, from OpenAI's `{message,type,code}` (inside `error`), Anthropic's
 * `{type,error:{...}}`, a bare `{code,message}` (SiliconFlow) or Google's `[{error:{code,message,status}}]`. Numeric codes become text; a body that is not JSON
 * is its own message.
 */
function errorFields(body: unknown): { type?: string; code?: string; message?: string } {
  // Google's envelope comes as a one-element list (Gemini's OpenAI-compatible endpoint): read its one error.
  if (Array.isArray(body) && body.length === 1) body = body[0];
  if (!body || typeof body !== 'object') return typeof body === 'string' && body.trim() ? { message: body } : {};
  const outer = body as Record<string, unknown>;
  const inner = outer.error && typeof outer.error === 'object' ? (outer.error as Record<string, unknown>) : outer;
  const str = (v: unknown) =>
    typeof v === 'string' && v ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;
  const message =
    str(inner.message) ?? str(outer.message) ?? (typeof outer.error === 'string' ? outer.error : undefined);
  // Google names the class in `status` (RESOURCE_EXHAUSTED) where OpenAI has `type`.
  return { type: str(inner.type) ?? str(inner.status), code: str(inner.code), message };
}

function headerGetter(headers: HeaderSource): (name: string) => string | undefined {
  return (name) => {
    if (!headers) return undefined;
    if (headers instanceof Headers) return headers.get(name) ?? undefined;
    const v = headers[name];
    return typeof v === 'string' ? v : Array.isArray(v) ? v[0] : undefined;
  };
}

/** Milliseconds from `retry-after-ms`, else `retry-after` (delta seconds or an HTTP date), capped at 24 h. */
export function parseRetryAfter(headers: HeaderSource, now: number): number | undefined {
  const ms = retryAfterHeaders(headerGetter(headers), now);
  return ms === undefined ? undefined : Math.min(Math.round(ms), MAX_PROVIDER_WAIT_MS);
}

export function clip(s: string, max = 240): string {
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

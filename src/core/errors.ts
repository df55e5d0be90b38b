// The small error family. Every expected failure is one of these: it carries the exit code the CLI uses and a
// hint that names the fix. Anything else reaching the top is a bug (exit 1, with a stack trace only under DEBUG).
// Error text never contains a key: build messages from names, never from secret values.

export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  config: 3,
  auth: 4,
  quota: 5,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class GatewayError extends Error {
  readonly exitCode: ExitCode;
  readonly hint?: string;
  constructor(message: string, exitCode: ExitCode, hint?: string) {
    super(message);
    this.name = new.target.name;
    this.exitCode = exitCode;
    this.hint = hint;
  }
}

/** Bad flag, bad value, no prompt, input too large. Exit 2. */
export class UsageError extends GatewayError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.usage, hint);
  }
}

/** A settings, keys or ledger file that cannot be read or parsed. Exit 3. The file is never rewritten. */
export class ConfigError extends GatewayError {
  readonly path?: string;
  constructor(message: string, hint?: string, path?: string) {
    super(message, ExitCode.config, hint);
    this.path = path;
  }
}

/** No key, or the provider rejected it. Exit 4. */
export class AuthError extends GatewayError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.auth, hint);
  }
}

/** No candidate has quota left, or every one is rate-limited. Exit 5. */
export class QuotaError extends GatewayError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.quota, hint);
  }
}

/** How an upstream failed; decides retry, fallback and cooldown (see the table in docs/ARCHITECTURE.md). */
export type UpstreamErrorKind =
  | 'connection' // refused, reset, DNS: no response at all
  | 'timeout' // no headers in time, or the stream went silent
  | 'rate_limit' // 429 with a short Retry-After
  | 'quota' // 429 insufficient_quota / free tier used up / long Retry-After
  | 'server' // 500, 502, 503, 504, 529
  | 'auth' // 401, 403
  | 'not_found' // 404: the model or endpoint does not exist
  | 'context_length' // 400: the prompt does not fit
  | 'bad_request' // other 400 / 422: our request is wrong, another model will not help
  | 'protocol' // a stream that ended without its terminator, or that we could not parse
  | 'aborted'; // the caller cancelled

/** One shape for every provider failure, whatever SDK produced it. Exit 1 unless the kind maps elsewhere. */
export class UpstreamError extends GatewayError {
  readonly provider: string;
  readonly kind: UpstreamErrorKind;
  readonly status?: number;
  /** Milliseconds the upstream asked us to wait (Retry-After / retry-after-ms). */
  readonly retryAfterMs?: number;
  constructor(init: {
    provider: string;
    kind: UpstreamErrorKind;
    message: string;
    status?: number;
    retryAfterMs?: number;
  }) {
    super(init.message, exitCodeForKind(init.kind));
    this.provider = init.provider;
    this.kind = init.kind;
    this.status = init.status;
    this.retryAfterMs = init.retryAfterMs;
  }
}

function exitCodeForKind(kind: UpstreamErrorKind): ExitCode {
  if (kind === 'auth') return ExitCode.auth;
  if (kind === 'quota' || kind === 'rate_limit') return ExitCode.quota;
  if (kind === 'aborted') return ExitCode.interrupted;
  return ExitCode.failure;
}

/**
 * `text` with every given secret cut out: the last line of defence for anything printed. Values shorter than 8
 * characters are no keys, and cutting them would mangle ordinary words.
 */
export function withoutSecrets(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 8) out = out.split(secret).join('[redacted]');
  return out;
}

// What the server answers when it will not (or cannot) give a completion: an HTTP status, a neutral kind that each
// wire format turns into its own error object (protocols/*/answer-encode.ts), a message in the server's own
// words, and for a bad request the field at fault. Never a stack trace, never a key.

export type HttpErrorKind =
  | 'invalid_request' // 400: the body or a field is wrong; `param` names the field
  | 'authentication' // 401: no access key, or the wrong one
  | 'permission' // 403: foreign Host or Origin
  | 'not_found' // 404: no such route
  | 'method_not_allowed' // 405
  | 'request_too_large' // 413
  | 'rate_limit' // 429: no free quota left, or the server's queue is full
  | 'upstream_failed' // 502: every provider tried failed
  | 'unavailable' // 503: no provider has a key
  | 'timeout' // 504: the providers did not answer in time
  | 'api_error'; // 500: a bug

const STATUS: Record<HttpErrorKind, number> = {
  invalid_request: 400,
  authentication: 401,
  permission: 403,
  not_found: 404,
  method_not_allowed: 405,
  request_too_large: 413,
  rate_limit: 429,
  upstream_failed: 502,
  unavailable: 503,
  timeout: 504,
  api_error: 500,
};

export class HttpError extends Error {
  readonly status: number;
  constructor(
    readonly kind: HttpErrorKind,
    message: string,
    /** The request field at fault (`messages[0].content[1]`, `tools`), for a 400. */
    readonly param?: string,
    /** Extra response headers, e.g. Retry-After. */
    readonly headers: Record<string, string> = {},
    /** A machine-readable code clients may switch on (`no_free_quota`, `field_not_supported`, …). */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'HttpError';
    this.status = STATUS[kind];
  }
}

/** A 400 naming the field. */
export function badRequest(param: string, message: string, code = 'invalid_value'): HttpError {
  return new HttpError('invalid_request', message, param, {}, code);
}

// The checks every request passes before anything else runs. Local LLM servers are a known target: a web page can
// reach localhost ports (cross-site requests) and a hostile DNS name can resolve to 127.0.0.1 (DNS rebinding), so
//   1. the Host header must name this server: a loopback name, or the address it was bound to → else 403;
//   2. a browser Origin must be one the user opted in with --cors-origin → else 403 and no CORS headers at all;
//   3. every route but /health needs the access key (Authorization: Bearer, or x-api-key as Anthropic clients send
//      it), compared in constant time → else 401.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error.ts';

export interface GuardConfig {
  accessKey: string;
  /** Host names (no port) a request may address: loopback names and the bound address. */
  allowedHosts: ReadonlySet<string>;
  /** Origins (scheme://host[:port]) allowed to call from a browser. */
  corsOrigins: ReadonlySet<string>;
}

export const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '::1'];

/** The Host header's name without port or IPv6 brackets, lower-cased; undefined when absent or malformed. */
export function hostName(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const value = header.trim().toLowerCase();
  const bracketed = /^\[([0-9a-f:.]+)\](?::\d+)?$/.exec(value);
  if (bracketed) return bracketed[1];
  const plain = /^([a-z0-9.-]+)(?::\d+)?$/.exec(value);
  return plain?.[1];
}

export function hostAllowed(header: string | undefined, allowed: ReadonlySet<string>): boolean {
  const name = hostName(header);
  if (!name) return false;
  return allowed.has(name) || name.endsWith('.localhost'); // *.localhost always resolves to loopback (RFC 6761)
}

/** Origin check. Returns the CORS headers to add (none when there is no Origin), or throws a 403. */
export function checkOrigin(origin: string | undefined, config: GuardConfig): Record<string, string> {
  if (origin === undefined) return {};
  if (!config.corsOrigins.has(origin)) {
    throw new HttpError(
      'permission',
      `requests from origin ${printable(origin)} are not allowed; start the server with --cors-origin ${printable(origin)} to allow them`,
      undefined,
      {},
      'origin_not_allowed',
    );
  }
  return {
    'access-control-allow-origin': origin,
    vary: 'Origin',
    'access-control-expose-headers':
      'retry-after, x-request-id, x-llm-gateway-model, x-llm-gateway-provider, x-llm-gateway-billing, x-llm-gateway-free-remaining, x-llm-gateway-fallback',
  };
}

/** Headers of the answer to a CORS preflight from an allowed origin. */
export function preflightHeaders(req: IncomingMessage): Record<string, string> {
  const requested = req.headers['access-control-request-headers'];
  return {
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    'access-control-allow-headers':
      typeof requested === 'string' && /^[\w\-, ]*$/.test(requested)
        ? requested
        : 'authorization, content-type, x-api-key, anthropic-version',
    'access-control-max-age': '600',
  };
}

/** The key a request presents: `Authorization: Bearer …`, else `x-api-key`. */
export function presentedKey(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (typeof auth === 'string') {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (bearer) return bearer[1];
  }
  const apiKey = req.headers['x-api-key'];
  return typeof apiKey === 'string' ? apiKey.trim() : undefined;
}

/** Constant time whatever the lengths: both sides are hashed first, so timingSafeEqual always compares 32 bytes. */
export function keysMatch(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export function checkKey(req: IncomingMessage, config: GuardConfig): void {
  const presented = presentedKey(req);
  if (presented === undefined) {
    throw new HttpError(
      'authentication',
      'no access key: send it as "Authorization: Bearer <key>" (or x-api-key); `llm-gateway serve` printed where to find it',
      undefined,
      {},
      'missing_key',
    );
  }
  if (!keysMatch(presented, config.accessKey)) {
    throw new HttpError('authentication', 'wrong access key', undefined, {}, 'invalid_key');
  }
}

export function checkHost(req: IncomingMessage, config: GuardConfig): void {
  if (!hostAllowed(req.headers.host, config.allowedHosts)) {
    throw new HttpError(
      'permission',
      `Host ${printable(req.headers.host ?? '(none)')} is not this server; use http://127.0.0.1 or http://localhost`,
      undefined,
      {},
      'host_not_allowed',
    );
  }
}

/** A header value echoed in a message: printable ASCII only, bounded. */
function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 100);
}

// How a key travels: exactly one header with the key (`Authorization: Bearer`, or a header the provider names), or
// none at all. Nothing else is read from the environment: the vendor SDKs' OPENAI_* / ANTHROPIC_* variables
// (custom headers, organisation, base URL) never reach a request.
import { UpstreamError } from '../core/errors.ts';
import type { AdapterCall, Auth } from '../core/types.ts';

const JSON_HEADERS = {
  'content-type': 'application/json',
  accept: 'text/event-stream',
  // An answer streamed token by token gains nothing from compression, and a proxy might hold compressed bytes
  // back; what arrives compressed anyway is decoded (transport/decode.ts).
  'accept-encoding': 'identity',
  'user-agent': 'llm-gateway',
} as const;

/** The headers of one request: the protocol's own (`extra`), the common ones, and the key's. */
export function requestHeaders(auth: Auth, key: string, extra: Record<string, string> = {}): Record<string, string> {
  const headers: Record<string, string> = { ...JSON_HEADERS, ...extra };
  if (auth.kind === 'bearer') headers.authorization = `Bearer ${key}`;
  else if (auth.kind === 'header') headers[auth.name.toLowerCase()] = key;
  return headers;
}

/** The call's way of sending its key (the protocol's own when the call does not say), checked against the key. */
export function callAuth(call: Pick<AdapterCall, 'apiKey' | 'auth' | 'provider'>, protocolDefault: Auth): Auth {
  const auth = call.auth ?? protocolDefault;
  if (auth.kind !== 'none' && !call.apiKey) {
    const provider = call.provider.id;
    throw new UpstreamError({ provider, kind: 'auth', message: `${provider}: no API key was given for this call` });
  }
  return auth;
}

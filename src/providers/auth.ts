// How a key travels, as the headers both SDK clients are given. Left to themselves the SDKs pick their own header
// (Anthropic's 1.x sends even an API key as a bearer token) and, given no credential, look for one in the
// environment or in a profile on disk. So each client gets a credential (a placeholder when there is none) and
// headers that override whatever its credential would send: exactly one header with the key, or none at all.
import { UpstreamError } from '../core/errors.ts';
import type { AdapterCall, Auth } from '../core/types.ts';

/** Stands in for the key of a provider that takes none; it never leaves the process (its headers are cleared). */
export const NO_KEY = 'no-key';

/** The headers every auth header of either SDK is first cleared from: null removes a header in both SDKs. */
const CLEARED = { authorization: null, 'x-api-key': null, 'api-key': null } as const;

export function authHeaders(auth: Auth, key: string): Record<string, string | null> {
  switch (auth.kind) {
    case 'none':
      return { ...CLEARED };
    case 'bearer':
      return { ...CLEARED, authorization: `Bearer ${key}` };
    case 'header':
      return { ...CLEARED, [auth.name.toLowerCase()]: key };
  }
}

/**
 * The headers a client is built with: its key's, and every header named in the SDK's own environment variable
 * (`OPENAI_CUSTOM_HEADERS` / `ANTHROPIC_CUSTOM_HEADERS`, `Name: value` lines) cleared. The SDKs add those to every
 * request; set for the vendor's own API, they would otherwise go to whichever vendor this provider is.
 */
export function clientHeaders(
  auth: Auth,
  key: string,
  customHeadersVar: string,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string | null> {
  const named = (env[customHeadersVar] ?? '').split('\n').flatMap((line) => {
    const name = line
      .slice(0, Math.max(0, line.indexOf(':')))
      .trim()
      .toLowerCase();
    return name ? [[name, null] as const] : [];
  });
  return { ...Object.fromEntries(named), ...authHeaders(auth, key) };
}

/** The call's way of sending its key (the protocol's own when the call does not say), checked against the key. */
export function callAuth(call: Pick<AdapterCall, 'apiKey' | 'auth' | 'provider'>, protocolDefault: Auth): Auth {
  const auth = call.auth ?? protocolDefault;
  // An empty key would make the SDKs look elsewhere (environment, profiles on disk) or throw their own error.
  if (auth.kind !== 'none' && !call.apiKey) {
    const provider = call.provider.id;
    throw new UpstreamError({ provider, kind: 'auth', message: `${provider}: no API key was given for this call` });
  }
  return auth;
}

/** One line per way of sending a key, for the client cache: two calls that differ in it need two clients. */
export function authId(auth: Auth): string {
  return auth.kind === 'header' ? `header:${auth.name.toLowerCase()}` : auth.kind;
}

// Where a provider is reached. The environment wins over settings (already merged into the catalog) so that a
// script can point one run elsewhere: `<PROVIDER>_BASE_URL` for every provider, plus any the provider names.
import { envPrefix } from '../core/catalog.ts';
import type { ProviderSpec } from '../core/types.ts';

export function baseUrlEnvNames(provider: ProviderSpec): string[] {
  return [`${envPrefix(provider.id)}_BASE_URL`, ...(provider.baseUrlEnv ?? [])];
}

export function resolveBaseUrl(provider: ProviderSpec, env: NodeJS.ProcessEnv): string {
  for (const name of baseUrlEnvNames(provider)) {
    const value = env[name]?.trim();
    if (value) return value;
  }
  return provider.baseUrl;
}

/**
 * Why a base URL cannot be used, or undefined when it can: http(s) only, and nothing the SDKs would drop or that
 * would show a secret when the URL is listed (credentials belong in the key, not the URL).
 */
export function baseUrlProblem(value: string): string | undefined {
  if (!/^https?:\/\//i.test(value) || !URL.canParse(value)) return 'must be an http(s) URL';
  const url = new URL(value);
  if (url.username || url.password) return 'must not hold a user name or password (give the key with --api-key-stdin)';
  if (url.search || url.hash) return 'must not have a query or fragment (the SDKs drop them)';
  return undefined;
}

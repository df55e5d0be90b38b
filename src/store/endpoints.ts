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

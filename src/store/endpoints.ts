// Where a provider is reached. The environment wins over settings (already merged into the catalog) so that a
// script can point one run elsewhere: `<PROVIDER>_BASE_URL` for every provider, plus any the provider names.
import { envPrefix } from '../core/catalog.ts';
import type { EndpointProblem, ProviderSpec } from '../core/types.ts';

export function baseUrlEnvNames(provider: ProviderSpec): string[] {
  return [`${envPrefix(provider.id)}_BASE_URL`, ...(provider.baseUrlEnv ?? [])];
}

/** The base URL in use: the first of the provider's variables that is set, else the catalog's (settings included). */
export function resolveBaseUrl(provider: ProviderSpec, env: NodeJS.ProcessEnv): string {
  return fromEnv(provider, env)?.value ?? provider.baseUrl;
}

/**
 * Why the variable that sets the provider's base URL holds nothing usable, checked as `--base-url` is — or undefined
 * when it does (or none is set). Names the variable, never its value: `https://user:secret@…` must not be printed.
 */
export function baseUrlEnvProblem(provider: ProviderSpec, env: NodeJS.ProcessEnv): EndpointProblem | undefined {
  const set = fromEnv(provider, env);
  const problem = set && baseUrlProblem(set.value);
  return problem ? { variable: set.variable, problem } : undefined;
}

function fromEnv(provider: ProviderSpec, env: NodeJS.ProcessEnv): { variable: string; value: string } | undefined {
  for (const variable of baseUrlEnvNames(provider)) {
    const value = env[variable]?.trim();
    if (value) return { variable, value };
  }
  return undefined;
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

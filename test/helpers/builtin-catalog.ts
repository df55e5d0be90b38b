// What tests expect of the built-in catalog, read from src/catalog/builtin.json itself: a provider, model or free
// tier added there changes these figures, and no test has to be edited for it.
import builtIn from '../../src/catalog/builtin.json' with { type: 'json' };

export const BUILT_IN_PROVIDERS: string[] = builtIn.providers.map((p) => p.id);
export const BUILT_IN_MODELS: string[] = builtIn.models.map((m) => m.id);
export const BUILT_IN_TIERS = builtIn.freeTiers.length;
/** Every provider a built-in model is deployed on, once per deployment. */
export const BUILT_IN_DEPLOYMENTS: string[] = builtIn.models.flatMap((m) => m.deployments.map((d) => d.provider));
/** Tokens the built-in tiers grant each window, together. */
export const BUILT_IN_TIER_TOKENS = builtIn.freeTiers.reduce((sum, t) => sum + t.tokens, 0);
/** Models free to use: one with a free tier (running or not), or a deployment that costs nothing. */
export const BUILT_IN_FREE_MODELS: string[] = builtIn.models
  .filter(
    (m) =>
      builtIn.freeTiers.some((t) => t.model === m.id) ||
      m.deployments.some((d) => d.price?.input === 0 && d.price.output === 0),
  )
  .map((m) => m.id);

/** Models with a built-in free tier that still applies on `day` (YYYY-MM-DD: a tier ends before its expires day). */
export function modelsWithTierOn(day: string): string[] {
  return [...new Set(builtIn.freeTiers.filter((t) => !t.expires || day < t.expires).map((t) => t.model))];
}

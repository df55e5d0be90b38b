// What tests expect of the built-in catalog, read from src/catalog/builtin.json itself: a provider, model or free
// tier added there changes these figures, and no test has to be edited for it.
import builtIn from '../../src/catalog/builtin.json' with { type: 'json' };

export const BUILT_IN_PROVIDERS: string[] = builtIn.providers.map((p) => p.id);
export const BUILT_IN_MODELS: string[] = builtIn.models.map((m) => m.id);
export const BUILT_IN_TIERS = builtIn.freeTiers.length;
/** Every provider a built-in model is deployed on, once per deployment. */
export const BUILT_IN_DEPLOYMENTS: string[] = builtIn.models.flatMap((m) => m.deployments.map((d) => d.provider));
/** Tokens the built-in tiers grant each window, together. */
export const BUILT_IN_TIER_TOKENS = builtIn.freeTiers.reduce((sum, t) => sum + (t.tokens ?? 0), 0);
/** Models free to use: one with a free tier (running or not), or a deployment that costs nothing. */
export const BUILT_IN_FREE_MODELS: string[] = builtIn.models
  .filter(
    (m) =>
      builtIn.freeTiers.some((t) => t.model === m.id) ||
      m.deployments.some((d) => d.price?.input === 0 && d.price.output === 0),
  )
  .map((m) => m.id);

/**
 * The model of each built-in deployment free to use on `day` (YYYY-MM-DD), as `models --free` lists them: one whose
 * tier has started runs free until its expires day (not included); one without a started tier, if it costs nothing.
 */
export function freeModelsOn(day: string): string[] {
  return builtIn.models.flatMap((m) =>
    m.deployments
      .filter((d) => {
        const tier = builtIn.freeTiers.find((t) => t.provider === d.provider && t.model === m.id);
        if (tier && tier.anchor <= day) return !tier.expires || day < tier.expires;
        return d.price?.input === 0 && d.price.output === 0;
      })
      .map(() => m.id),
  );
}

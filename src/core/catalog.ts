// The catalog: built-in providers, models and free tiers with the user's own merged on top, and the lookups the
// rest of the gateway needs (a selector -> a model, the nearest ids for a typo). Pure: callers hand in the data.
import { LookupError } from './errors.ts';
import {
  tierKey,
  type Auth,
  type Catalog,
  type Deployment,
  type FreeTier,
  type LimitScope,
  type ModelSpec,
  type Price,
  type Protocol,
  type ProviderSpec,
} from './types.ts';

/** A provider as data files and settings write it; `builtIn` is decided by where it comes from. */
export interface ProviderData {
  id: string;
  name?: string;
  protocol?: Protocol;
  auth?: Auth;
  baseUrl?: string;
  keyEnv?: string[];
  baseUrlEnv?: string[];
  streamUsage?: boolean;
  proxy?: string;
  scope?: LimitScope;
}

export interface DeploymentData {
  provider: string;
  upstreamId?: string;
  price?: Price | null;
  contextWindow?: number;
  tokensPerMinute?: number;
}

/**
 * What a model added without `capabilities` is taken to do: text, and tools and JSON output, which most
 * OpenAI-compatible servers accept (a server that does not answers 400, and the caller sees it) — but not images:
 * an image sent to a text-only model is at best ignored in silence, so vision must be declared.
 */
export const ASSUMED_CAPABILITIES: readonly string[] = ['text', 'tools', 'json'];

export interface ModelData {
  id: string;
  name?: string;
  contextWindow?: number;
  capabilities?: string[];
  deployments?: DeploymentData[];
}

/** The shape of the built-in catalog file and of the user's additions in settings. */
export interface CatalogData {
  providers?: ProviderData[];
  models?: ModelData[];
  freeTiers?: FreeTier[];
  aliases?: Record<string, string>;
  scenarios?: Record<string, string[]>;
}

const DEFAULT_CONTEXT = 8192;

/** Builds the catalog: `layers` in order, each overriding the one before (built-in first, then the user's). */
export function buildCatalog(builtIn: CatalogData, ...userLayers: CatalogData[]): Catalog {
  const catalog: Catalog = {
    providers: new Map(),
    models: new Map(),
    freeTiers: new Map(),
    aliases: new Map(),
    scenarios: new Map(),
  };
  applyLayer(catalog, builtIn, true);
  for (const layer of userLayers) applyLayer(catalog, layer, false);
  return catalog;
}

function applyLayer(catalog: Catalog, layer: CatalogData, builtIn: boolean): void {
  for (const p of layer.providers ?? []) {
    const prev = catalog.providers.get(p.id);
    catalog.providers.set(p.id, {
      id: p.id,
      name: p.name ?? prev?.name ?? p.id,
      protocol: p.protocol ?? prev?.protocol ?? 'openai',
      ...((p.auth ?? prev?.auth) ? { auth: p.auth ?? prev?.auth } : {}),
      baseUrl: p.baseUrl ?? prev?.baseUrl ?? '',
      // A provider that takes no key (a local server) reads no key variable, so none is shown as one to set.
      keyEnv: p.keyEnv ?? prev?.keyEnv ?? ((p.auth ?? prev?.auth)?.kind === 'none' ? [] : [defaultKeyEnv(p.id)]),
      baseUrlEnv: p.baseUrlEnv ?? prev?.baseUrlEnv,
      streamUsage: p.streamUsage ?? prev?.streamUsage,
      ...((p.proxy ?? prev?.proxy) ? { proxy: p.proxy ?? prev?.proxy } : {}),
      ...((p.scope ?? prev?.scope) ? { scope: p.scope ?? prev?.scope } : {}),
      builtIn: prev?.builtIn ?? builtIn,
    });
  }
  for (const m of layer.models ?? []) {
    const prev = catalog.models.get(m.id);
    const deployments = new Map<string, Deployment>((prev?.deployments ?? []).map((d) => [d.provider, d]));
    for (const d of m.deployments ?? []) {
      deployments.set(d.provider, {
        model: m.id,
        provider: d.provider,
        upstreamId: d.upstreamId ?? m.id,
        price: d.price === undefined ? null : d.price,
        ...(d.contextWindow ? { contextWindow: d.contextWindow } : {}),
        ...(d.tokensPerMinute ? { tokensPerMinute: d.tokensPerMinute } : {}),
      });
    }
    catalog.models.set(m.id, {
      id: m.id,
      name: m.name ?? prev?.name ?? m.id,
      contextWindow: m.contextWindow ?? prev?.contextWindow ?? DEFAULT_CONTEXT,
      capabilities: m.capabilities ?? prev?.capabilities ?? [...ASSUMED_CAPABILITIES],
      deployments: [...deployments.values()],
    });
  }
  for (const t of layer.freeTiers ?? []) catalog.freeTiers.set(tierKey(t.provider, t.model), { ...t });
  for (const [alias, id] of Object.entries(layer.aliases ?? {})) catalog.aliases.set(alias, id);
  for (const [name, ids] of Object.entries(layer.scenarios ?? {})) catalog.scenarios.set(name, [...ids]);
}

/** `GROQ_API_KEY` for `groq`, `MY_LLM_API_KEY` for `my-llm`. */
export function defaultKeyEnv(providerId: string): string {
  return `${envPrefix(providerId)}_API_KEY`;
}

export function envPrefix(providerId: string): string {
  return providerId.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

/** The context window a deployment offers. */
export function contextWindowOf(model: ModelSpec, deployment: Deployment): number {
  return deployment.contextWindow ?? model.contextWindow;
}

export interface ResolvedSelector {
  model: ModelSpec;
  /** Set when the selector pinned one deployment (`provider:model`). */
  provider?: string;
}

/**
 * Turns what a user typed into a model: an id, an alias, an upstream id (`Qwen/Qwen2.5-7B-Instruct`), any of
 * those in another letter case, or `provider:model` to pin one deployment. Unknown -> a LookupError carrying the
 * nearest ids.
 */
export function resolveModel(catalog: Catalog, selector: string): ResolvedSelector {
  const pinned = splitPinned(catalog, selector);
  if (pinned) return pinned;
  const model = findModel(catalog, selector);
  if (model) return { model };
  const aliased = catalog.aliases.get(selector);
  if (aliased !== undefined) {
    throw new LookupError(
      { code: 'broken_alias', alias: selector, target: aliased },
      `alias "${selector}" points to "${aliased}", which is not a known model`,
    );
  }
  const nearest = nearestIds(catalog, selector);
  throw new LookupError({ code: 'unknown_model', selector, nearest }, `unknown model "${selector}"`);
}

function splitPinned(catalog: Catalog, selector: string): ResolvedSelector | undefined {
  const colon = selector.indexOf(':');
  if (colon <= 0) return undefined;
  const provider = selector.slice(0, colon);
  if (!catalog.providers.has(provider)) return undefined;
  const model = findModel(catalog, selector.slice(colon + 1));
  if (!model) return undefined;
  requireServedBy(model, provider);
  return { model, provider };
}

/** Refuses a provider the model has no deployment on, with those it has. */
export function requireServedBy(model: ModelSpec, provider: string): void {
  if (model.deployments.some((d) => d.provider === provider)) return;
  const servedBy = model.deployments.map((d) => d.provider);
  throw new LookupError(
    { code: 'model_not_served', provider, model: model.id, servedBy },
    `${provider} does not serve ${model.id}`,
  );
}

function findModel(catalog: Catalog, selector: string): ModelSpec | undefined {
  const direct = catalog.models.get(selector) ?? catalog.models.get(catalog.aliases.get(selector) ?? '');
  if (direct) return direct;
  const lower = selector.toLowerCase();
  for (const model of catalog.models.values()) {
    if (model.id.toLowerCase() === lower) return model;
    if (model.deployments.some((d) => d.upstreamId.toLowerCase() === lower)) return model;
  }
  for (const [alias, id] of catalog.aliases) if (alias.toLowerCase() === lower) return catalog.models.get(id);
  return undefined;
}

/** The provider with this id, or a LookupError carrying the nearest ones and all that are known. */
export function requireProvider(catalog: Catalog, name: string): ProviderSpec {
  const provider = catalog.providers.get(name);
  if (provider) return provider;
  const known = [...catalog.providers.keys()];
  const nearest = nearestNames(known, name);
  throw new LookupError({ code: 'unknown_provider', provider: name, nearest, known }, `unknown provider "${name}"`);
}

/** Up to three known ids or aliases closest to `input` by edit distance, closest first. */
export function nearestIds(catalog: Catalog, input: string, limit = 3): string[] {
  return nearestNames([...catalog.models.keys(), ...catalog.aliases.keys()], input, limit);
}

/** The names closest to `input` (a typo, a prefix, another letter case), closest first. */
export function nearestNames(names: Iterable<string>, input: string, limit = 3): string[] {
  const needle = input.toLowerCase();
  return [...names]
    .map((name) => ({ name, d: editDistance(needle, name.toLowerCase()) }))
    .filter(({ name, d }) => d <= Math.max(3, Math.floor(name.length / 2)) || name.toLowerCase().includes(needle))
    .sort((a, b) => a.d - b.d || a.name.localeCompare(b.name))
    .slice(0, limit)
    .map(({ name }) => name);
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
    }
    prev = row;
  }
  return prev[b.length]!;
}

/** The free tier of a deployment, if it has one. */
export function freeTierOf(catalog: Catalog, deployment: Deployment): FreeTier | undefined {
  return catalog.freeTiers.get(tierKey(deployment.provider, deployment.model));
}

// config.json into the catalog: providers the catalog lacks become the user's own, base URLs that differ become
// overrides, models it lacks arrive with their price, context and capabilities, and scenario priorities are taken
// over with the old names mapped to catalog ids. What the user already set differently is a conflict.
import { ASSUMED_CAPABILITIES, resolveModel } from '../core/catalog.ts';
import { LookupError } from '../core/errors.ts';
import { own } from '../lib/own.ts';
import type { Catalog, ModelSpec, Price, ProviderSpec } from '../core/types.ts';
import { baseUrlProblem } from '../store/endpoints.ts';
import type { OldConfig } from './config-file.ts';
import { sameBaseUrl, type Draft } from './draft.ts';

const PROVIDER_NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/;

export function planProviders(d: Draft, config: OldConfig, file: string): void {
  for (const item of config.providers) {
    if ('problem' in item) {
      d.skip('provider', item.subject, item.problem, file);
      continue;
    }
    const p = item.value;
    const existing = d.catalog().providers.get(p.id);
    if (existing && p.protocol && p.protocol !== existing.protocol) {
      d.skip(
        'provider',
        p.id,
        `speaks the ${existing.protocol} protocol here; config.json says ${p.protocol}: kept`,
        file,
      );
      continue;
    }
    if (existing) {
      if (!p.baseUrl || sameBaseUrl(p.baseUrl, existing.baseUrl, existing.protocol)) {
        d.same('provider', p.id, `${existing.builtIn ? 'built in' : 'added before'}, same base URL`, file);
      } else setBaseUrl(d, existing, p.baseUrl, 'baseURL', file);
      continue;
    }
    if (!PROVIDER_NAME.test(p.id)) {
      d.skip('provider', p.id, 'not a usable provider name (lower-case letters, digits, - and _)', file);
      continue;
    }
    if (!p.baseUrl) {
      d.skip('provider', p.id, 'has no baseURL, so llm-gateway could not reach it', file);
      continue;
    }
    const problem = baseUrlProblem(p.baseUrl);
    if (problem) {
      d.skip('provider', p.id, `baseURL ${problem}`, file);
      continue;
    }
    const protocol = p.protocol ?? 'openai';
    const baseUrl = p.baseUrl.replace(/\/+$/, '');
    d.setProvider(p.id, { protocol, baseUrl, ...(p.apiKeyEnv.length ? { keyEnv: p.apiKeyEnv } : {}) });
    d.add(
      'provider',
      p.id,
      `${protocol} protocol at ${baseUrl}${p.apiKeyEnv.length ? `, key from ${p.apiKeyEnv.join(' or ')}` : ''}`,
      file,
    );
  }
}

/** A base URL from the source for a provider that exists: an override, unless the user already set another. */
export function setBaseUrl(d: Draft, provider: ProviderSpec, url: string, from: string, file: string): void {
  const mine = own(d.settings.providers, provider.id);
  if (mine?.baseUrl !== undefined && !d.conflict('base URL', provider.id, mine.baseUrl, `${url} (${from})`, file))
    return;
  d.setProvider(provider.id, { ...mine, baseUrl: url.trim().replace(/\/+$/, '') });
  d.add('base URL', provider.id, `${url} from ${from} (was ${provider.baseUrl})`, file);
}

export function planModels(d: Draft, config: OldConfig, file: string): void {
  for (const item of config.models) {
    if ('problem' in item) {
      d.skip('model', item.subject, item.problem, file);
      continue;
    }
    const m = item.value;
    const catalog = d.catalog();
    if (!catalog.providers.has(m.provider)) {
      d.skip('model', m.id, `its provider ${m.provider} is neither built in nor among the providers imported`, file);
      continue;
    }
    const known = modelOn(catalog, m.provider, m.id);
    if (known) {
      d.same(
        'model',
        m.id,
        known.id === m.id ? `in the catalog on ${m.provider}` : `in the catalog as ${known.id} on ${m.provider}`,
        file,
      );
      continue;
    }
    const elsewhere = findModel(catalog, m.id);
    const deployment = {
      provider: m.provider,
      ...(elsewhere && elsewhere.id !== m.id ? { upstreamId: m.id } : {}),
      ...(m.price ? { price: m.price } : {}),
    };
    if (elsewhere) {
      d.addDeployment(elsewhere.id, deployment);
      d.add('model', elsewhere.id, `now also served by ${m.provider} (${priceText(m.price)})`, file);
      continue;
    }
    d.addModel({
      id: m.id,
      ...(m.name ? { name: m.name } : {}),
      ...(m.contextWindow ? { contextWindow: m.contextWindow } : {}),
      ...(m.capabilities ? { capabilities: m.capabilities } : {}),
      deployments: [deployment],
    });
    const facts = [
      m.contextWindow ? `${m.contextWindow} context` : 'context unknown',
      priceText(m.price),
      (m.capabilities ?? ASSUMED_CAPABILITIES).join(', '),
    ];
    d.add('model', m.id, `on ${m.provider}: ${facts.join('; ')}`, file);
  }
}

export function planScenarios(d: Draft, config: OldConfig, file: string): void {
  for (const item of config.scenarios) {
    if ('problem' in item) {
      d.skip('scenario', item.subject, item.problem, file);
      continue;
    }
    const { name, models } = item.value;
    const catalog = d.catalog();
    const ids: string[] = [];
    for (const old of models) {
      const model = findModel(catalog, old);
      if (!model) d.skip('scenario', name, `${old} is not a model llm-gateway knows: left out of the list`, file);
      else if (!ids.includes(model.id)) ids.push(model.id);
    }
    if (ids.length === 0) {
      d.skip('scenario', name, 'names no model llm-gateway knows', file);
      continue;
    }
    const current = catalog.scenarios.get(name);
    if (current && current.join() === ids.join()) {
      d.same('scenario', name, ids.join(', '), file);
      continue;
    }
    const mine = own(d.settings.scenarios, name);
    if (mine && !d.conflict('scenario', name, mine.join(', '), ids.join(', '), file)) continue;
    d.settings.scenarios = { ...d.settings.scenarios, [name]: ids };
    d.changed();
    d.add('scenario', name, `${ids.join(', ')}${current ? ` (was ${current.join(', ')})` : ''}`, file);
  }
}

/** The model `provider` serves under this name: its catalog id or the upstream's name, in any letter case. */
export function modelOn(catalog: Catalog, provider: string, name: string): ModelSpec | undefined {
  const names = servedNames(catalog).get(provider);
  return names?.exact.get(name) ?? names?.folded.get(name.toLowerCase());
}

interface ServedNames {
  exact: Map<string, ModelSpec>;
  folded: Map<string, ModelSpec>;
}

/**
 * Each provider's models by every name it serves them under (id and upstream id, as written and in lower case),
 * built once per catalog: a lookup per tier or model that scanned the whole catalog made a migration of 10,000
 * tiers quadratic. The first model in catalog order wins a name, as a scan in that order would have found it.
 */
const namesOf = new WeakMap<Catalog, Map<string, ServedNames>>();
function servedNames(catalog: Catalog): Map<string, ServedNames> {
  let byProvider = namesOf.get(catalog);
  if (byProvider) return byProvider;
  byProvider = new Map();
  for (const model of catalog.models.values()) {
    for (const d of model.deployments) {
      let names = byProvider.get(d.provider);
      if (!names) byProvider.set(d.provider, (names = { exact: new Map(), folded: new Map() }));
      for (const n of [model.id, d.upstreamId]) {
        if (!names.exact.has(n)) names.exact.set(n, model);
        if (!names.folded.has(n.toLowerCase())) names.folded.set(n.toLowerCase(), model);
      }
    }
  }
  namesOf.set(catalog, byProvider);
  return byProvider;
}

/** A model by id, alias or upstream name on any provider, as `chat -m` would find it. */
function findModel(catalog: Catalog, name: string): ModelSpec | undefined {
  try {
    return resolveModel(catalog, name).model;
  } catch (err) {
    if (err instanceof LookupError) return undefined;
    throw err;
  }
}

function priceText(price: Price | undefined): string {
  if (!price) return 'price unknown (routed as paid)';
  return price.input === 0 && price.output === 0 ? 'free' : `$${price.input} / $${price.output} per 1K`;
}

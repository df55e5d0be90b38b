// The old service's optional `config.json`: providers (`type` openai/anthropic, `baseURL`, `apiKeyEnv` as one name
// or a list), extra models (id, name, provider, contextWindow, cost per 1K, capabilities) and scenario priorities.
// Like quota.json, each item is read on its own and one that cannot be used carries its reason; only a file that is
// not JSON or not an object stops the migration.
import type { Price, Protocol } from '../core/types.ts';
import { parseJsonSource } from './json-source.ts';
import { SourceError } from './source-error.ts';

export interface OldProvider {
  id: string;
  protocol?: Protocol;
  baseUrl?: string;
  apiKeyEnv: string[];
}

export interface OldModel {
  id: string;
  provider: string;
  name?: string;
  contextWindow?: number;
  /** Dollars per 1K tokens, as the old config wrote `cost`. */
  price?: Price;
  capabilities?: string[];
}

/** One item of the file: usable, or why not (named so the report can say which). */
export type Item<T> = { value: T } | { subject: string; problem: string };

export interface OldConfig {
  providers: Item<OldProvider>[];
  models: Item<OldModel>[];
  scenarios: Item<{ name: string; models: string[] }>[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

export function readConfigFile(path: string, text: string): OldConfig {
  const raw = parseJsonSource(path, text);
  if (!isObject(raw)) throw new SourceError(path, 1, 1, 'expected a JSON object with providers, models and scenarios');
  const config: OldConfig = { providers: [], models: [], scenarios: [] };
  // providers: {"id": {...}} as the old service wrote it, or a list of {"id": ...}.
  const providers = isObject(raw.providers)
    ? Object.entries(raw.providers).map(([id, p]) => [id, p] as const)
    : Array.isArray(raw.providers)
      ? raw.providers.map((p, i) => [isObject(p) && nonEmpty(p.id) ? p.id : `providers[${i}]`, p] as const)
      : [];
  if (raw.providers !== undefined && !isObject(raw.providers) && !Array.isArray(raw.providers)) {
    config.providers.push({ subject: 'providers', problem: 'is neither an object nor a list' });
  }
  for (const [id, p] of providers) config.providers.push(provider(id, p));
  if (raw.models !== undefined) {
    if (Array.isArray(raw.models)) config.models.push(...raw.models.map((m, i) => model(m, i)));
    else config.models.push({ subject: 'models', problem: 'is not a list' });
  }
  if (raw.scenarios !== undefined) {
    if (isObject(raw.scenarios)) {
      for (const [name, list] of Object.entries(raw.scenarios)) {
        config.scenarios.push(
          Array.isArray(list) && list.every(nonEmpty)
            ? { value: { name, models: list } }
            : { subject: name, problem: 'is not a list of model names' },
        );
      }
    } else config.scenarios.push({ subject: 'scenarios', problem: 'is not an object' });
  }
  return config;
}

function provider(id: string, p: unknown): Item<OldProvider> {
  if (!isObject(p)) return { subject: id, problem: 'is not an object' };
  if (p.type !== undefined && p.type !== 'openai' && p.type !== 'anthropic') {
    return { subject: id, problem: 'type is neither "openai" nor "anthropic"' };
  }
  const env = p.apiKeyEnv === undefined ? [] : Array.isArray(p.apiKeyEnv) ? p.apiKeyEnv : [p.apiKeyEnv];
  if (!env.every((name) => typeof name === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(name))) {
    return { subject: id, problem: 'apiKeyEnv is not a variable name (or a list of them)' };
  }
  const baseUrl = p.baseURL ?? p.baseUrl;
  if (baseUrl !== undefined && !nonEmpty(baseUrl)) return { subject: id, problem: 'baseURL is not a URL' };
  return {
    value: { id, protocol: p.type as Protocol | undefined, baseUrl: baseUrl?.trim(), apiKeyEnv: env as string[] },
  };
}

function model(m: unknown, index: number): Item<OldModel> {
  const subject = isObject(m) && nonEmpty(m.id) ? m.id : `models[${index}]`;
  if (!isObject(m)) return { subject, problem: 'is not an object' };
  if (!nonEmpty(m.id)) return { subject, problem: 'has no id' };
  if (!nonEmpty(m.provider)) return { subject, problem: 'names no provider' };
  const out: OldModel = { id: m.id, provider: m.provider };
  if (nonEmpty(m.name)) out.name = m.name;
  if (m.contextWindow !== undefined) {
    if (!Number.isInteger(m.contextWindow) || (m.contextWindow as number) <= 0) {
      return { subject, problem: 'contextWindow is not a positive whole number' };
    }
    out.contextWindow = m.contextWindow as number;
  }
  if (m.cost !== undefined) {
    const cost = m.cost as Record<string, unknown>;
    if (!isObject(cost) || !isPrice(cost.input) || !isPrice(cost.output)) {
      return { subject, problem: 'cost is not {"input": dollars per 1K, "output": dollars per 1K}' };
    }
    out.price = { input: cost.input as number, output: cost.output as number };
  }
  if (m.capabilities !== undefined) {
    if (!Array.isArray(m.capabilities) || !m.capabilities.every(nonEmpty))
      return { subject, problem: 'capabilities is not a list of names' };
    out.capabilities = m.capabilities;
  }
  return { value: out };
}

const isPrice = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v >= 0;

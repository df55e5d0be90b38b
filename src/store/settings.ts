// settings.json: the user's providers, models, free tiers, aliases, scenarios and defaults. Hand-editable JSON,
// validated on every read; a file that does not parse or validate is reported and left exactly as it is.
import { ConfigError } from '../core/errors.ts';
import type { CatalogData, DeploymentData, ModelData, ProviderData } from '../core/catalog.ts';
import {
  LIMIT_PERS,
  LIMIT_SCOPES,
  LIMIT_UNITS,
  PROTOCOL_NAMES,
  RESET_PERIODS,
  type Auth,
  type FreeTier,
  type Limit,
  type LimitPer,
  type LimitScope,
  type LimitUnit,
  type Protocol,
  type ResetPeriod,
} from '../core/types.ts';
import { isTimeZone } from '../core/limits.ts';
import { modelIdProblem, providerIdProblem } from '../core/ids.ts';
import { parseDay } from '../core/quota.ts';
import { baseUrlProblem } from './endpoints.ts';
import { databaseUrlProblem } from './database-url.ts';
import { readTrustedText } from './config-trust.ts';
import { parseJsonFile } from './files.ts';
import { SETTINGS_SCHEMA_VERSION, upgradeSettings } from './settings-schema.ts';

export interface Settings {
  /** The shape this file is in (settings-schema.ts); absent in files written before versioning, which are 1. */
  schemaVersion?: number;
  /** Allow paid models without `--allow-paid` on every call. */
  allowPaid?: boolean;
  /** What `chat` uses when no model is named: `auto` or a model id/alias. */
  defaultModel?: string;
  /** Prompts estimated above this many tokens make `auto` pick the long_context scenario. */
  longPromptTokens?: number;
  timeouts?: { connectMs?: number; idleMs?: number };
  /** A shared quota ledger (PostgreSQL) instead of ledger.db; LLM_GATEWAY_DATABASE_URL wins over it. */
  database?: { url?: string };
  providers?: Record<string, Omit<ProviderData, 'id'>>;
  models?: ModelData[];
  freeTiers?: FreeTier[];
  aliases?: Record<string, string>;
  scenarios?: Record<string, string[]>;
  /** Notes of the user's own (`"$comment": "…"`): kept as they are, never read. */
  [note: `$${string}`]: unknown;
}

export function loadSettings(path: string): Settings {
  return parseSettings(readTrustedText(path), path);
}

/** The settings in `text` (the file's content, undefined when there is none), in the current schema. */
export function parseSettings(text: string | undefined, path: string): Settings {
  if (text === undefined) return {};
  return validateSettings(upgradeSettings(parseJsonFile(path, text, 'settings file'), path), path);
}

/** The file's text for `settings`, stamped with the current schema version. Written only by config-edit.ts. */
export function settingsText(settings: Settings): string {
  const { schemaVersion: _old, ...rest } = settings;
  return `${JSON.stringify({ schemaVersion: SETTINGS_SCHEMA_VERSION, ...rest }, null, 2)}\n`;
}

/** The user's catalog layer, in the shape buildCatalog merges over the built-in data. */
export function settingsCatalogLayer(settings: Settings): CatalogData {
  return {
    providers: Object.entries(settings.providers ?? {}).map(([id, p]) => ({ id, ...p })),
    models: settings.models,
    freeTiers: settings.freeTiers,
    aliases: settings.aliases,
    scenarios: settings.scenarios,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Validation: each problem names the field, so the user knows exactly which line to fix.

class Invalid extends Error {}

/** A database URL: checked for its scheme only here (the driver reads the rest); never quoted, it may hold a password. */
function databaseUrlField(v: unknown, field: string): string {
  if (typeof v !== 'string' || databaseUrlProblem(v) !== undefined)
    fail(field, `a postgres:// URL (${typeof v === 'string' ? databaseUrlProblem(v) : 'not a string'})`);
  return v;
}

function fail(field: string, expected: string): never {
  throw new Invalid(`${field} must be ${expected}`);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A misspelt field would otherwise do nothing, silently: every object names only fields we read (or `$notes`). */
function known(v: Record<string, unknown>, field: string, allowed: readonly string[]): void {
  const unknown = Object.keys(v).find((k) => !k.startsWith('$') && !allowed.includes(k));
  if (unknown !== undefined) {
    throw new Invalid(
      `${field === 'the file' ? '' : `${field}.`}${unknown} is not a setting (known: ${allowed.join(', ')})`,
    );
  }
}

function optional<T>(value: unknown, field: string, check: (v: unknown, field: string) => T): T | undefined {
  return value === undefined ? undefined : check(value, field);
}

const str = (v: unknown, f: string): string =>
  typeof v === 'string' && v.length > 0 ? v : fail(f, 'a non-empty string');
const bool = (v: unknown, f: string): boolean => (typeof v === 'boolean' ? v : fail(f, 'true or false'));
const posInt = (v: unknown, f: string): number =>
  Number.isInteger(v) && (v as number) > 0 ? (v as number) : fail(f, 'a positive whole number');
/** At most a day: a timer of 2^31 ms or more fires at once, and no provider is silent longer. */
const timeoutMs = (v: unknown, f: string): number =>
  posInt(v, f) <= 86_400_000 ? (v as number) : fail(f, 'at most 86400000 (a day, in milliseconds)');
const strList = (v: unknown, f: string): string[] =>
  Array.isArray(v) ? v.map((x, i) => str(x, `${f}[${i}]`)) : fail(f, 'a list of strings');
const strMap = (v: unknown, f: string): Record<string, string> =>
  isObject(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, str(x, `${f}.${k}`)])) : fail(f, 'an object');

function day(v: unknown, f: string): string {
  const s = str(v, f);
  try {
    parseDay(s);
  } catch {
    fail(f, 'a date YYYY-MM-DD');
  }
  return s;
}

/** An id as it is, once `problem` has nothing against it. */
function idOf(id: string, f: string, problem: (id: string) => string | undefined): string {
  const why = problem(id);
  if (why) throw new Invalid(`${f}: the id ${JSON.stringify(id)} ${why}`);
  return id;
}

function url(v: unknown, f: string): string {
  const s = str(v, f);
  const problem = baseUrlProblem(s);
  if (problem) throw new Invalid(`${f} ${problem}`);
  return s;
}

function price(v: unknown, f: string): DeploymentData['price'] {
  if (v === null) return null;
  if (!isObject(v) || typeof v.input !== 'number' || typeof v.output !== 'number' || v.input < 0 || v.output < 0) {
    fail(f, 'null or {"input": dollars per 1K, "output": dollars per 1K}');
  }
  return { input: v.input, output: v.output };
}

function provider(v: unknown, f: string): Omit<ProviderData, 'id'> {
  if (!isObject(v)) fail(f, 'an object');
  known(v, f, ['name', 'protocol', 'auth', 'baseUrl', 'keyEnv', 'baseUrlEnv', 'streamUsage', 'proxy', 'scope']);
  if (v.protocol !== undefined && !PROTOCOL_NAMES.includes(v.protocol as Protocol)) {
    fail(`${f}.protocol`, `one of ${PROTOCOL_NAMES.map((n) => `"${n}"`).join(', ')}`);
  }
  return {
    name: optional(v.name, `${f}.name`, str),
    protocol: v.protocol as ProviderData['protocol'],
    auth: optional(v.auth, `${f}.auth`, auth),
    baseUrl: optional(v.baseUrl, `${f}.baseUrl`, url),
    keyEnv: optional(v.keyEnv, `${f}.keyEnv`, strList),
    baseUrlEnv: optional(v.baseUrlEnv, `${f}.baseUrlEnv`, strList),
    streamUsage: optional(v.streamUsage, `${f}.streamUsage`, bool),
    proxy: optional(v.proxy, `${f}.proxy`, proxy),
    scope: optional(v.scope, `${f}.scope`, limitScope),
  };
}

/** key, organisation or project: who the provider's limits count against. */
function limitScope(v: unknown, f: string): LimitScope {
  if (!LIMIT_SCOPES.includes(v as LimitScope)) fail(f, `one of ${LIMIT_SCOPES.map((n) => `"${n}"`).join(', ')}`);
  return v as LimitScope;
}

/** `none`, or an http:// proxy URL (credentials allowed: settings.json is private). */
function proxy(v: unknown, f: string): string {
  const s = str(v, f);
  if (s === 'none') return s;
  let parsed: URL | undefined;
  try {
    parsed = new URL(s);
  } catch {
    parsed = undefined;
  }
  if (parsed?.protocol !== 'http:' || !parsed.hostname)
    fail(f, '"none" or an http:// proxy URL such as http://127.0.0.1:3128');
  return s;
}

/** A header name as HTTP allows it (a token); the key's header must be one. */
export function isHeaderName(name: string): boolean {
  return /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/.test(name);
}

const AUTH_FORMS = '{"kind": "bearer"}, {"kind": "none"} or {"kind": "header", "name": "x-api-key"}';

function auth(v: unknown, f: string): Auth {
  if (!isObject(v)) fail(f, AUTH_FORMS);
  if (v.kind === 'bearer' || v.kind === 'none') {
    known(v, f, ['kind']);
    return { kind: v.kind };
  }
  if (v.kind !== 'header') fail(`${f}.kind`, '"bearer", "header" or "none"');
  known(v, f, ['kind', 'name']);
  const name = str(v.name, `${f}.name`);
  if (!isHeaderName(name)) fail(`${f}.name`, 'a header name such as x-api-key');
  return { kind: 'header', name };
}

function model(v: unknown, f: string): ModelData {
  if (!isObject(v)) fail(f, 'an object');
  known(v, f, ['id', 'name', 'contextWindow', 'capabilities', 'deployments']);
  const deployments = optional(v.deployments, `${f}.deployments`, (d, df) =>
    Array.isArray(d)
      ? d.map((x, i): DeploymentData => {
          const g = `${df}[${i}]`;
          if (!isObject(x)) fail(g, 'an object');
          known(x, g, ['provider', 'upstreamId', 'price', 'contextWindow']);
          return {
            provider: str(x.provider, `${g}.provider`),
            upstreamId: optional(x.upstreamId, `${g}.upstreamId`, str),
            price: x.price === undefined ? undefined : price(x.price, `${g}.price`),
            contextWindow: optional(x.contextWindow, `${g}.contextWindow`, posInt),
          };
        })
      : fail(df, 'a list'),
  );
  return {
    id: idOf(str(v.id, `${f}.id`), `${f}.id`, modelIdProblem),
    name: optional(v.name, `${f}.name`, str),
    contextWindow: optional(v.contextWindow, `${f}.contextWindow`, posInt),
    capabilities: optional(v.capabilities, `${f}.capabilities`, strList),
    deployments,
  };
}

function freeTier(v: unknown, f: string): FreeTier {
  if (!isObject(v)) fail(f, 'an object');
  known(v, f, ['provider', 'model', 'tokens', 'period', 'limits', 'anchor', 'expires', 'source']);
  // The old single allowance (tokens per period) and the provider's windows (limits): either, or both.
  const legacy = v.tokens !== undefined || v.period !== undefined || v.limits === undefined;
  if (legacy && !RESET_PERIODS.includes(v.period as ResetPeriod)) fail(`${f}.period`, RESET_PERIODS.join(', '));
  return {
    provider: str(v.provider, `${f}.provider`),
    model: str(v.model, `${f}.model`),
    ...(legacy ? { tokens: posInt(v.tokens, `${f}.tokens`), period: v.period as ResetPeriod } : {}),
    ...(v.limits === undefined ? {} : { limits: list(limit)(v.limits, `${f}.limits`) }),
    anchor: day(v.anchor, `${f}.anchor`),
    ...(v.expires === undefined ? {} : { expires: day(v.expires, `${f}.expires`) }),
    ...(v.source === undefined ? {} : { source: str(v.source, `${f}.source`) }),
  };
}

/** One window of a free tier: `{unit, per, limit, resets, timeZone?}`. */
function limit(v: unknown, f: string): Limit {
  if (!isObject(v)) fail(f, 'an object like {"unit": "requests", "per": "day", "limit": 14400, "resets": "boundary"}');
  known(v, f, ['unit', 'per', 'limit', 'resets', 'timeZone']);
  if (!LIMIT_UNITS.includes(v.unit as LimitUnit)) fail(`${f}.unit`, LIMIT_UNITS.join(', '));
  if (!LIMIT_PERS.includes(v.per as LimitPer)) fail(`${f}.per`, LIMIT_PERS.join(', '));
  if (v.resets !== 'rolling' && v.resets !== 'boundary') fail(`${f}.resets`, 'rolling or boundary');
  const timeZone = optional(v.timeZone, `${f}.timeZone`, str);
  if (timeZone !== undefined && !isTimeZone(timeZone))
    fail(`${f}.timeZone`, 'a time zone such as UTC or America/Los_Angeles');
  return {
    unit: v.unit as LimitUnit,
    per: v.per as LimitPer,
    limit: posInt(v.limit, `${f}.limit`),
    resets: v.resets,
    ...(timeZone === undefined ? {} : { timeZone }),
  };
}

const list =
  <T>(check: (v: unknown, f: string) => T) =>
  (v: unknown, f: string): T[] =>
    Array.isArray(v) ? v.map((x, i) => check(x, `${f}[${i}]`)) : fail(f, 'a list');

export function validateSettings(raw: unknown, path: string): Settings {
  try {
    if (!isObject(raw)) fail('the file', 'a JSON object');
    known(raw, 'the file', [
      'allowPaid',
      'defaultModel',
      'longPromptTokens',
      'timeouts',
      'database',
      'providers',
      'models',
      'freeTiers',
      'aliases',
      'scenarios',
      'schemaVersion',
    ]);
    const timeouts = optional(raw.timeouts, 'timeouts', (t, f) =>
      isObject(t)
        ? (known(t, f, ['connectMs', 'idleMs']),
          {
            connectMs: optional(t.connectMs, `${f}.connectMs`, timeoutMs),
            idleMs: optional(t.idleMs, `${f}.idleMs`, timeoutMs),
          })
        : fail(f, 'an object'),
    );
    const database = optional(raw.database, 'database', (d, f) => {
      if (!isObject(d)) fail(f, 'an object');
      known(d, f, ['url']);
      return { url: optional(d.url, `${f}.url`, databaseUrlField) };
    });
    const providers = optional(raw.providers, 'providers', (p, f) =>
      isObject(p)
        ? Object.fromEntries(
            Object.entries(p).map(([id, x]) => [idOf(id, `${f}.${id}`, providerIdProblem), provider(x, `${f}.${id}`)]),
          )
        : fail(f, 'an object'),
    );
    const scenarios = optional(raw.scenarios, 'scenarios', (s, f) =>
      isObject(s)
        ? Object.fromEntries(Object.entries(s).map(([k, x]) => [k, strList(x, `${f}.${k}`)]))
        : fail(f, 'an object'),
    );
    const notes = Object.fromEntries(Object.entries(raw).filter(([k]) => k.startsWith('$')));
    return prune({
      ...notes,
      schemaVersion: optional(raw.schemaVersion, 'schemaVersion', posInt),
      allowPaid: optional(raw.allowPaid, 'allowPaid', bool),
      defaultModel: optional(raw.defaultModel, 'defaultModel', str),
      longPromptTokens: optional(raw.longPromptTokens, 'longPromptTokens', posInt),
      timeouts,
      database,
      providers,
      models: optional(raw.models, 'models', list(model)),
      freeTiers: optional(raw.freeTiers, 'freeTiers', list(freeTier)),
      aliases: optional(raw.aliases, 'aliases', strMap),
      scenarios,
    });
  } catch (err) {
    if (!(err instanceof Invalid)) throw err;
    throw new ConfigError(
      `settings file ${path} is invalid: ${err.message}`,
      `fix that field by hand, or run \`llm-gateway doctor --repair\`, which keeps the file as ${path}.corrupt-<time> and starts afresh`,
      path,
    );
  }
}

/** Drops undefined fields (recursively through plain objects), so a save writes back only what the user set. */
function prune<T>(value: T): T {
  if (Array.isArray(value)) return value.map(prune) as T;
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, prune(v)]),
  ) as T;
}

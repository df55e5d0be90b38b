// The catalog's vocabulary: protocols, providers, models, their deployments and free tiers, and how a call is billed.

/**
 * Wire protocols a provider may speak. Every built-in provider but Anthropic is OpenAI-compatible. Each name has
 * exactly one entry in providers/registry.ts (the compiler checks both ways); settings and the CLI accept these.
 */
export const PROTOCOL_NAMES = ['openai', 'anthropic'] as const;
export type Protocol = (typeof PROTOCOL_NAMES)[number];

/** Free-tier windows restart every day, week or month, counted from the tier's anchor date. */
export type ResetPeriod = 'daily' | 'weekly' | 'monthly';
export const RESET_PERIODS: readonly ResetPeriod[] = ['daily', 'weekly', 'monthly'];

/** A model ability a scenario or request may require: one of KNOWN_CAPABILITIES. */
export type Capability = string;

/**
 * Every capability the built-in catalog declares and the router asks for (scenarios: code, reasoning, long_context;
 * requests: vision, tools, json). A user's list is checked against it: a declared list is exact, so a misspelt
 * name would silently take the real one away.
 */
export const KNOWN_CAPABILITIES: readonly Capability[] = [
  'text',
  'code',
  'reasoning',
  'long_context',
  'vision',
  'tools',
  'json',
];

/**
 * Who a provider's limits count against: each key alone (`key`: more keys, more room), every key of one
 * organisation or account together (`organisation`), or every key of one project (`project`). Key pools read it:
 * keys sharing an organisation or project share one window.
 */
export const LIMIT_SCOPES = ['key', 'organisation', 'project'] as const;
export type LimitScope = (typeof LIMIT_SCOPES)[number];

/** US dollars per 1,000 tokens. */
export interface Price {
  input: number;
  output: number;
}

/**
 * How a provider's key travels: `Authorization: Bearer <key>`, a header of its own (`x-api-key: <key>`), or not at
 * all (a local server: Ollama, LM Studio, llama.cpp's server, vLLM). A provider that says nothing uses its
 * protocol's way (OpenAI: bearer; Anthropic: x-api-key).
 */
export type Auth = { kind: 'bearer' } | { kind: 'header'; name: string } | { kind: 'none' };

export interface ProviderSpec {
  id: string;
  name: string;
  protocol: Protocol;
  /** Absent: the protocol's own way. `none`: the provider is usable without any key. */
  auth?: Auth;
  /** Default base URL; `<ID>_BASE_URL` (and `baseUrlEnv`) and settings override it. */
  baseUrl: string;
  /** Environment variables that may hold the key, first found wins. */
  keyEnv: string[];
  /** Extra environment variables that override the base URL (besides `<ID>_BASE_URL`). */
  baseUrlEnv?: string[];
  /** OpenAI-compatible only: false for servers that reject `stream_options.include_usage`. */
  streamUsage?: boolean;
  /**
   * An `http://` proxy this provider is reached through (CONNECT), or `none` for a direct connection; absent: the
   * environment's HTTPS_PROXY / HTTP_PROXY / NO_PROXY.
   */
  proxy?: string;
  /** Who the provider's limits count against, as its rate-limit page says; absent: not published (taken as `key`). */
  scope?: LimitScope;
  /** Shipped with llm-gateway (false: added by the user). */
  builtIn: boolean;
}

/** One provider serving one model. The same model id may be deployed by several providers. */
export interface Deployment {
  model: string;
  provider: string;
  /** The id the upstream is sent, e.g. `Qwen/Qwen2.5-7B-Instruct` for SiliconFlow. */
  upstreamId: string;
  /**
   * What a token costs beyond any free tier. `{input: 0, output: 0}` is a model the provider serves free of
   * charge; null is a price we do not know, which routing treats as paid.
   */
  price: Price | null;
  /** Overrides the model's context window for this deployment. */
  contextWindow?: number;
  /**
   * The provider's published tokens-per-minute limit for the plan we use, where it counts the prompt plus the
   * answer budget against it per request (Groq's free plan): a request larger than this is refused (413), so the
   * router skips it before spending a request on it.
   */
  tokensPerMinute?: number;
}

export interface ModelSpec {
  id: string;
  name: string;
  contextWindow: number;
  capabilities: Capability[];
  deployments: Deployment[];
}

export const LIMIT_UNITS = ['requests', 'tokens', 'input_tokens'] as const;
export type LimitUnit = (typeof LIMIT_UNITS)[number];
export const LIMIT_PERS = ['minute', 'hour', 'day', 'week', 'month', 'total'] as const;
export type LimitPer = (typeof LIMIT_PERS)[number];

/**
 * One window a provider counts: `limit` requests, tokens (prompt + answer) or input tokens per `per`. `rolling`: the
 * last minute/hour/...; `boundary`: reset at the start of the calendar minute, hour, day (00:00), week (Monday) or
 * month (the 1st) in `timeZone` (an IANA name; default UTC), as the provider resets it.
 */
export interface Limit {
  unit: LimitUnit;
  per: LimitPer;
  limit: number;
  resets: 'rolling' | 'boundary';
  timeZone?: string;
}

/**
 * What a provider grants one deployment for free: a set of limits (core/limits.ts), all of which a call must fit.
 * `tokens` + `period` is the old single allowance (tokens per day, week or month counted from the anchor day), kept
 * as it was written; `limits` are the provider's other windows (requests per minute and per day, tokens per minute…).
 */
export interface FreeTier {
  provider: string;
  model: string;
  tokens?: number;
  period?: ResetPeriod;
  limits?: Limit[];
  /** YYYY-MM-DD (UTC): the day the tier started; windows are counted from it. */
  anchor: string;
  /** YYYY-MM-DD (UTC): the first day the tier no longer applies. */
  expires?: string;
  /** Where the limits were read, and when (built-in tiers). */
  source?: string;
}

/** The merged view: built-in data with the user's providers, models, tiers, aliases and scenarios on top. */
export interface Catalog {
  providers: Map<string, ProviderSpec>;
  models: Map<string, ModelSpec>;
  /** Keyed by `tierKey(provider, model)`. */
  freeTiers: Map<string, FreeTier>;
  /** alias -> model id */
  aliases: Map<string, string>;
  /** scenario -> model ids in priority order */
  scenarios: Map<string, string[]>;
}

/** `provider:model`, the identity of a deployment and of its free tier in the ledger. */
export function tierKey(provider: string, model: string): string {
  return `${provider}:${model}`;
}

/** How a call is paid for: a provider's free tier, a model free of charge, or money. */
export type Billing = 'free-tier' | 'free' | 'paid';

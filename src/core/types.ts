// The vocabulary of llm-gateway. Everything else speaks in these types; this file imports nothing.

/**
 * Wire protocols a provider may speak. Every built-in provider but Anthropic is OpenAI-compatible. Each name has
 * exactly one entry in providers/registry.ts (the compiler checks both ways); settings and the CLI accept these.
 */
export const PROTOCOL_NAMES = ['openai', 'anthropic'] as const;
export type Protocol = (typeof PROTOCOL_NAMES)[number];

/** Free-tier windows restart every day, week or month, counted from the tier's anchor date. */
export type ResetPeriod = 'daily' | 'weekly' | 'monthly';
export const RESET_PERIODS: readonly ResetPeriod[] = ['daily', 'weekly', 'monthly'];

/** A model ability a scenario or request may require: text, code, reasoning, long_context, vision, … */
export type Capability = string;

/** US dollars per 1,000 tokens. */
export interface Price {
  input: number;
  output: number;
}

export interface ProviderSpec {
  id: string;
  name: string;
  protocol: Protocol;
  /** Default base URL; `<ID>_BASE_URL` (and `baseUrlEnv`) and settings override it. */
  baseUrl: string;
  /** Environment variables that may hold the key, first found wins. */
  keyEnv: string[];
  /** Extra environment variables that override the base URL (besides `<ID>_BASE_URL`). */
  baseUrlEnv?: string[];
  /** OpenAI-compatible only: false for servers that reject `stream_options.include_usage`. */
  streamUsage?: boolean;
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
}

export interface ModelSpec {
  id: string;
  name: string;
  contextWindow: number;
  capabilities: Capability[];
  deployments: Deployment[];
}

/** A token allowance a provider grants for one deployment, renewed every period until it expires. */
export interface FreeTier {
  provider: string;
  model: string;
  tokens: number;
  period: ResetPeriod;
  /** YYYY-MM-DD (UTC): the day the tier started; windows are counted from it. */
  anchor: string;
  /** YYYY-MM-DD (UTC): the first day the tier no longer applies. */
  expires?: string;
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

// ---------------------------------------------------------------------------------------------------------------
// Ledger state, as the router sees it

/** Tokens counted against a free tier in its current window. */
export interface TierUsage {
  used: number;
  /** Held by calls in flight (reservations not yet settled or expired). */
  reserved: number;
}

export type CooldownKind = 'rate_limited' | 'exhausted' | 'auth' | 'down';

/** A deployment (`provider:model`) or a whole provider (`provider`) set aside until a time, shared by all processes. */
export interface Cooldown {
  scope: string;
  kind: CooldownKind;
  /** Epoch milliseconds. */
  until: number;
  reason: string;
}

export interface LedgerSnapshot {
  /** Keyed by tier key; a tier absent here has used nothing this window. */
  usage: Map<string, TierUsage>;
  /** Active cooldowns only. */
  cooldowns: Cooldown[];
}

// ---------------------------------------------------------------------------------------------------------------
// Routing

export interface RouteRequest {
  /** A model id, an alias, or `auto` (the default). */
  model?: string;
  /** `default`, `code`, `reasoning`, `long_context`, or one the user defined. Ignored when a model is named. */
  scenario?: string;
  /** Estimated prompt size (system + messages). */
  inputTokens: number;
  /** The answer budget the caller asked for, if any. */
  maxOutputTokens?: number;
  capabilities?: Capability[];
  allowPaid: boolean;
}

export type Billing = 'free-tier' | 'free' | 'paid';

export interface Candidate {
  model: ModelSpec;
  deployment: Deployment;
  provider: ProviderSpec;
  billing: Billing;
  /** Present when billing is 'free-tier'. */
  tier?: { key: string; remaining: number; nextReset: number; expires?: number };
}

export type SkipReason =
  | 'no_key'
  | 'key_rejected'
  | 'exhausted'
  | 'expired'
  | 'cooling_down'
  | 'context_too_small'
  | 'missing_capability'
  | 'paid_not_allowed';

export interface Skip {
  model: string;
  provider: string;
  reason: SkipReason;
  /** One line a person can act on, e.g. "free tier used up, resets 2026-12-15". */
  detail: string;
  /** For `cooling_down`: why (a rate limit is waited out; a failing provider is not a quota problem). */
  cooldownKind?: CooldownKind;
}

export interface RoutePlan {
  /** What was asked for, after alias resolution: a model id or `scenario:<name>`. */
  target: string;
  scenario?: string;
  candidates: Candidate[];
  skipped: Skip[];
  /** Scenario entries that name no model in the catalog (a stale settings.json). */
  unknownModels?: string[];
}

// ---------------------------------------------------------------------------------------------------------------
// Talking to a model

export type Role = 'system' | 'user' | 'assistant';

export interface Message {
  role: Role;
  content: string;
}

export interface ChatRequest {
  messages: Message[];
  /** A model id, alias or `auto`. */
  model?: string;
  scenario?: string;
  maxTokens?: number;
  temperature?: number;
  allowPaid?: boolean;
  /** Cancels the call (Ctrl-C, a closed HTTP client). */
  signal?: AbortSignal;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  /** True when the provider reported nothing and these are our estimate. */
  estimated: boolean;
}

export type FinishReason = 'stop' | 'length' | 'content_filter' | 'tool_calls' | 'other';

/** What an adapter streams: text deltas, then exactly one finish. Anything else ends in a thrown UpstreamError. */
export type ChatEvent =
  | { type: 'text-delta'; text: string }
  | { type: 'finish'; reason: FinishReason; usage: Usage | null };

/** Everything an adapter needs for one call; the gateway resolves it. */
export interface AdapterCall {
  provider: ProviderSpec;
  baseUrl: string;
  apiKey: string;
  /** How the key is sent where a protocol knows both: Anthropic's x-api-key, or a bearer token (AUTH_TOKEN). */
  authStyle?: 'api-key' | 'bearer';
  upstreamModel: string;
  messages: Message[];
  maxTokens?: number;
  temperature?: number;
  signal?: AbortSignal;
  timeouts: Timeouts;
}

export interface Timeouts {
  /** Until response headers arrive. */
  connectMs: number;
  /** Longest silence between two chunks of a streaming body. */
  idleMs: number;
}

export interface Adapter {
  stream(call: AdapterCall): AsyncIterable<ChatEvent>;
}

// ---------------------------------------------------------------------------------------------------------------
// The ledger, as the core needs it (store/ledger.ts implements it on SQLite)

export type Outcome = 'ok' | 'error' | 'cut' | 'aborted';

/** What one call used. Recorded once per request id, whatever happens after. */
export interface UsageRecord {
  requestId: string;
  provider: string;
  model: string;
  /** Set when the tokens count against a free tier. */
  tierKey?: string;
  billing: Billing;
  inputTokens: number;
  outputTokens: number;
  estimated: boolean;
  outcome: Outcome;
  /** Epoch milliseconds. */
  at: number;
}

export interface TierWindow {
  key: string;
  /** Epoch milliseconds: usage at or after this counts. */
  windowStart: number;
}

export interface Reservation {
  requestId: string;
  tierKey: string;
  tokens: number;
  /** The tier's allowance: the reservation fails if used + reserved + tokens would pass it. */
  limit: number;
  windowStart: number;
  /** Epoch milliseconds after which a reservation left by a dead process no longer counts. */
  expiresAt: number;
  now: number;
}

export interface QuotaLedger {
  snapshot(windows: TierWindow[], now: number): LedgerSnapshot;
  /** Atomically holds tokens of a free tier for a call about to be made; false when they do not fit. */
  reserve(reservation: Reservation): boolean;
  /** Drops a reservation without recording usage (the call never reached the provider). */
  release(requestId: string): void;
  /** Records what a call used and drops its reservation, in one transaction; a repeated request id is ignored. */
  settle(record: UsageRecord): void;
  /** Sets a cooldown every process sees; a later `until` for the same scope wins. */
  setCooldown(cooldown: Cooldown): void;
}

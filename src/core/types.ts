// The vocabulary of llm-gateway. Everything else speaks in these types; this file imports nothing but the message
// model (messages.ts), which it re-exports.
import type { Message, ResponseFormat, ToolCall, ToolChoice, ToolDefinition } from './messages.ts';

export * from './messages.ts';

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
export const KNOWN_CAPABILITIES: readonly Capability[] = ['text', 'code', 'reasoning', 'long_context', 'vision', 'tools', 'json'];

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

/**
 * What a cooldown covers, as data (never a string to parse: model ids hold `@`, `:` and `/`): a whole provider, or
 * one deployment of it; and, when set, only while the same key or the same endpoint is in use.
 */
export interface CooldownScope {
  provider: string;
  /** Absent: every model of the provider. */
  model?: string;
  /** A rejected key's cooldown (core/cooldown-scope.ts): it lifts as soon as another key is in use. */
  keyFingerprint?: string;
  /** A failing endpoint's cooldown: it lifts as soon as the base URL changes. */
  endpointFingerprint?: string;
}

/** A provider or a deployment set aside until a time, shared by all processes. */
export interface Cooldown extends CooldownScope {
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

/** Why the base URL a variable gives a provider cannot be used: the variable's name and the problem, never its value. */
export interface EndpointProblem {
  variable: string;
  problem: string;
}

/**
 * Why the key a provider would use is unusable: which variable holds it (none: the stored key) and what is wrong
 * with it ("contains a space", from core/key-shape.ts). Never the key itself.
 */
export interface KeyProblem {
  variable?: string;
  problem: string;
}

/**
 * Why the router passed over a deployment, with the data a front end needs to word it and the fix. `detail` is a
 * plain statement of the same (no flag or command: those are each front end's own words).
 */
export type Skip = {
  model: string;
  provider: string;
  /** One line, e.g. "free tier used up (1,000,000 of 1,000,000), resets 2026-12-15". */
  detail: string;
} & (
  | {
      /** No key for the provider. `configured`: false when the provider itself is unknown (a stale catalog entry). */
      reason: 'no_key';
      configured: boolean;
      /** Environment variables that would give it a key, first found wins. */
      keyEnv: string[];
    }
  | {
      /** The key the provider would use cannot be sent (a space in its variable, …): passed over, never called. */
      reason: 'key_invalid';
      keyProblem: KeyProblem;
    }
  | {
      /**
       * The base URL the environment gives the provider cannot be used (`GROQ_BASE_URL=not a url`): `variable` names
       * it, `problem` says why (never its value, which may hold credentials). Only this provider is passed over.
       */
      reason: 'endpoint_invalid';
      variable: string;
      problem: string;
    }
  | {
      /** The provider rejected the key in use (a live `auth` cooldown); `until`: when it is tried again (epoch ms). */
      reason: 'key_rejected';
      providerName: string;
      keyEnv: string[];
      until: number;
      /** What the upstream said, as recorded with the cooldown ('' if nothing). */
      cooldownReason: string;
    }
  | {
      /**
       * Quota used up: the free tier lacks room for this call, or the upstream said so (then `until`, epoch ms, is
       * when it is tried again). `payable`: allowing paid use would make it a candidate at its paid price.
       */
      reason: 'exhausted';
      payable: boolean;
      until?: number;
    }
  | {
      /** The free tier ended on `expires` (YYYY-MM-DD); `payable` as for `exhausted`. */
      reason: 'expired';
      expires: string;
      payable: boolean;
    }
  | {
      /** A live cooldown on `scope` (the deployment or its provider) of this kind, until epoch ms `until`. */
      reason: 'cooling_down';
      cooldownKind: CooldownKind;
      scope: string;
      until: number;
    }
  | {
      /** Prompt plus answer budget (`neededTokens`) is larger than the deployment's `contextWindow`. */
      reason: 'context_too_small';
      neededTokens: number;
      contextWindow: number;
    }
  | {
      /** Prompt plus answer budget (`neededTokens`) is larger than the deployment's `tokensPerMinute` limit. */
      reason: 'over_rate_window';
      neededTokens: number;
      tokensPerMinute: number;
    }
  | {
      /** The model lacks these required capabilities. */
      reason: 'missing_capability';
      missing: Capability[];
    }
  | {
      /** Paid (no free tier to carry the call) and paid use not allowed; `price` null when unknown. */
      reason: 'paid_not_allowed';
      price: Price | null;
    }
);

export type SkipReason = Skip['reason'];
/** A skip's reason, data and detail: everything but which deployment it is about. */
export type SkipWhy = DistributiveOmit<Skip, 'model' | 'provider'>;

/** `Omit` applied to each member of a union, so the result is still a union a `switch` can narrow. */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export interface RoutePlan {
  /** The moment the plan was made (epoch ms): the `now` its waits and resets are counted from. */
  at: number;
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

/** What a request asks the model to do beyond reading text: the fields both the request and an adapter call carry. */
export interface RichRequest {
  /** Functions the model may call; empty or absent: none. */
  tools?: ToolDefinition[];
  /** Absent: the provider's default (auto when tools are given). */
  toolChoice?: ToolChoice;
  /** False: at most one tool call per answer. Absent: the provider's default (parallel allowed). */
  parallelToolCalls?: boolean;
  /** Absent: text. */
  responseFormat?: ResponseFormat;
  /** Sequences that end the answer where they appear (not included in it). */
  stop?: string[];
}

export interface ChatRequest extends RichRequest {
  messages: Message[];
  /** A model id, alias or `auto`. */
  model?: string;
  scenario?: string;
  maxTokens?: number;
  temperature?: number;
  allowPaid?: boolean;
  /** Cancels the call (Ctrl-C, a closed HTTP client). */
  signal?: AbortSignal;
  /**
   * Keep at most this many UTF-8 bytes of the answer's text in the result (the rest is counted, not kept): for a
   * caller that shows every text delta as it streams and stores only a bounded part, so memory stays bounded too.
   */
  keepText?: number;
}

/** How an upstream failed; decides retry, fallback and cooldown (see the table in docs/ARCHITECTURE.md). */
export type UpstreamErrorKind =
  | 'connection' // refused, reset, DNS: no response at all
  | 'timeout' // no headers in time, or the stream went silent
  | 'rate_limit' // 429 with a short Retry-After
  | 'quota' // that deployment's quota used up: 429 insufficient_quota, a per-day limit, a free tier exhausted
  | 'billing' // the account cannot pay: credit balance too low, arrears (the whole provider is set aside)
  | 'server' // 500, 502, 503, 504, 529
  | 'auth' // 401, 403
  | 'not_found' // 404: the model or endpoint does not exist
  | 'retired' // the provider decommissioned the model (Groq model_decommissioned)
  | 'too_large' // the request can never fit this deployment's rate window (Groq 413 on TPM)
  | 'context_length' // 400: the prompt does not fit
  | 'bad_request' // other 400 / 422: our request is wrong, another model will not help
  | 'protocol' // a stream that ended without its terminator, or that we could not parse
  | 'aborted'; // the caller cancelled

/**
 * A candidate the gateway moved past during a run, in order. `reason` is one plain line (the upstream's message,
 * or why it was passed over); `code` says the same as data: the upstream failure class when a call failed before
 * its first token, else the skip reason the router would have given had it known (found only mid-run).
 */
export type Fallback = {
  model: string;
  provider: string;
  reason: string;
} & (
  // Each code is its own member (families spread per code), so a `switch` or an Extract on `code` narrows.
  | {
      /** The call failed before its first token; `status`: the HTTP status, when there was one. */
      [K in CallFailure]: { code: K; status?: number };
    }[CallFailure]
  | {
      /** Its window (`contextWindow`) is no larger than one the prompt already overflowed this run. */
      code: 'context_too_small';
      contextWindow: number;
    }
  | {
      /**
       * Its provider rejected the key (`key_rejected`), or reported an account billing problem (`billing`), earlier
       * in this run: its other models would fail the same way.
       */
      [C in 'key_rejected' | 'billing']: { code: C };
    }['key_rejected' | 'billing']
  | {
      /** Its free tier was taken by other calls in flight (the reservation was refused). */
      code: 'exhausted';
    }
);
export type FallbackCode = Fallback['code'];
/** How a call can fail before its first token and be fallen back from (an abort ends the run instead). */
export type CallFailure = Exclude<UpstreamErrorKind, 'aborted'>;

export interface Usage {
  /** Everything the provider processed as input, cache reads and writes included. */
  inputTokens: number;
  /** Everything generated, reasoning included. */
  outputTokens: number;
  /** Of outputTokens, the reasoning (thinking) tokens, when the provider says. */
  reasoningTokens?: number;
  /** Of inputTokens, those read from the provider's prompt cache, when it says. */
  cacheReadTokens?: number;
  /** Of inputTokens, those written to the provider's prompt cache, when it says (Anthropic). */
  cacheWriteTokens?: number;
  /** True when the provider reported nothing and these are our estimate. */
  estimated: boolean;
}

export type FinishReason = 'stop' | 'length' | 'content_filter' | 'tool_calls' | 'other';

/** The answer of one request, whether it finished or (carried by a PartialAnswerError) was cut. */
export interface ChatResult {
  requestId: string;
  /** The answer's text: all of it, or its first `keepText` bytes. */
  text: string;
  /** UTF-8 bytes of the text left out of `text` (request.keepText); absent when none were. */
  textOmittedBytes?: number;
  /** The tool calls of the answer, in order (finishReason `tool_calls`); empty when it made none. */
  toolCalls: ToolCall[];
  /** Reasoning (thinking) text the provider returned, if any: not part of `text`. */
  reasoning?: string;
  model: string;
  provider: string;
  billing: Billing;
  usage: Usage;
  finishReason: FinishReason;
  /** Every candidate moved past before this one answered, in order. */
  fallbacks: Fallback[];
  /** Free tokens left on the tier that answered, after this call. */
  freeRemaining?: number;
}

/**
 * What an adapter streams: text, reasoning and tool-call pieces in the order they arrive, then exactly one finish.
 * Anything else ends in a thrown UpstreamError. Any of the deltas is a first token (the answer has begun: no
 * silent fallback after it).
 */
export type ChatEvent =
  | { type: 'text-delta'; text: string }
  /** Reasoning (thinking) text: not shown as the answer, but billed. `signature`: Anthropic's, when it ends. */
  | { type: 'reasoning-delta'; text: string; signature?: string }
  /**
   * A tool call begins. `index` counts the answer's tool calls from 0 (parallel calls may interleave their
   * argument deltas, so each delta names its call by index). `id` and `name` are known from the start in both wire
   * formats; an adapter whose upstream omits the id makes one.
   */
  | { type: 'tool-call-start'; index: number; id: string; name: string }
  /** A fragment of a tool call's JSON arguments; the fragments of one call, joined, are its `arguments`. */
  | { type: 'tool-call-delta'; index: number; argumentsDelta: string }
  /** The tool call's arguments are complete. Every started call ends before `finish`. */
  | { type: 'tool-call-end'; index: number }
  /** The usage the provider reported so far (cumulative: the last one wins); settled if the stream is cut. */
  | { type: 'usage'; usage: Usage }
  | { type: 'finish'; reason: FinishReason; usage: Usage | null };

/** Everything an adapter needs for one call; the gateway resolves it. */
export interface AdapterCall extends RichRequest {
  provider: ProviderSpec;
  baseUrl: string;
  /** Empty when `auth` is `none`. */
  apiKey: string;
  /** How the key travels; absent: the protocol's own way. */
  auth?: Auth;
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

/** How the call ended: answered, cut mid-answer by the upstream, or stopped by the caller. */
export type Outcome = 'ok' | 'cut' | 'aborted';

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
  /** As in Usage: kept apart when the provider reported them, absent otherwise. */
  reasoningTokens?: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
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

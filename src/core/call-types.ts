// Talking to a model: the request, the answer, the adapter port and its stream events, and how a call fails.
import type { Auth, Billing, ProviderSpec } from './catalog-types.ts';
import type {
  AnswerPart,
  Message,
  ProviderHints,
  ResponseFormat,
  ToolCall,
  ToolChoice,
  ToolDefinition,
} from './messages.ts';

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
  /** How much the model should think; absent: the provider's default. */
  reasoning?: ReasoningRequest;
}

/**
 * Thinking asked for, in the two ways protocols ask: a thinking switch (Anthropic `thinking`: a token budget, or
 * `adaptive`) and an effort level (OpenAI `reasoning_effort`, Anthropic `output_config.effort`). A codec sends what
 * its protocol and the model take and reports the rest as dropped hints.
 */
export interface ReasoningRequest {
  thinking?: { type: 'enabled'; budgetTokens: number } | { type: 'adaptive' };
  /** As the client named it: `minimal`, `low`, `medium`, `high`, … */
  effort?: string;
  /** The thinking switch as the client's protocol spelled it, for an upstream of that protocol. */
  hints?: ProviderHints;
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
  /**
   * Milliseconds this caller will wait for a rate limit on the last candidate to lift (an HTTP client's own timeout);
   * absent: the gateway's own limit.
   */
  maxRateWaitMs?: number;
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
} & ( // Each code is its own member (families spread per code), so a `switch` or an Extract on `code` narrows.
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
  /**
   * The answer in the order it arrived — reasoning (with Anthropic's signature), text, tool calls — as the
   * assistant turn a client sends back; `text`, `reasoning` and `toolCalls` are views of it. Text parts hold the
   * kept text only (`keepText`). Always set by the gateway.
   */
  parts?: AnswerPart[];
  model: string;
  provider: string;
  billing: Billing;
  usage: Usage;
  finishReason: FinishReason;
  /** Every candidate moved past before this one answered, in order. */
  fallbacks: Fallback[];
  /** Free tokens left on the tier that answered, after this call. */
  freeRemaining?: number;
  /**
   * Set when the ledger failed to record this call after its answer arrived (the disk filled or turned read-only
   * mid-answer): why, in the ledger's words. The answer stands, and was paid for: asking again would pay twice.
   */
  usageNotRecorded?: string;
  /**
   * Set when the provider reported token counts that cannot be true (1e300, a fraction, far past the context
   * window): why, naming the provider. They were treated as missing: `usage` is our estimate, marked as such.
   */
  usageNotBelieved?: string;
  /** Provider hints the answering call could not carry (`cache_control`, `thinking`, `effort`), for the request log. */
  droppedHints?: string[];
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
  /** `droppedHints`: the call's provider hints its protocol or model could not take (see ProviderHints). */
  | { type: 'finish'; reason: FinishReason; usage: Usage | null; droppedHints?: string[] };

/** Everything an adapter needs for one call; the gateway resolves it. */
export interface AdapterCall extends RichRequest {
  provider: ProviderSpec;
  baseUrl: string;
  /** Empty when `auth` is `none`. */
  apiKey: string;
  /** How the key travels; absent: the protocol's own way. */
  auth?: Auth;
  upstreamModel: string;
  /** The model reasons (its catalog capabilities say `reasoning`): it may take an effort level. */
  reasoningModel?: boolean;
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

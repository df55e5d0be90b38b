// The script language of the fake upstream. A Step is one response; everything is plain JSON so the same script
// can be written inline in a test or handed to the standalone process (main.ts) as a file or env var.
// The wire format (OpenAI or Anthropic) is never part of a step: the fake picks it from the request path, so one
// script exercises both adapters.

/** Named faults, rendered in the right error shape for whichever wire format the request used. */
export type FaultName =
  | 'rate_limit' // 429 + retry-after: 2
  | 'insufficient_quota' // 429, OpenAI code insufficient_quota / Anthropic billing-style message
  | 'unauthorized' // 401
  | 'forbidden' // 403
  | 'not_found' // 404 model
  | 'context_length' // 400, context_length_exceeded / "prompt is too long"
  | 'bad_request' // 400 invalid_request
  | 'server_error' // 500
  | 'bad_gateway' // 502
  | 'unavailable' // 503
  | 'gateway_timeout' // 504
  | 'overloaded'; // 529 overloaded_error

export interface StepError {
  message?: string;
  /** OpenAI `error.type` / Anthropic `error.type`. */
  type?: string;
  /** OpenAI `error.code` (Anthropic has none; ignored there). */
  code?: string | null;
}

export interface Step {
  // ---- an error answer: any of fault / status>=300 / rawBody makes this step one -------------------------------
  fault?: FaultName;
  /** HTTP status; with `fault` it overrides the fault's default status. */
  status?: number;
  /** Extra response headers, e.g. `{ 'retry-after': '3' }` or `{ 'retry-after-ms': '250' }`. */
  headers?: Record<string, string>;
  /** Fields of the error body; shaped per wire format. */
  error?: StepError;
  /** Sent verbatim as the body (content-type application/json), bypassing all shaping. */
  rawBody?: string;
  /**
   * Compress a JSON body (an error or a non-streaming answer) this way, with its Content-Encoding header, whatever
   * the request's Accept-Encoding said — as some proxies and gateways do.
   */
  contentEncoding?: 'gzip' | 'deflate' | 'br';
  /** Sent verbatim as a 200 text/event-stream body (bytewise applies), for wire cases no other option covers. */
  rawSse?: string;

  // ---- a success answer ------------------------------------------------------------------------------------------
  /**
   * Text chunks, one SSE delta each (joined for a JSON answer). Default ['Hello', ', ', 'world'], or none when the
   * step makes tool calls.
   */
  text?: string[];
  /**
   * Reasoning (thinking) chunks, streamed before the text: OpenAI-compatible `delta.reasoning_content` (DeepSeek,
   * Kimi, Qwen style), Anthropic a `thinking` block with `thinking_delta`s and a `signature_delta` before its stop.
   */
  reasoning?: string[];
  /** Anthropic only: the thinking block's signature. Default 'sig-fake-1'. */
  reasoningSignature?: string;
  /** Tool calls the answer makes, after its text, in order (several: parallel calls). */
  toolCalls?: FakeToolCall[];
  /**
   * OpenAI only, how tool calls travel in a stream: 'fragments' (OpenAI: id, type and name on the first delta of an
   * index, then `arguments` pieces alone) or 'whole' (each call complete in one delta, as some compatible servers
   * send it). Default 'fragments'.
   */
  toolCallChunks?: 'fragments' | 'whole';
  /** OpenAI only: tool_calls deltas without `index` (seen from some compatible servers). */
  omitToolIndex?: boolean;
  /**
   * Token counts as the wire reports them; null = send no usage at all. Default { input: 11, output: number of
   * content chunks }. `input` is the wire's own figure: OpenAI's prompt_tokens (cached ones included), Anthropic's
   * input_tokens (cache reads and writes excluded, reported beside it). `cacheRead`: OpenAI
   * prompt_tokens_details.cached_tokens / Anthropic cache_read_input_tokens; `cacheWrite`: Anthropic
   * cache_creation_input_tokens; `reasoning`: OpenAI completion_tokens_details.reasoning_tokens.
   */
  usage?: { input: number; output: number; cacheRead?: number; cacheWrite?: number; reasoning?: number } | null;
  /** Anthropic only: one message_delta per value, each carrying this cumulative output_tokens (last one wins). */
  cumulativeOutput?: number[];
  /** Wire finish reason. Default 'stop' / 'end_turn', or 'tool_calls' / 'tool_use' when the step makes tool calls. */
  finish?: string;

  // ---- timing ----------------------------------------------------------------------------------------------------
  /** Never send headers; the request hangs until the client gives up or the fake closes. */
  stall?: boolean;
  /** Wait this long before sending headers. */
  stallMs?: number;
  /** After headers, wait this long before the first SSE event. */
  firstChunkDelayMs?: number;
  /** Wait this long before each content chunk after the first. */
  chunkDelayMs?: number;

  // ---- stream faults ---------------------------------------------------------------------------------------------
  // "Content chunks" are the deltas that carry the answer, in stream order: reasoning pieces, text pieces and
  // tool-call argument fragments (a tool call's opening delta, with its id and name, is not one). So `cutAfter: 1`
  // on a step whose only content is a tool call with arguments ['{"ci', 'ty":"Paris"}'] cuts mid-arguments.
  /** Destroy the socket right after this many content chunks were written. */
  cutAfter?: number;
  /** End the response cleanly but without `data: [DONE]` / `message_stop` (finish and usage are still sent). */
  noTerminator?: boolean;
  /** End the response cleanly right after this many content chunks: no finish, no usage, no terminator. */
  endAfter?: number;
  /** An error event inside the 200 stream after `afterChunks` content chunks (default 0); the response then ends. */
  streamError?: { afterChunks?: number; type?: string; message?: string };

  // ---- legal but unusual SSE framing ----------------------------------------------------------------------------
  crlf?: boolean;
  /** Write the body one byte per write (a tick apart), splitting lines and UTF-8 sequences. */
  bytewise?: boolean;
  /** Like bytewise, with this many ms between bytes: an event that trickles in slowly but never goes silent. */
  byteDelayMs?: number;
  /** Interleave `: comment` lines. */
  comments?: boolean;
  /** Omit the blank line after the very last event. */
  noTrailingBlank?: boolean;
}

/** One tool call of a scripted answer. */
export interface FakeToolCall {
  /**
   * Default `call_fake_<n>` (OpenAI) / `toolu_fake_<n>` (Anthropic), n counting the answer's calls from 1. null: the
   * OpenAI wire carries no id at all (some compatible servers); Anthropic always has one.
   */
  id?: string | null;
  name: string;
  /** The arguments' JSON text in the fragments it streams in, one delta each; joined for a JSON answer. */
  arguments: string[];
}

export type WireFormat = 'openai' | 'anthropic';

export interface RecordedRequest {
  method: string;
  path: string;
  format: WireFormat | null;
  /** `model` from the JSON body, if any. */
  model?: string;
  stream: boolean;
  authorization?: string;
  xApiKey?: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body (undefined when the body was empty or not JSON). */
  body: any;
  /** Epoch ms when the request arrived. */
  time: number;
  /** Set when the client closed the connection before the answer was complete (an abort, a timeout, a break). */
  hungUpEarly?: boolean;
  /**
   * Bytes of a streamed answer's body the socket has taken so far (live: it grows while the answer is written). Each
   * write waits for the last, so a client that stops reading holds this still: backpressure, seen from upstream.
   */
  sentBytes?: number;
}

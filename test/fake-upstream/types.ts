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
  /** Text chunks, one SSE delta each (joined for a JSON answer). Default ['Hello', ', ', 'world']. */
  text?: string[];
  /** Token counts; null = send no usage at all. Default { input: 11, output: number of chunks }. */
  usage?: { input: number; output: number } | null;
  /** Anthropic only: one message_delta per value, each carrying this cumulative output_tokens (last one wins). */
  cumulativeOutput?: number[];
  /** Wire finish reason. Default 'stop' (OpenAI) / 'end_turn' (Anthropic). */
  finish?: string;

  // ---- timing ----------------------------------------------------------------------------------------------------
  /** Never send headers; the request hangs until the client gives up or the fake closes. */
  stall?: boolean;
  /** Wait this long before sending headers. */
  stallMs?: number;
  /** After headers, wait this long before the first SSE event. */
  firstChunkDelayMs?: number;
  /** Wait this long before each text chunk after the first. */
  chunkDelayMs?: number;

  // ---- stream faults ---------------------------------------------------------------------------------------------
  /** Destroy the socket right after this many text chunks were written. */
  cutAfter?: number;
  /** End the response cleanly but without `data: [DONE]` / `message_stop` (finish and usage are still sent). */
  noTerminator?: boolean;
  /** End the response cleanly right after this many text chunks: no finish, no usage, no terminator. */
  endAfter?: number;
  /** An error event inside the 200 stream after `afterChunks` text chunks (default 0); the response then ends. */
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
}

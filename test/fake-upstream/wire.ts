// What a successful answer looks like on each wire, written from the providers' API references rather than from
// our adapters: OpenAI chat.completion(.chunk) in wire-openai.ts, Anthropic message / message-stream events in
// wire-anthropic.ts, what the answer holds in answer.ts. This file: the SSE event list and errors in a stream.

import { errorBody } from './faults.ts';
import type { Step, WireFormat } from './types.ts';

export { openaiJson, openaiStream } from './wire-openai.ts';
export { anthropicJson, anthropicStream } from './wire-anthropic.ts';

/**
 * One SSE event. `content` marks a content chunk — a text, reasoning or tool-argument delta — counted by cutAfter,
 * endAfter, streamError and chunkDelayMs.
 */
export interface SseEvent {
  event?: string;
  data: string;
  content?: boolean;
  terminator?: boolean;
}

// ---- errors inside a 200 stream ----------------------------------------------------------------------------------

/** OpenAI-compatible servers send `data: {"error":...}`; Anthropic sends `event: error`. */
export function streamErrorEvent(format: WireFormat, err: NonNullable<Step['streamError']>): SseEvent {
  const status = format === 'anthropic' ? 529 : 500;
  const defaults =
    format === 'anthropic'
      ? { type: 'overloaded_error', message: 'Overloaded' }
      : { type: 'server_error', message: 'The server had an error while processing your request.' };
  const body = errorBody(format, status, undefined, {
    error: { type: err.type ?? defaults.type, message: err.message ?? defaults.message },
  });
  return format === 'anthropic' ? { event: 'error', data: JSON.stringify(body) } : { data: JSON.stringify(body) };
}

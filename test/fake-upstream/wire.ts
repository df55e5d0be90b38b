// What a successful answer looks like on each wire, written from the providers' API references rather than from
// our adapters: OpenAI chat.completion(.chunk) and Anthropic message / message-stream events.

import { errorBody } from './faults.ts';
import type { Step, WireFormat } from './types.ts';

/** One SSE event. `text` marks a content delta (counted by cutAfter / streamError / delays). */
export interface SseEvent {
  event?: string;
  data: string;
  text?: boolean;
  terminator?: boolean;
}

const DEFAULT_TEXT = ['Hello', ', ', 'world'];

export function chunksOf(step: Step): string[] {
  return step.text ?? DEFAULT_TEXT;
}

function usageOf(step: Step): { input: number; output: number } | null {
  if (step.usage === null) return null;
  return step.usage ?? { input: 11, output: chunksOf(step).length };
}

let seq = 0;
const nextId = (prefix: string) => `${prefix}${Date.now().toString(36)}${(++seq).toString(36)}`;

// ---- OpenAI ------------------------------------------------------------------------------------------------------

export function openaiStream(step: Step, model: string, includeUsage: boolean): SseEvent[] {
  const id = nextId('chatcmpl-fake');
  const created = Math.floor(Date.now() / 1000);
  const usage = usageOf(step);
  // With include_usage, every chunk carries "usage": null and a final chunk with empty choices carries the numbers.
  const chunk = (choices: unknown[], extra: object = {}) =>
    JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices, ...(includeUsage ? { usage: null } : {}), ...extra });
  const events: SseEvent[] = [
    { data: chunk([{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }]) },
  ];
  for (const t of chunksOf(step)) {
    events.push({ text: true, data: chunk([{ index: 0, delta: { content: t }, logprobs: null, finish_reason: null }]) });
  }
  events.push({ data: chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: step.finish ?? 'stop' }]) });
  if (includeUsage && usage) {
    const numbers = { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output };
    events.push({ data: chunk([], { usage: numbers }) });
  }
  events.push({ data: '[DONE]', terminator: true });
  return events;
}

export function openaiJson(step: Step, model: string) {
  const usage = usageOf(step);
  return {
    id: nextId('chatcmpl-fake'),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: chunksOf(step).join('') }, logprobs: null, finish_reason: step.finish ?? 'stop' }],
    ...(usage ? { usage: { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output } } : {}),
  };
}

// ---- Anthropic ---------------------------------------------------------------------------------------------------

export function anthropicStream(step: Step, model: string): SseEvent[] {
  const usage = usageOf(step);
  const ev = (event: string, payload: object, flags: Partial<SseEvent> = {}): SseEvent => ({
    event,
    data: JSON.stringify({ type: event, ...payload }),
    ...flags,
  });
  const message = {
    id: nextId('msg_fake'), type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null,
    ...(usage ? { usage: { input_tokens: usage.input, output_tokens: 1 } } : {}),
  };
  const events: SseEvent[] = [
    ev('message_start', { message }),
    ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    ev('ping', {}),
  ];
  for (const t of chunksOf(step)) {
    events.push(ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: t } }, { text: true }));
  }
  events.push(ev('content_block_stop', { index: 0 }));
  // message_delta usage is cumulative: with several deltas the counts grow and only the last one is the total.
  const outputs = usage ? (step.cumulativeOutput ?? [usage.output]) : [undefined];
  outputs.forEach((out, i) => {
    const last = i === outputs.length - 1;
    const delta = { stop_reason: last ? (step.finish ?? 'end_turn') : null, stop_sequence: null };
    events.push(ev('message_delta', { delta, ...(out !== undefined ? { usage: { output_tokens: out } } : {}) }));
  });
  events.push(ev('message_stop', {}, { terminator: true }));
  return events;
}

export function anthropicJson(step: Step, model: string) {
  const usage = usageOf(step);
  const output = step.cumulativeOutput?.at(-1) ?? usage?.output;
  return {
    id: nextId('msg_fake'),
    type: 'message',
    role: 'assistant',
    model,
    content: [{ type: 'text', text: chunksOf(step).join('') }],
    stop_reason: step.finish ?? 'end_turn',
    stop_sequence: null,
    ...(usage ? { usage: { input_tokens: usage.input, output_tokens: output } } : {}),
  };
}

// ---- errors inside a 200 stream ----------------------------------------------------------------------------------

/** OpenAI-compatible servers send `data: {"error":...}`; Anthropic sends `event: error`. */
export function streamErrorEvent(format: WireFormat, err: NonNullable<Step['streamError']>): SseEvent {
  const status = format === 'anthropic' ? 529 : 500;
  const defaults = format === 'anthropic'
    ? { type: 'overloaded_error', message: 'Overloaded' }
    : { type: 'server_error', message: 'The server had an error while processing your request.' };
  const body = errorBody(format, status, undefined, { error: { type: err.type ?? defaults.type, message: err.message ?? defaults.message } });
  return format === 'anthropic' ? { event: 'error', data: JSON.stringify(body) } : { data: JSON.stringify(body) };
}

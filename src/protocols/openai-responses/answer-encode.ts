// ChatResult -> the Responses API's response object, following the API reference's shape
// (https://platform.openai.com/docs/api-reference/responses/object): one output item per part of the answer, in the
// order they arrived (ChatResult.parts) — reasoning (its text as `reasoning_text` content; text and Anthropic
// signature sealed in `encrypted_content`, sealed-reasoning.ts, for the client to send back), a message per run of
// text (`output_text`), a `function_call` per tool call (a namespace's function named back, a custom tool's call a
// `custom_tool_call`, tools.ts) — status `incomplete` when the answer hit its token limit or a content filter, and
// usage with cached and reasoning tokens. The stream (stream-encode.ts) sends the same object in its last event.
import type { ChatResult } from '../../core/gateway.ts';
import type { AnswerPart, FinishReason, TextPart, ToolCall, Usage } from '../../core/types.ts';
import type { AnswerMeta } from '../../server/wire/wire.ts';
import { recentItems } from './item-memory.ts';
import { seal } from './sealed-reasoning.ts';
import type { ResponsesShape } from './request-decode.ts';
import { clientName, customInput, type ToolNames } from './tools.ts';

export type ResponseStatus = 'in_progress' | 'completed' | 'incomplete' | 'failed';

/** Output item ids: the request's id and the item's place, so a response's ids are distinct and stable. */
export function itemId(meta: AnswerMeta, prefix: 'msg' | 'fc' | 'rs', index: number): string {
  return `${prefix}_${meta.id.replaceAll('-', '')}${index.toString(16).padStart(4, '0')}`;
}

export function responseId(meta: AnswerMeta): string {
  return `resp_${meta.id.replaceAll('-', '')}`;
}

export function responsesUsage(usage: Usage) {
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: { cached_tokens: usage.cacheReadTokens ?? 0 },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
}

/** The finish as a status, with why an answer is incomplete. */
export function statusOf(reason: FinishReason): { status: ResponseStatus; incomplete_details: unknown } {
  if (reason === 'length') return { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } };
  if (reason === 'content_filter') return { status: 'incomplete', incomplete_details: { reason: 'content_filter' } };
  return { status: 'completed', incomplete_details: null };
}

/** The response object around its output: every field the official SDKs read, the request's settings echoed. */
export function envelope(
  shape: ResponsesShape,
  meta: AnswerMeta,
  model: string,
  state: { status: ResponseStatus; incomplete_details?: unknown; error?: unknown; output: unknown[]; usage?: unknown },
) {
  return {
    id: responseId(meta),
    object: 'response',
    created_at: meta.created,
    status: state.status,
    background: false,
    error: state.error ?? null,
    incomplete_details: state.incomplete_details ?? null,
    instructions: shape.instructions,
    max_output_tokens: shape.maxOutputTokens,
    max_tool_calls: null,
    model,
    output: state.output,
    parallel_tool_calls: shape.parallelToolCalls,
    previous_response_id: null,
    reasoning: shape.reasoning ?? { effort: null, summary: null },
    service_tier: 'default',
    store: false,
    temperature: shape.temperature ?? 1,
    text: shape.text,
    tool_choice: shape.toolChoice,
    tools: shape.tools,
    top_p: 1,
    truncation: 'disabled',
    usage: state.usage ?? null,
    user: null,
    metadata: {},
  };
}

export function reasoningItem(id: string, text: string, signature: string | undefined) {
  return {
    id,
    type: 'reasoning',
    summary: [],
    content: [{ type: 'reasoning_text', text }],
    encrypted_content: seal({ text, ...(signature ? { signature } : {}) }),
  };
}

export function outputText(text: string) {
  return { type: 'output_text', text, annotations: [], logprobs: [] };
}

export function messageItem(id: string, text: string, status: ResponseStatus) {
  return {
    id,
    type: 'message',
    status,
    role: 'assistant',
    content: status === 'in_progress' ? [] : [outputText(text)],
  };
}

/** A tool call as its output item: a `function_call`, or a `custom_tool_call` for a custom tool (tools.ts). */
export function functionCallItem(id: string, call: ToolCall, names: ToolNames, status: ResponseStatus) {
  const { name, namespace, custom } = clientName(names, call.name);
  const where = { id, type: custom ? 'custom_tool_call' : 'function_call', status, call_id: call.id, name };
  const ns = namespace ? { namespace } : {};
  return custom
    ? { ...where, ...ns, input: status === 'in_progress' ? '' : customInput(call.arguments) }
    : { ...where, ...ns, arguments: call.arguments };
}

export function responsesObject(result: ChatResult, meta: AnswerMeta, shape: ResponsesShape) {
  const { status, incomplete_details } = statusOf(result.finishReason);
  const itemStatus = status === 'incomplete' ? 'incomplete' : 'completed';
  const output: unknown[] = [];
  // One item per part in the order the answer gave them (as the stream opened them); text runs make one message.
  const parts = result.parts ?? partsOf(result);
  for (const [i, part] of parts.entries()) {
    const index = output.length;
    if (part.type === 'reasoning') output.push(reasoningItem(itemId(meta, 'rs', index), part.text, part.signature));
    else if (part.type === 'tool-call')
      output.push(functionCallItem(itemId(meta, 'fc', index), part, shape.names, itemStatus));
    else if (parts[i - 1]?.type !== 'text') {
      let text = '';
      for (let j = i; parts[j]?.type === 'text'; j++) text += (parts[j] as TextPart).text;
      if (text !== '') output.push(messageItem(itemId(meta, 'msg', index), text, itemStatus));
    }
  }
  if (!parts.some((p) => p.type !== 'reasoning'))
    output.push(messageItem(itemId(meta, 'msg', output.length), '', itemStatus)); // an empty answer is a message
  if (shape.remember) recentItems.remember(output);
  return envelope(shape, meta, result.model, {
    status,
    incomplete_details,
    output,
    usage: responsesUsage(result.usage),
  });
}

/** A result without parts (made by hand; the gateway always sets them): reasoning, then text, then the calls. */
function partsOf(result: ChatResult): AnswerPart[] {
  return [
    ...(result.reasoning ? [{ type: 'reasoning' as const, text: result.reasoning }] : []),
    ...(result.text !== '' ? [{ type: 'text' as const, text: result.text }] : []),
    ...result.toolCalls.map((c) => ({ type: 'tool-call' as const, ...c })),
  ];
}

/** The Responses API's error body is chat completions' own: `{error: {message, type, param, code}}`. */
export { openAiError as responsesError } from '../openai-chat/answer-encode.ts';

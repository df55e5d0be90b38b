// ChatResult -> Anthropic Message JSON and error objects, as the API reference describes them
// (https://docs.anthropic.com/en/api/messages): content blocks in Anthropic's order — thinking (with its
// signature), text, then one tool_use block per call (`input` an object: tool-input.ts) — `stop_reason` tool_use
// when the answer ends in tool calls, and usage where `input_tokens` excludes the cache reads and writes reported
// beside it (`cache_read_input_tokens`, `cache_creation_input_tokens`), while the core counts them inside its
// input. Errors use the wire's `{"type":"error","error":{…}}` object. The stream is stream-encode.ts.
import type { ChatResult } from '../../core/gateway.ts';
import type { Usage } from '../../core/types.ts';
import { STOP_REASON } from './finish-reason.ts';
import type { HttpError, HttpErrorKind } from '../../server/http-error.ts';
import { toolInput } from './tool-input.ts';
import type { AnswerMeta } from '../../server/wire/wire.ts';

/** Anthropic's error types (https://docs.anthropic.com/en/api/errors). */
const ERROR_TYPE: Record<HttpErrorKind, string> = {
  invalid_request: 'invalid_request_error',
  authentication: 'authentication_error',
  permission: 'permission_error',
  not_found: 'not_found_error',
  method_not_allowed: 'invalid_request_error',
  request_too_large: 'request_too_large',
  rate_limit: 'rate_limit_error',
  upstream_failed: 'api_error',
  unavailable: 'overloaded_error',
  timeout: 'timeout_error',
  api_error: 'api_error',
};

export const messageId = (meta: AnswerMeta) => `msg_${meta.id.replace(/-/g, '')}`;

/** Anthropic's usage: input without the cache reads and writes, which it reports on their own (when known). */
export function anthropicUsage(usage: Usage) {
  const read = usage.cacheReadTokens;
  const write = usage.cacheWriteTokens;
  return {
    input_tokens: Math.max(0, usage.inputTokens - (read ?? 0) - (write ?? 0)),
    output_tokens: usage.outputTokens,
    ...(write !== undefined ? { cache_creation_input_tokens: write } : {}),
    ...(read !== undefined ? { cache_read_input_tokens: read } : {}),
  };
}

export function anthropicContent(result: ChatResult, meta: AnswerMeta) {
  if (result.parts) return contentOf(result);
  const blocks: object[] = [];
  if (result.reasoning)
    blocks.push({ type: 'thinking', thinking: result.reasoning, signature: meta.reasoningSignature ?? '' });
  if (result.text !== '' || result.toolCalls.length === 0) blocks.push({ type: 'text', text: result.text });
  for (const call of result.toolCalls)
    blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: toolInput(call.arguments) });
  return blocks;
}

export function anthropicMessage(result: ChatResult, meta: AnswerMeta) {
  return {
    id: messageId(meta),
    type: 'message',
    role: 'assistant',
    model: result.model,
    content: anthropicContent(result, meta),
    stop_reason: STOP_REASON[result.finishReason],
    stop_sequence: null,
    usage: anthropicUsage(result.usage),
  };
}

export function anthropicError(err: HttpError) {
  return { type: 'error', error: { type: ERROR_TYPE[err.kind], message: err.message } };
}

/** The answer's parts as blocks, in the order they arrived; the thinking keeps its signature. */
function contentOf(result: ChatResult) {
  const blocks = (result.parts ?? []).flatMap((p): object[] => {
    if (p.type === 'reasoning')
      return p.text || p.signature ? [{ type: 'thinking', thinking: p.text, signature: p.signature ?? '' }] : [];
    if (p.type === 'text') return p.text ? [{ type: 'text', text: p.text }] : [];
    return [{ type: 'tool_use', id: p.id, name: p.name, input: toolInput(p.arguments) }];
  });
  // An answer with no text and no calls still has its (empty) text block, as clients read content[0].
  if (!blocks.some((b) => (b as { type: string }).type !== 'thinking')) blocks.push({ type: 'text', text: '' });
  return blocks;
}

// ChatResult -> OpenAI chat.completion JSON and error objects, following the API reference's response shape
// (https://platform.openai.com/docs/api-reference/chat/object): the message's text (null when it is only tool
// calls, as OpenAI sends it), `tool_calls` with ids and argument text verbatim, reasoning in `reasoning_content`
// (the field DeepSeek, Kimi and Qwen's OpenAI-compatible APIs use), and usage with the cached prompt tokens
// (`prompt_tokens_details.cached_tokens`) and reasoning tokens (`completion_tokens_details.reasoning_tokens`) when
// the provider reported them. The stream is stream-encode.ts.
import type { ChatResult } from '../../core/gateway.ts';
import type { ToolCall, Usage } from '../../core/types.ts';
import { FINISH } from './finish-reason.ts';
import type { HttpError, HttpErrorKind } from '../../server/http-error.ts';
import type { AnswerMeta } from '../../server/wire/wire.ts';

/** OpenAI's own error types where it has one for the case. */
const ERROR_TYPE: Record<HttpErrorKind, string> = {
  invalid_request: 'invalid_request_error',
  authentication: 'authentication_error',
  permission: 'permission_error',
  not_found: 'not_found_error',
  method_not_allowed: 'invalid_request_error',
  request_too_large: 'invalid_request_error',
  rate_limit: 'rate_limit_error',
  upstream_failed: 'server_error',
  unavailable: 'server_error',
  timeout: 'server_error',
  api_error: 'server_error',
};

export function openAiUsage(usage: Usage) {
  const { inputTokens, outputTokens, cacheReadTokens, reasoningTokens } = usage;
  return {
    prompt_tokens: inputTokens,
    completion_tokens: outputTokens,
    total_tokens: inputTokens + outputTokens,
    ...(cacheReadTokens !== undefined ? { prompt_tokens_details: { cached_tokens: cacheReadTokens } } : {}),
    ...(reasoningTokens !== undefined ? { completion_tokens_details: { reasoning_tokens: reasoningTokens } } : {}),
  };
}

export function openAiToolCalls(calls: ToolCall[]) {
  return calls.map((c) => ({
    id: c.id,
    type: 'function' as const,
    function: { name: c.name, arguments: c.arguments },
  }));
}

export function openAiCompletion(result: ChatResult, meta: AnswerMeta) {
  const calls = result.toolCalls;
  return {
    id: `chatcmpl-${meta.id}`,
    object: 'chat.completion',
    created: meta.created,
    model: result.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: result.text === '' && calls.length > 0 ? null : result.text,
          refusal: null,
          ...(result.reasoning ? { reasoning_content: result.reasoning } : {}),
          ...(calls.length > 0 ? { tool_calls: openAiToolCalls(calls) } : {}),
        },
        logprobs: null,
        finish_reason: FINISH[result.finishReason],
      },
    ],
    usage: openAiUsage(result.usage),
  };
}

export function openAiError(err: HttpError) {
  return {
    error: { message: err.message, type: ERROR_TYPE[err.kind], param: err.param ?? null, code: err.code ?? null },
  };
}

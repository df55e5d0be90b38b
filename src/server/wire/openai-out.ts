// ChatResult / gateway stream -> OpenAI chat.completion JSON and chat.completion.chunk SSE, following the API
// reference's response and streaming shapes (https://platform.openai.com/docs/api-reference/chat/object and
// /chat-streaming): a first chunk with the role, one chunk per delta, a chunk with finish_reason, a usage chunk
// with empty choices when stream_options.include_usage asked for it, then `data: [DONE]`.
import type { ChatResult } from '../../core/gateway.ts';
import type { FinishReason } from '../../core/types.ts';
import type { HttpError, HttpErrorKind } from '../http-error.ts';
import { readOpenAiRequest } from './openai-in.ts';
import type { WireRequest } from './request.ts';
import { sse, type AnswerMeta, type StreamEncoder, type Wire } from './wire.ts';

const FINISH: Record<FinishReason, string> = {
  stop: 'stop',
  length: 'length',
  content_filter: 'content_filter',
  tool_calls: 'tool_calls',
  other: 'stop',
};

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

export function openAiUsage(result: ChatResult) {
  const { inputTokens, outputTokens } = result.usage;
  return { prompt_tokens: inputTokens, completion_tokens: outputTokens, total_tokens: inputTokens + outputTokens };
}

export function openAiCompletion(result: ChatResult, meta: AnswerMeta) {
  return {
    id: `chatcmpl-${meta.id}`,
    object: 'chat.completion',
    created: meta.created,
    model: result.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: result.text, refusal: null },
        logprobs: null,
        finish_reason: FINISH[result.finishReason],
      },
    ],
    usage: openAiUsage(result),
  };
}

export function openAiStream(request: Pick<WireRequest, 'includeUsage'>, meta: AnswerMeta): StreamEncoder {
  let model = '';
  // With include_usage every chunk carries "usage": null, and one last chunk with no choices carries the numbers.
  const chunk = (choices: unknown[], usage?: unknown) =>
    sse(
      JSON.stringify({
        id: `chatcmpl-${meta.id}`,
        object: 'chat.completion.chunk',
        created: meta.created,
        model,
        choices,
        ...(request.includeUsage ? { usage: usage ?? null } : {}),
      }),
    );
  return {
    start(answering) {
      model = answering;
      return chunk([{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }]);
    },
    delta: (text) => chunk([{ index: 0, delta: { content: text }, logprobs: null, finish_reason: null }]),
    finish(result) {
      let out = chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: FINISH[result.finishReason] }]);
      if (request.includeUsage) out += chunk([], openAiUsage(result));
      return out + sse('[DONE]');
    },
    // The openai SDK throws an APIError for a data line that holds an `error` object.
    error: (err) => sse(JSON.stringify(openAiError(err))),
  };
}

export function openAiError(err: HttpError) {
  return { error: { message: err.message, type: ERROR_TYPE[err.kind], param: err.param ?? null, code: err.code ?? null } };
}

export const openAiWire: Wire = {
  name: 'openai',
  read: readOpenAiRequest,
  json: openAiCompletion,
  stream: openAiStream,
  errorBody: openAiError,
};

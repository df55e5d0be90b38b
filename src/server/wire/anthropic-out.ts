// ChatResult / gateway stream -> Anthropic Message JSON and the Messages streaming event sequence, as the API
// reference describes it (https://docs.anthropic.com/en/docs/build-with-claude/streaming) and the official SDK's
// MessageStream accumulates it: message_start, content_block_start, ping, content_block_delta…,
// content_block_stop, message_delta (stop_reason and cumulative usage), message_stop. Errors use the wire's
// `{"type":"error","error":{…}}` object, in a body or as an `error` event.
import type { ChatResult } from '../../core/gateway.ts';
import type { FinishReason } from '../../core/types.ts';
import type { HttpError, HttpErrorKind } from '../http-error.ts';
import { readAnthropicRequest } from './anthropic-in.ts';
import { sse, type AnswerMeta, type StreamEncoder, type Wire } from './wire.ts';

const STOP_REASON: Record<FinishReason, string> = {
  stop: 'end_turn',
  length: 'max_tokens',
  content_filter: 'refusal',
  tool_calls: 'tool_use',
  other: 'end_turn',
};

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

const messageId = (meta: AnswerMeta) => `msg_${meta.id.replace(/-/g, '')}`;

export function anthropicMessage(result: ChatResult, meta: AnswerMeta) {
  return {
    id: messageId(meta),
    type: 'message',
    role: 'assistant',
    model: result.model,
    content: [{ type: 'text', text: result.text }],
    stop_reason: STOP_REASON[result.finishReason],
    stop_sequence: null,
    usage: { input_tokens: result.usage.inputTokens, output_tokens: result.usage.outputTokens },
  };
}

export function anthropicStream(_request: unknown, meta: AnswerMeta): StreamEncoder {
  const event = (type: string, payload: object) => sse(JSON.stringify({ type, ...payload }), type);
  return {
    start(model) {
      const message = {
        id: messageId(meta),
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        // The real count arrives with message_delta, which the SDK lets overwrite this estimate.
        usage: { input_tokens: meta.inputEstimate, output_tokens: 0 },
      };
      return (
        event('message_start', { message }) +
        event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }) +
        event('ping', {})
      );
    },
    delta: (text) => event('content_block_delta', { index: 0, delta: { type: 'text_delta', text } }),
    finish(result) {
      const usage = { input_tokens: result.usage.inputTokens, output_tokens: result.usage.outputTokens };
      return (
        event('content_block_stop', { index: 0 }) +
        event('message_delta', { delta: { stop_reason: STOP_REASON[result.finishReason], stop_sequence: null }, usage }) +
        event('message_stop', {})
      );
    },
    error: (err) => sse(JSON.stringify(anthropicError(err)), 'error'),
  };
}

export function anthropicError(err: HttpError) {
  return { type: 'error', error: { type: ERROR_TYPE[err.kind], message: err.message } };
}

export const anthropicWire: Wire = {
  name: 'anthropic',
  read: (body) => readAnthropicRequest(body),
  json: anthropicMessage,
  stream: anthropicStream,
  errorBody: anthropicError,
};

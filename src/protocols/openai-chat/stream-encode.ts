// The gateway's stream -> OpenAI chat.completion.chunk SSE, following the API reference's streaming shape
// (https://platform.openai.com/docs/api-reference/chat-streaming): a first chunk with the role, one chunk per piece
// — `content`, `reasoning_content`, or a `tool_calls` delta (the first delta of a call's index carries its id, type,
// function name and empty arguments; later ones argument fragments only) — a chunk with finish_reason, a usage chunk
// with empty choices when stream_options.include_usage asked for it, then `data: [DONE]`.
import type { HttpError } from '../../server/http-error.ts';
import { openAiError, openAiUsage } from './answer-encode.ts';
import { FINISH } from './finish-reason.ts';
import type { WireRequest } from '../../server/wire/request.ts';
import { sse, type AnswerEvent, type AnswerMeta, type StreamEncoder } from '../../server/wire/wire.ts';

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
  const delta = (d: object) => chunk([{ index: 0, delta: d, logprobs: null, finish_reason: null }]);
  return {
    start(answering) {
      model = answering;
      return delta({ role: 'assistant', content: '' });
    },
    event(piece: AnswerEvent) {
      switch (piece.type) {
        case 'text-delta':
          return piece.text ? delta({ content: piece.text }) : '';
        case 'reasoning-delta':
          // A signature has no place on this wire (only Anthropic reads it back).
          return piece.text ? delta({ reasoning_content: piece.text }) : '';
        case 'tool-call-start':
          return delta({
            tool_calls: [
              { index: piece.index, id: piece.id, type: 'function', function: { name: piece.name, arguments: '' } },
            ],
          });
        case 'tool-call-delta':
          return piece.argumentsDelta
            ? delta({ tool_calls: [{ index: piece.index, function: { arguments: piece.argumentsDelta } }] })
            : '';
        case 'tool-call-end':
          return '';
      }
    },
    finish(result) {
      let out = chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: FINISH[result.finishReason] }]);
      if (request.includeUsage) out += chunk([], openAiUsage(result.usage));
      return out + sse('[DONE]');
    },
    // The openai SDK throws an APIError for a data line that holds an `error` object.
    error: (err: HttpError) => sse(JSON.stringify(openAiError(err))),
  };
}

// The gateway's stream -> the Anthropic Messages streaming event sequence, as the API reference describes it
// (https://docs.anthropic.com/en/docs/build-with-claude/streaming) and the official SDK's MessageStream
// accumulates it: message_start, ping, then content blocks one at a time — each content_block_start, its deltas,
// content_block_stop, at indexes counted from 0 — then message_delta (stop_reason and usage) and message_stop.
// - text: a text block, text_delta;
// - reasoning: a thinking block, thinking_delta, and signature_delta when Anthropic signed it;
// - a tool call: a tool_use block `{id, name, input: {}}`, ONE input_json_delta with the whole arguments, stop.
//   Its arguments are held until the call ends: Anthropic's `input` must be a JSON object (tool-input.ts), which
//   cannot be known of a fragment, and parallel calls whose fragments interleave become blocks one after another.
// An open block is closed before another opens. A failure mid-stream is an `error` event (no stop events follow).
import { anthropicError, anthropicUsage, messageId, STOP_REASON } from './answer-encode.ts';
import { toolInputJson } from './tool-input.ts';
import { sse, type AnswerEvent, type AnswerMeta, type StreamEncoder } from '../../server/wire/wire.ts';

type OpenBlock = 'text' | 'thinking' | undefined;

export function anthropicStream(_request: unknown, meta: AnswerMeta): StreamEncoder {
  const event = (type: string, payload: object) => sse(JSON.stringify({ type, ...payload }), type);
  let index = -1; // the last block opened
  let open: OpenBlock;
  const calls = new Map<number, { id: string; name: string; args: string }>();

  const close = () => {
    if (open === undefined) return '';
    open = undefined;
    return event('content_block_stop', { index });
  };
  const begin = (kind: OpenBlock, block: object) => {
    const out = close();
    index++;
    open = kind;
    return out + event('content_block_start', { index, content_block: block });
  };
  const delta = (d: object) => event('content_block_delta', { index, delta: d });

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
      return event('message_start', { message }) + event('ping', {});
    },
    event(piece: AnswerEvent) {
      switch (piece.type) {
        case 'text-delta':
          if (!piece.text) return '';
          return (
            (open === 'text' ? '' : begin('text', { type: 'text', text: '' })) +
            delta({ type: 'text_delta', text: piece.text })
          );
        case 'reasoning-delta': {
          let out = open === 'thinking' ? '' : begin('thinking', { type: 'thinking', thinking: '', signature: '' });
          if (piece.text) out += delta({ type: 'thinking_delta', thinking: piece.text });
          if (piece.signature) out += delta({ type: 'signature_delta', signature: piece.signature });
          return out;
        }
        case 'tool-call-start':
          calls.set(piece.index, { id: piece.id, name: piece.name, args: '' });
          return '';
        case 'tool-call-delta': {
          const call = calls.get(piece.index);
          if (call) call.args += piece.argumentsDelta;
          return '';
        }
        case 'tool-call-end': {
          const call = calls.get(piece.index);
          if (!call) return '';
          calls.delete(piece.index);
          const out = begin(undefined, { type: 'tool_use', id: call.id, name: call.name, input: {} });
          const stop = event('content_block_stop', { index });
          return out + delta({ type: 'input_json_delta', partial_json: toolInputJson(call.args) }) + stop;
        }
      }
    },
    finish(result) {
      // An answer with no content at all still gets its (empty) text block, as clients read content[0].
      let out = index === -1 ? begin('text', { type: 'text', text: '' }) : '';
      out += close();
      const stop = { stop_reason: STOP_REASON[result.finishReason], stop_sequence: null };
      return (
        out + event('message_delta', { delta: stop, usage: anthropicUsage(result.usage) }) + event('message_stop', {})
      );
    },
    error: (err) => sse(JSON.stringify(anthropicError(err)), 'error'),
  };
}

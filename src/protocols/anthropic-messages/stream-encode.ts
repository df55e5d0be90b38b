// The gateway's stream -> the Anthropic Messages streaming event sequence, as the API reference describes it
// (https://docs.anthropic.com/en/docs/build-with-claude/streaming) and the official SDK's MessageStream
// accumulates it: message_start, ping, then content blocks one at a time — each content_block_start, its deltas,
// content_block_stop, at indexes counted from 0 — then message_delta (stop_reason and usage) and message_stop.
// - text: a text block, text_delta;
// - reasoning: a thinking block, thinking_delta, and signature_delta when Anthropic signed it;
// - a tool call: a tool_use block `{id, name, input: {}}` opened when the call starts, an input_json_delta per
//   argument fragment as it arrives (issue 17.3: a client sees the input grow, as from Anthropic itself), and
//   content_block_stop when the call ends. Anthropic's `input` must be a JSON object (tool-input.ts): a call whose
//   arguments do not begin as one (`{`) — or are empty — is held and sent whole at its end, as tool-input.ts makes
//   it, so the client always gets valid JSON for it. Blocks cannot interleave: while one call's block is open,
//   parallel calls' fragments and any text are held, and follow once it stops, each call in its own block.
// An open block is closed before another opens. A failure mid-stream is an `error` event (no stop events follow).
import { anthropicError, anthropicUsage, messageId } from './answer-encode.ts';
import { STOP_REASON } from './finish-reason.ts';
import { toolInputJson } from './tool-input.ts';
import { sse, type AnswerEvent, type AnswerMeta, type StreamEncoder } from '../../server/wire/wire.ts';

type OpenBlock = 'text' | 'thinking' | 'tool' | undefined;

/** A tool call not yet written whole. `streamed`: its fragments go out as they come; `held`: sent whole at its end. */
interface Call {
  id: string;
  name: string;
  args: string;
  ended: boolean;
  mode: 'undecided' | 'streamed' | 'held';
}

export function anthropicStream(_request: unknown, meta: AnswerMeta): StreamEncoder {
  const event = (type: string, payload: object) => sse(JSON.stringify({ type, ...payload }), type);
  let index = -1; // the last block opened
  let open: OpenBlock;
  const calls = new Map<number, Call>(); // in the order they started
  let current: number | undefined; // the call whose block is open
  let waiting: AnswerEvent[] = []; // text and reasoning that arrived while a tool block was open

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
  const inputDelta = (json: string) => delta({ type: 'input_json_delta', partial_json: json });

  /** What of the open call's arguments can go now: all of it once they begin as an object, else nothing. */
  const flow = (call: Call, fragment: string) => {
    if (call.mode === 'streamed') return fragment ? inputDelta(fragment) : '';
    if (call.mode === 'held') return '';
    const begun = call.args.trimStart();
    if (!begun) return '';
    call.mode = begun.startsWith('{') ? 'streamed' : 'held';
    return call.mode === 'streamed' ? inputDelta(call.args) : '';
  };
  const openCall = (at: number): string => {
    const call = calls.get(at)!;
    current = at;
    let out = begin('tool', { type: 'tool_use', id: call.id, name: call.name, input: {} }) + flow(call, call.args);
    if (call.ended) out += endCall(at);
    return out;
  };
  /** The open call's block stops; then what waited behind it: text, then the next call. */
  const endCall = (at: number): string => {
    const call = calls.get(at)!;
    calls.delete(at);
    current = undefined;
    let out = call.mode === 'streamed' ? '' : inputDelta(toolInputJson(call.args));
    out += close();
    const pieces = waiting;
    waiting = [];
    for (const piece of pieces) out += write(piece);
    const next = calls.keys().next();
    if (!next.done && current === undefined) out += openCall(next.value);
    return out;
  };

  const wait = (piece: AnswerEvent) => {
    waiting.push(piece);
    return '';
  };

  const write = (piece: AnswerEvent): string => {
    switch (piece.type) {
      case 'text-delta':
        if (!piece.text) return '';
        if (open === 'tool') return wait(piece);
        return (
          (open === 'text' ? '' : begin('text', { type: 'text', text: '' })) +
          delta({ type: 'text_delta', text: piece.text })
        );
      case 'reasoning-delta': {
        if (open === 'tool') return wait(piece);
        let out = open === 'thinking' ? '' : begin('thinking', { type: 'thinking', thinking: '', signature: '' });
        if (piece.text) out += delta({ type: 'thinking_delta', thinking: piece.text });
        if (piece.signature) out += delta({ type: 'signature_delta', signature: piece.signature });
        return out;
      }
      case 'tool-call-start':
        calls.set(piece.index, { id: piece.id, name: piece.name, args: '', ended: false, mode: 'undecided' });
        return current === undefined ? openCall(piece.index) : '';
      case 'tool-call-delta': {
        const call = calls.get(piece.index);
        if (!call) return '';
        call.args += piece.argumentsDelta;
        return current === piece.index ? flow(call, piece.argumentsDelta) : '';
      }
      case 'tool-call-end': {
        const call = calls.get(piece.index);
        if (!call) return '';
        call.ended = true;
        return current === piece.index ? endCall(piece.index) : '';
      }
    }
  };

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
    event: write,
    finish(result) {
      // An answer with no content at all still gets its (empty) text block, as clients read content[0].
      // Every started call ends before the finish (core's contract); one that did not is closed as it stands.
      let out = current === undefined ? '' : endCall(current);
      if (index === -1) out += begin('text', { type: 'text', text: '' });
      out += close();
      const stop = { stop_reason: STOP_REASON[result.finishReason], stop_sequence: null };
      return (
        out + event('message_delta', { delta: stop, usage: anthropicUsage(result.usage) }) + event('message_stop', {})
      );
    },
    error: (err) => sse(JSON.stringify(anthropicError(err)), 'error'),
  };
}

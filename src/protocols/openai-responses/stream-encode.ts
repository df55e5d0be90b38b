// The gateway's stream -> Responses API server-sent events, the sequence the official SDKs and Codex parse
// (https://platform.openai.com/docs/api-reference/responses-streaming): `response.created` and
// `response.in_progress` with the response object; per output item `response.output_item.added`, its pieces, and
// `response.output_item.done` with the whole item — a message's `response.content_part.added`,
// `response.output_text.delta`s, `response.output_text.done`, `response.content_part.done`; a reasoning item's
// `response.reasoning_text.delta`s and `.done`; a function call's `response.function_call_arguments.delta`s and
// `.done` (a custom tool's `response.custom_tool_call_input.delta` and `.done`, once its text is whole) — then
// `response.completed` (or `response.incomplete`) with every item and the usage. Every event names
// its type in both the SSE `event:` line and `type`, and carries a `sequence_number` counting from 0.
// A failure after the first byte is `response.failed` with the error, as OpenAI ends a failed stream.
import type { ChatResult } from '../../core/gateway.ts';
import type { HttpError } from '../../server/http-error.ts';
import type { WireRequest } from '../../server/wire/request.ts';
import { type AnswerEvent, type AnswerMeta, type StreamEncoder, sse } from '../../server/wire/wire.ts';
import { recentItems } from './item-memory.ts';
import type { ResponsesShape } from './request-decode.ts';
import {
  envelope,
  functionCallItem,
  itemId,
  messageItem,
  outputText,
  reasoningItem,
  responsesUsage,
  statusOf,
} from './answer-encode.ts';

interface OpenText {
  kind: 'message' | 'reasoning';
  outputIndex: number;
  id: string;
  text: string;
}

interface OpenCall {
  outputIndex: number;
  id: string;
  callId: string;
  name: string;
  arguments: string;
}

export function responsesStream(request: WireRequest, meta: AnswerMeta): StreamEncoder {
  const shape = request.answerShape as ResponsesShape;
  let model = '';
  let sequence = 0;
  const output: unknown[] = []; // each item as it is done, at its output index
  let text: OpenText | undefined; // the message or reasoning item being written
  const calls = new Map<number, OpenCall>(); // by the core's tool-call index
  let signature: string | undefined;

  const event = (type: string, body: Record<string, unknown>) =>
    sse(JSON.stringify({ type, sequence_number: sequence++, ...body }), type);
  const response = (state: Parameters<typeof envelope>[3]) => envelope(shape, meta, model, state);

  const open = (kind: OpenText['kind']): string => {
    let out = closeText();
    const outputIndex = output.length;
    output.push(undefined);
    const id = itemId(meta, kind === 'message' ? 'msg' : 'rs', outputIndex);
    text = { kind, outputIndex, id, text: '' };
    const item =
      kind === 'message'
        ? messageItem(id, '', 'in_progress')
        : { id, type: 'reasoning', summary: [], content: [] as unknown[] };
    out += event('response.output_item.added', { output_index: outputIndex, item });
    const part = kind === 'message' ? outputText('') : { type: 'reasoning_text', text: '' };
    out += event('response.content_part.added', { item_id: id, output_index: outputIndex, content_index: 0, part });
    return out;
  };

  const closeText = (): string => {
    if (!text) return '';
    const { kind, outputIndex, id } = text;
    const where = { item_id: id, output_index: outputIndex, content_index: 0 };
    let out: string;
    let item: unknown;
    if (kind === 'message') {
      out = event('response.output_text.done', { ...where, text: text.text, logprobs: [] });
      out += event('response.content_part.done', { ...where, part: outputText(text.text) });
      item = messageItem(id, text.text, 'completed');
    } else {
      out = event('response.reasoning_text.done', { ...where, text: text.text });
      out += event('response.content_part.done', { ...where, part: { type: 'reasoning_text', text: text.text } });
      item = reasoningItem(id, text.text, signature);
    }
    output[outputIndex] = item;
    text = undefined;
    return out + event('response.output_item.done', { output_index: outputIndex, item });
  };

  const closeCall = (index: number): string => {
    const call = calls.get(index);
    if (!call) return '';
    calls.delete(index);
    const item = functionCallItem(
      call.id,
      { id: call.callId, name: call.name, arguments: call.arguments },
      shape.names,
      'completed',
    );
    output[call.outputIndex] = item;
    const where = { item_id: call.id, output_index: call.outputIndex };
    const done = () => event('response.output_item.done', { output_index: call.outputIndex, item });
    if ('input' in item) {
      // A custom tool's text is known only whole (it travels upstream as JSON): one delta, then done.
      const delta = event('response.custom_tool_call_input.delta', { ...where, delta: item.input });
      return delta + event('response.custom_tool_call_input.done', { ...where, input: item.input }) + done();
    }
    const args = event('response.function_call_arguments.done', {
      ...where,
      name: item.name,
      arguments: call.arguments,
    });
    return args + done();
  };

  return {
    start(answering) {
      model = answering;
      const initial = response({ status: 'in_progress', output: [] });
      return event('response.created', { response: initial }) + event('response.in_progress', { response: initial });
    },
    event(piece: AnswerEvent) {
      switch (piece.type) {
        case 'text-delta': {
          if (!piece.text) return '';
          const out = text?.kind === 'message' ? '' : open('message');
          text!.text += piece.text;
          const where = { item_id: text!.id, output_index: text!.outputIndex, content_index: 0 };
          return out + event('response.output_text.delta', { ...where, delta: piece.text, logprobs: [] });
        }
        case 'reasoning-delta': {
          if (piece.signature) signature = piece.signature;
          if (!piece.text) return '';
          const out = text?.kind === 'reasoning' ? '' : open('reasoning');
          text!.text += piece.text;
          const where = { item_id: text!.id, output_index: text!.outputIndex, content_index: 0 };
          return out + event('response.reasoning_text.delta', { ...where, delta: piece.text });
        }
        case 'tool-call-start': {
          let out = closeText();
          const outputIndex = output.length;
          output.push(undefined);
          const call: OpenCall = {
            outputIndex,
            id: itemId(meta, 'fc', outputIndex),
            callId: piece.id,
            name: piece.name,
            arguments: '',
          };
          calls.set(piece.index, call);
          const item = functionCallItem(
            call.id,
            { id: call.callId, name: call.name, arguments: '' },
            shape.names,
            'in_progress',
          );
          out += event('response.output_item.added', { output_index: outputIndex, item });
          return out;
        }
        case 'tool-call-delta': {
          const call = calls.get(piece.index);
          if (!call || !piece.argumentsDelta) return '';
          call.arguments += piece.argumentsDelta;
          if (shape.names.get(call.name)?.custom) return '';
          return event('response.function_call_arguments.delta', {
            item_id: call.id,
            output_index: call.outputIndex,
            delta: piece.argumentsDelta,
          });
        }
        case 'tool-call-end':
          return closeCall(piece.index);
      }
    },
    finish(result: ChatResult) {
      let out = closeText();
      for (const index of [...calls.keys()]) out += closeCall(index);
      const { status, incomplete_details } = statusOf(result.finishReason);
      const items = output.filter((item) => item !== undefined);
      if (shape.remember) recentItems.remember(items);
      const done = response({ status, incomplete_details, output: items, usage: responsesUsage(result.usage) });
      return out + event(status === 'completed' ? 'response.completed' : 'response.incomplete', { response: done });
    },
    error(err: HttpError) {
      const failed = response({
        status: 'failed',
        error: { code: err.code ?? 'server_error', message: err.message },
        output: output.filter((item) => item !== undefined),
      });
      return event('response.failed', { response: failed });
    },
  };
}

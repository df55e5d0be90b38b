// Responses API `instructions` + `input` -> the core's messages, following the API reference's input item types
// (https://platform.openai.com/docs/api-reference/responses/create#responses-create-input):
// - a string: one user turn;
// - `message` items (the `type` may be left out): system / developer -> a system turn; user -> text (`input_text`)
//   and images (`input_image` by URL or data: URL); assistant -> text (`output_text`, `refusal`);
// - `reasoning` items -> a reasoning part: the text and signature we sealed in `encrypted_content`
//   (sealed-reasoning.ts), else the text of `content` or `summary` without a signature;
// - `function_call` items -> tool-call parts (a namespace's function by its flattened name, tools.ts);
// - `function_call_output` items -> a tool turn holding one tool-result part;
// - `custom_tool_call` / `custom_tool_call_output` (a free-text tool, tools.ts) -> the same, the text as `{input}`.
// Items that follow one another from the assistant (reasoning, a message, calls) make one assistant turn, as one
// chat-completions message holds text and tool calls. Items the server cannot resolve are a 400 naming them: an
// `item_reference` (we store no responses), the calls and outputs of hosted or built-in tools.
import type { ContentPart, ImagePart, Message, TextPart } from '../../core/types.ts';
import { badRequest } from '../../server/http-error.ts';
import { at, isObject, notSupported, requireString, shallowArguments, simplified } from '../../server/wire/fields.ts';
import { imageFromUrl } from '../../server/wire/image-source.ts';
import { unseal } from './sealed-reasoning.ts';
import { flatName } from './tools.ts';

/** An item of an earlier answer, by id (item-memory.ts); undefined when it is not held. */
export type Recall = (id: string) => Record<string, unknown> | undefined;

export function readInput(input: unknown, instructions: unknown, recall: Recall = () => undefined): Message[] {
  const messages: Message[] = [];
  if (instructions !== undefined && instructions !== null) {
    if (typeof instructions !== 'string') throw badRequest('instructions', 'instructions must be a string');
    if (instructions !== '') messages.push({ role: 'system', content: instructions });
  }
  if (typeof input === 'string') {
    messages.push({ role: 'user', content: input });
    return messages;
  }
  if (!Array.isArray(input) || input.length === 0)
    throw badRequest('input', 'input must be a string or a non-empty array of input items');
  let assistant: ContentPart[] | undefined; // the assistant turn being gathered
  const endAssistant = () => {
    if (assistant?.length) messages.push({ role: 'assistant', content: simplified(assistant) });
    assistant = undefined;
  };
  const toAssistant = (part: ContentPart) => {
    assistant ??= [];
    assistant.push(part);
  };
  const read = (item: unknown, field: string): void => {
    if (!isObject(item)) throw badRequest(field, `${field} must be an input item object`);
    const type = item.type ?? 'message';
    switch (type) {
      case 'message': {
        const message = readMessage(item, field);
        if (message.role === 'assistant') {
          for (const part of message.content as ContentPart[]) toAssistant(part);
          return;
        }
        endAssistant();
        messages.push(message);
        return;
      }
      case 'reasoning': {
        const part = readReasoning(item, field);
        if (part) toAssistant(part);
        return;
      }
      case 'function_call':
      case 'custom_tool_call': {
        const name = requireString(item.name, at(field, 'name'));
        const namespace = item.namespace;
        if (namespace !== undefined && namespace !== null && typeof namespace !== 'string')
          throw badRequest(at(field, 'namespace'), `${at(field, 'namespace')} must be a string`);
        const args = type === 'function_call' ? item.arguments : item.input;
        const argsField = at(field, type === 'function_call' ? 'arguments' : 'input');
        if (typeof args !== 'string')
          throw badRequest(argsField, `${argsField} must be a string${type === 'function_call' ? ' of JSON' : ''}`);
        toAssistant({
          type: 'tool-call',
          id: requireString(item.call_id, at(field, 'call_id')),
          name: namespace ? flatName(namespace, name) : name,
          // A custom tool is a function of one string upstream (tools.ts).
          arguments: type === 'function_call' ? shallowArguments(args, argsField) : JSON.stringify({ input: args }),
        });
        return;
      }
      case 'function_call_output':
      case 'custom_tool_call_output': {
        endAssistant();
        messages.push({
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              callId: requireString(item.call_id, at(field, 'call_id')),
              content: outputOf(item.output, at(field, 'output')),
            },
          ],
        });
        return;
      }
      case 'item_reference': {
        const id = requireString(item.id, at(field, 'id'));
        const held = recall(id);
        if (!held)
          throw notSupported(
            field,
            `a reference to an item this server does not hold (${id.slice(0, 80)}: it keeps recent answers' items in memory only, for an hour)`,
            'send the items themselves (AI SDK: providerOptions.openai.store = false)',
          );
        read(held, field);
        return;
      }
      default:
        throw notSupported(at(field, 'type'), `input items of type ${JSON.stringify(type)}`);
    }
  };
  for (const [i, item] of input.entries()) read(item, at('input', i));
  endAssistant();
  return messages;
}

function readMessage(item: Record<string, unknown>, field: string): Message {
  const role = item.role;
  const content = item.content;
  switch (role) {
    case 'system':
    case 'developer':
      return { role: 'system', content: textOf(content, at(field, 'content'), ['input_text']) };
    case 'user':
      return { role: 'user', content: simplified(userParts(content, at(field, 'content'))) };
    case 'assistant': {
      const text = textOf(content, at(field, 'content'), ['output_text', 'input_text', 'refusal']);
      return { role: 'assistant', content: text === '' ? [] : [{ type: 'text', text }] };
    }
    default:
      throw badRequest(at(field, 'role'), `${at(field, 'role')} must be user, assistant, system or developer`);
  }
}

/** Text as a string, or the text of parts of the given types joined. */
function textOf(value: unknown, field: string, types: string[]): string {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) throw badRequest(field, `${field} must be a string or an array of content parts`);
  return value
    .map((part, j) => {
      const f = at(field, j);
      if (!isObject(part)) throw badRequest(f, `${f} must be a content part object`);
      if (typeof part.type !== 'string' || !types.includes(part.type))
        throw notSupported(at(f, 'type'), `content of type ${JSON.stringify(part.type)} here`, `send ${types[0]}`);
      const text = part.type === 'refusal' ? part.refusal : part.text;
      if (typeof text !== 'string') throw badRequest(f, `${f} must hold its text as a string`);
      return text;
    })
    .join('');
}

function userParts(value: unknown, field: string): Array<TextPart | ImagePart> {
  if (typeof value === 'string') return [{ type: 'text', text: value }];
  if (!Array.isArray(value)) throw badRequest(field, `${field} must be a string or an array of content parts`);
  return value.map((part, j) => contentPart(part, at(field, j)));
}

function contentPart(part: unknown, f: string): TextPart | ImagePart {
  if (!isObject(part)) throw badRequest(f, `${f} must be a content part object`);
  switch (part.type) {
    case 'input_text':
      if (typeof part.text !== 'string') throw badRequest(at(f, 'text'), `${at(f, 'text')} must be a string`);
      return { type: 'text', text: part.text };
    case 'input_image':
      if (part.file_id !== undefined && part.file_id !== null)
        throw notSupported(at(f, 'file_id'), 'uploaded files (this server stores none)', 'send image_url');
      return imageFromUrl(part.image_url, at(f, 'image_url'));
    case 'input_file':
      throw notSupported(f, 'file input (PDF and other documents)', 'send the text, or images as input_image');
    case 'input_audio':
      throw notSupported(f, 'audio input');
    default:
      throw notSupported(at(f, 'type'), `content of type ${JSON.stringify(part.type)}`);
  }
}

/** A function's output: a string, or input_text / input_image parts. */
function outputOf(value: unknown, field: string): string | Array<TextPart | ImagePart> {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) throw badRequest(field, `${field} must be a string or an array of content parts`);
  const parts = value.map((part, j) => contentPart(part, at(field, j)));
  return simplified(parts);
}

/** The reasoning we sealed, else its visible text (its `content`, else its summary); nothing: no part. */
function readReasoning(item: Record<string, unknown>, field: string): ContentPart | undefined {
  const texts = (value: unknown, name: string): string => {
    if (value === undefined || value === null) return '';
    if (!Array.isArray(value)) throw badRequest(at(field, name), `${at(field, name)} must be an array`);
    return value
      .map((part, j) =>
        isObject(part) && typeof part.text === 'string'
          ? part.text
          : (() => {
              throw badRequest(at(at(field, name), j), `${at(at(field, name), j)} must hold its text as a string`);
            })(),
      )
      .join('\n\n');
  };
  const text = texts(item.content, 'content') || texts(item.summary, 'summary');
  const sealed = typeof item.encrypted_content === 'string' ? unseal(item.encrypted_content) : undefined;
  if (sealed) return { type: 'reasoning', ...sealed };
  return text === '' ? undefined : { type: 'reasoning', text };
}

// OpenAI chat-completions `messages` -> the core's messages, following the API reference's message types
// (https://platform.openai.com/docs/api-reference/chat/create#chat-create-messages):
// - system / developer: text (a string or text parts) -> a system turn;
// - user: a string, or parts — text, and image_url (an https URL, or a `data:` URL made a base64 image part);
//   input_audio and file parts are refused by name;
// - assistant: text (string, text or refusal parts, or null), `tool_calls` -> tool-call parts (ids and argument
//   text verbatim), and `reasoning_content` (DeepSeek's, Kimi's and Qwen's field, sent back by some clients) ->
//   a reasoning part;
// - tool: `tool_call_id` and text -> a tool turn holding one tool-result part.
// A turn that is only text stays a string, as every turn did before parts existed.
import type { ContentPart, ImagePart, Message, TextPart } from '../../core/types.ts';
import { badRequest } from '../../server/http-error.ts';
import { imageFromUrl } from '../../server/wire/image-source.ts';
import { at, isObject, notSupported, requireString, shallowArguments, simplified } from '../../server/wire/fields.ts';

export function readOpenAiMessages(value: unknown): Message[] {
  if (!Array.isArray(value) || value.length === 0) throw badRequest('messages', 'messages must be a non-empty array');
  return value.map((m, i) => readMessage(m, at('messages', i)));
}

function readMessage(value: unknown, field: string): Message {
  if (!isObject(value)) throw badRequest(field, `${field} must be an object with role and content`);
  const role = value.role;
  if (value.audio !== undefined && value.audio !== null) throw notSupported(at(field, 'audio'), 'audio');
  switch (role) {
    case 'system':
    case 'developer':
      return { role: 'system', content: textOf(value.content, at(field, 'content')) };
    case 'user':
      return { role: 'user', content: simplified(userParts(value.content, at(field, 'content'))) };
    case 'assistant':
      return readAssistant(value, field);
    case 'tool': {
      const callId = requireString(value.tool_call_id, at(field, 'tool_call_id'));
      return {
        role: 'tool',
        content: [{ type: 'tool-result', callId, content: textOf(value.content, at(field, 'content')) }],
      };
    }
    case 'function':
      throw notSupported(
        at(field, 'role'),
        'the legacy function-calling API',
        'send tool results as role "tool" with tool_call_id',
      );
    default:
      throw badRequest(at(field, 'role'), `${at(field, 'role')} must be system, developer, user, assistant or tool`);
  }
}

function readAssistant(value: Record<string, unknown>, field: string): Message {
  if (value.function_call !== undefined && value.function_call !== null) {
    throw notSupported(at(field, 'function_call'), 'the legacy function-calling API', 'send tool_calls instead');
  }
  const parts: ContentPart[] = [];
  if (typeof value.reasoning_content === 'string' && value.reasoning_content !== '')
    parts.push({ type: 'reasoning', text: value.reasoning_content });
  const text =
    value.content === null || value.content === undefined
      ? ''
      : textOf(value.content, at(field, 'content'), { refusal: true });
  if (text !== '') parts.push({ type: 'text', text });
  const calls = value.tool_calls;
  if (calls !== undefined && calls !== null) {
    if (!Array.isArray(calls)) throw badRequest(at(field, 'tool_calls'), `${at(field, 'tool_calls')} must be an array`);
    calls.forEach((call, j) => {
      const f = at(at(field, 'tool_calls'), j);
      if (!isObject(call)) throw badRequest(f, `${f} must be a tool call object`);
      if (call.type !== undefined && call.type !== 'function')
        throw notSupported(at(f, 'type'), `tool calls of type ${JSON.stringify(call.type)}`);
      const fn = call.function;
      if (!isObject(fn))
        throw badRequest(at(f, 'function'), `${at(f, 'function')} must be an object with name and arguments`);
      if (typeof fn.arguments !== 'string')
        throw badRequest(
          at(at(f, 'function'), 'arguments'),
          `${at(at(f, 'function'), 'arguments')} must be a string of JSON`,
        );
      parts.push({
        type: 'tool-call',
        id: requireString(call.id, at(f, 'id')),
        name: requireString(fn.name, at(at(f, 'function'), 'name')),
        arguments: shallowArguments(fn.arguments, at(at(f, 'function'), 'arguments')),
      });
    });
  }
  return { role: 'assistant', content: simplified(parts) };
}

/** Text as a string, or text parts joined (an assistant's `refusal` parts are its text too). */
function textOf(value: unknown, field: string, options: { refusal?: boolean } = {}): string {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) throw badRequest(field, `${field} must be a string or an array of text parts`);
  return value
    .map((part, j) => {
      const f = at(field, j);
      if (!isObject(part)) throw badRequest(f, `${f} must be a content part object`);
      if (options.refusal && part.type === 'refusal' && typeof part.refusal === 'string') return part.refusal;
      if (part.type !== 'text') throw notSupported(f, `content of type ${JSON.stringify(part.type)} here`, 'send text');
      if (typeof part.text !== 'string') throw badRequest(at(f, 'text'), `${at(f, 'text')} must be a string`);
      return part.text;
    })
    .join('');
}

function userParts(value: unknown, field: string): Array<TextPart | ImagePart> {
  if (typeof value === 'string') return [{ type: 'text', text: value }];
  if (!Array.isArray(value)) throw badRequest(field, `${field} must be a string or an array of content parts`);
  return value.map((part, j): TextPart | ImagePart => {
    const f = at(field, j);
    if (!isObject(part)) throw badRequest(f, `${f} must be a content part object`);
    switch (part.type) {
      case 'text':
        if (typeof part.text !== 'string') throw badRequest(at(f, 'text'), `${at(f, 'text')} must be a string`);
        return { type: 'text', text: part.text };
      case 'image_url':
        return readImage(part.image_url, at(f, 'image_url'));
      case 'input_audio':
        throw notSupported(f, 'audio input');
      case 'file':
        throw notSupported(f, 'file input (PDF and other documents)', 'send the text, or images as image_url');
      default:
        throw notSupported(f, `content of type ${JSON.stringify(part.type)}`);
    }
  });
}

/** `{url, detail}`: an http(s) URL the provider fetches, or `data:<media type>;base64,<data>`. `detail` is a hint. */
function readImage(value: unknown, field: string): ImagePart {
  if (!isObject(value)) throw badRequest(field, `${field} must be an object with a url`);
  return imageFromUrl(value.url, at(field, 'url'));
}

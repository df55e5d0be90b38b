// OpenAI chat-completions request body -> WireRequest. Written from the API reference's request schema
// (https://platform.openai.com/docs/api-reference/chat/create): what the core can carry is translated, harmless
// hints are accepted, and what would change the answer's form (tools, images, response_format, …) is a 400 that
// names the field. Adding a feature later (the rich-messages issue) moves its field from UNSUPPORTED to the reader.
import type { Message } from '../../core/types.ts';
import { badRequest } from '../http-error.ts';
import {
  checkFields,
  isObject,
  notSupported,
  optionalBoolean,
  optionalNumberIn,
  optionalPositiveInt,
  requireString,
} from './fields.ts';
import type { WireRequest } from './request.ts';

const CARRIED = ['model', 'messages', 'max_tokens', 'max_completion_tokens', 'temperature', 'stream', 'stream_options'];
/** Accepted and not forwarded: they tune sampling or bookkeeping, never the shape of the answer. */
const HINTS = [
  'user', 'metadata', 'store', 'service_tier', 'seed', 'top_p', 'presence_penalty', 'frequency_penalty',
  'safety_identifier', 'prompt_cache_key', 'reasoning_effort', 'verbosity', 'parallel_tool_calls', 'n', 'logprobs', 'top_logprobs',
];
const KNOWN: ReadonlySet<string> = new Set([...CARRIED, ...HINTS]);

const UNSUPPORTED: Record<string, string> = {
  tools: 'tool calling',
  tool_choice: 'tool calling',
  functions: 'function calling',
  function_call: 'function calling',
  response_format: 'a response format (JSON mode / structured output)',
  audio: 'audio output',
  prediction: 'predicted output',
  stop: 'stop sequences',
  logit_bias: 'logit bias',
  web_search_options: 'web search',
};

export function readOpenAiRequest(body: unknown): WireRequest {
  if (!isObject(body)) throw badRequest('body', 'the request body must be a JSON object');
  checkFields(body, KNOWN, UNSUPPORTED);
  if (body.n !== undefined && body.n !== null && body.n !== 1) throw notSupported('n', 'more than one choice');
  if (body.logprobs === true) throw notSupported('logprobs', 'log probabilities');
  if (body.modalities !== undefined) throw notSupported('modalities', 'output modalities');
  const streamOptions = body.stream_options;
  if (streamOptions !== undefined && streamOptions !== null && !isObject(streamOptions)) {
    throw badRequest('stream_options', 'stream_options must be an object');
  }
  return {
    model: requireString(body.model, 'model'),
    messages: readMessages(body.messages),
    maxTokens: optionalPositiveInt(body.max_completion_tokens, 'max_completion_tokens') ?? optionalPositiveInt(body.max_tokens, 'max_tokens'),
    temperature: optionalNumberIn(body.temperature, 'temperature', 0, 2),
    stream: optionalBoolean(body.stream, 'stream') ?? false,
    includeUsage: optionalBoolean(streamOptions?.include_usage, 'stream_options.include_usage') ?? false,
  };
}

function readMessages(value: unknown): Message[] {
  if (!Array.isArray(value) || value.length === 0) throw badRequest('messages', 'messages must be a non-empty array');
  return value.map((m, i) => readMessage(m, `messages[${i}]`));
}

function readMessage(value: unknown, field: string): Message {
  if (!isObject(value)) throw badRequest(field, `${field} must be an object with role and content`);
  const role = value.role;
  if (role === 'tool' || role === 'function') throw notSupported(`${field}.role`, 'tool results');
  if (role !== 'system' && role !== 'developer' && role !== 'user' && role !== 'assistant') {
    throw badRequest(`${field}.role`, `${field}.role must be system, developer, user or assistant`);
  }
  if (Array.isArray(value.tool_calls) && value.tool_calls.length > 0) throw notSupported(`${field}.tool_calls`, 'tool calling');
  if (value.function_call !== undefined && value.function_call !== null) throw notSupported(`${field}.function_call`, 'function calling');
  if (value.audio !== undefined && value.audio !== null) throw notSupported(`${field}.audio`, 'audio');
  return { role: role === 'developer' ? 'system' : role, content: readContent(value.content, `${field}.content`) };
}

/** A string, or an array of text parts (joined); any other part (image_url, input_audio, file) is refused. */
function readContent(value: unknown, field: string): string {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) throw badRequest(field, `${field} must be a string or an array of text parts`);
  return value
    .map((part, j) => {
      const at = `${field}[${j}]`;
      if (!isObject(part)) throw badRequest(at, `${at} must be a content part object`);
      if (part.type === 'image_url') throw notSupported(at, 'images');
      if (part.type !== 'text') throw notSupported(at, `content of type ${JSON.stringify(part.type)}`);
      if (typeof part.text !== 'string') throw badRequest(`${at}.text`, `${at}.text must be a string`);
      return part.text;
    })
    .join('');
}

// OpenAI chat-completions request body -> WireRequest. Written from the API reference's request schema
// (https://platform.openai.com/docs/api-reference/chat/create): what the core can carry is translated — messages
// with content parts (messages-decode.ts), tools, tool_choice, parallel_tool_calls, response_format, stop —
// harmless hints are accepted, and what it cannot carry (audio, predicted output, more than one choice, log
// probabilities, the legacy `functions` API, non-function tools) is a 400 that names the field.
//
// Legacy function calling (`functions`, `function_call`, role `function`) is refused rather than translated: it was
// deprecated in favour of tools in 2023, and a client using it expects `message.function_call` back, a second answer
// shape for no client we know of. The 400 says to send `tools` / `tool_choice` instead.
import type { ResponseFormat, ToolChoice, ToolDefinition } from '../../core/types.ts';
import { badRequest } from '../../server/http-error.ts';
import {
  at,
  checkFields,
  isObject,
  notSupported,
  optionalBoolean,
  optionalNumberIn,
  optionalPositiveInt,
  optionalSchema,
  optionalStops,
  optionalString,
  requireString,
  withoutUndefined,
} from '../../server/wire/fields.ts';
import { readOpenAiMessages } from './messages-decode.ts';
import type { WireRequest } from '../../server/wire/request.ts';

const CARRIED = [
  'model',
  'messages',
  'max_tokens',
  'max_completion_tokens',
  'temperature',
  'stream',
  'stream_options',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'response_format',
  'stop',
  'reasoning_effort',
];
/** Accepted and not forwarded: they tune sampling or bookkeeping, never the shape of the answer. */
const HINTS = [
  'user',
  'metadata',
  'store',
  'service_tier',
  'seed',
  'top_p',
  'presence_penalty',
  'frequency_penalty',
  'safety_identifier',
  'prompt_cache_key',
  'verbosity',
  'n',
  'logprobs',
  'top_logprobs',
  'modalities',
];
const KNOWN: ReadonlySet<string> = new Set([...CARRIED, ...HINTS]);

const LEGACY = 'the legacy function-calling API (send `tools` and `tool_choice` instead)';
const UNSUPPORTED: Record<string, string> = {
  functions: LEGACY,
  function_call: LEGACY,
  audio: 'audio output',
  prediction: 'predicted output',
  logit_bias: 'logit bias',
  web_search_options: 'web search',
};

export function readOpenAiRequest(body: unknown): WireRequest {
  if (!isObject(body)) throw badRequest('body', 'the request body must be a JSON object');
  checkFields(body, KNOWN, UNSUPPORTED);
  if (body.n !== undefined && body.n !== null && body.n !== 1) throw notSupported('n', 'more than one choice');
  if (body.logprobs === true) throw notSupported('logprobs', 'log probabilities');
  const modalities = body.modalities;
  if (
    modalities !== undefined &&
    modalities !== null &&
    !(Array.isArray(modalities) && modalities.every((m) => m === 'text'))
  ) {
    throw notSupported('modalities', 'output modalities other than text');
  }
  const streamOptions = body.stream_options;
  if (streamOptions !== undefined && streamOptions !== null && !isObject(streamOptions)) {
    throw badRequest('stream_options', 'stream_options must be an object');
  }
  const request: WireRequest = {
    model: requireString(body.model, 'model'),
    messages: readOpenAiMessages(body.messages),
    maxTokens:
      optionalPositiveInt(body.max_completion_tokens, 'max_completion_tokens') ??
      optionalPositiveInt(body.max_tokens, 'max_tokens'),
    temperature: optionalNumberIn(body.temperature, 'temperature', 0, 2),
    stream: optionalBoolean(body.stream, 'stream') ?? false,
    includeUsage: optionalBoolean(streamOptions?.include_usage, 'stream_options.include_usage') ?? false,
    tools: readTools(body.tools),
    toolChoice: readToolChoice(body.tool_choice),
    parallelToolCalls: optionalBoolean(body.parallel_tool_calls, 'parallel_tool_calls'),
    responseFormat: readResponseFormat(body.response_format),
    stop: optionalStops(body.stop, 'stop', { single: true }),
    // An effort level for reasoning models; a provider or model that takes none drops it (request-encode.ts).
    reasoning:
      body.reasoning_effort === undefined || body.reasoning_effort === null
        ? undefined
        : { effort: requireString(body.reasoning_effort, 'reasoning_effort') },
  };
  return withoutUndefined(request);
}

/** `tools`: function tools only (`custom` tools take free text, which the message model has no place for). */
function readTools(value: unknown): ToolDefinition[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw badRequest('tools', 'tools must be an array of tool definitions');
  if (value.length === 0) return undefined;
  return value.map((tool, i) => {
    const field = at('tools', i);
    if (!isObject(tool)) throw badRequest(field, `${field} must be a tool object`);
    if (tool.type !== 'function')
      throw notSupported(at(field, 'type'), `tools of type ${JSON.stringify(tool.type)}`, 'send function tools');
    const fn = tool.function;
    if (!isObject(fn))
      throw badRequest(at(field, 'function'), `${at(field, 'function')} must be an object with a name`);
    const description = optionalString(fn.description, at(at(field, 'function'), 'description'));
    return {
      name: requireString(fn.name, at(at(field, 'function'), 'name')),
      ...(description !== undefined ? { description } : {}),
      // OpenAI: "Omitting parameters defines a function with an empty parameter list."
      parameters: optionalSchema(fn.parameters, at(at(field, 'function'), 'parameters')) ?? {
        type: 'object',
        properties: {},
      },
    };
  });
}

function readToolChoice(value: unknown): ToolChoice | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === 'auto' || value === 'none' || value === 'required') return { type: value };
  if (isObject(value) && value.type === 'function' && isObject(value.function)) {
    return { type: 'tool', name: requireString(value.function.name, 'tool_choice.function.name') };
  }
  if (isObject(value) && typeof value.type === 'string' && value.type !== 'function') {
    throw notSupported(
      'tool_choice.type',
      `tool_choice of type ${JSON.stringify(value.type)}`,
      'send auto, none, required or a function',
    );
  }
  throw badRequest(
    'tool_choice',
    'tool_choice must be "auto", "none", "required" or {"type": "function", "function": {"name": …}}',
  );
}

function readResponseFormat(value: unknown): ResponseFormat | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw badRequest('response_format', 'response_format must be an object with a type');
  if (value.type === 'text') return { type: 'text' };
  if (value.type === 'json_object') return { type: 'json' };
  if (value.type !== 'json_schema') {
    throw badRequest('response_format.type', 'response_format.type must be text, json_object or json_schema');
  }
  const spec = value.json_schema;
  if (!isObject(spec))
    throw badRequest(
      'response_format.json_schema',
      'response_format.json_schema must be an object with a name and a schema',
    );
  const description = optionalString(spec.description, 'response_format.json_schema.description');
  const strict = optionalBoolean(spec.strict, 'response_format.json_schema.strict');
  return {
    type: 'json-schema',
    name: requireString(spec.name, 'response_format.json_schema.name'),
    ...(description !== undefined ? { description } : {}),
    // OpenAI's schema is optional too ("the model will be asked for JSON"): an empty schema is any JSON object.
    schema: optionalSchema(spec.schema, 'response_format.json_schema.schema') ?? { type: 'object' },
    ...(strict !== undefined ? { strict } : {}),
  };
}

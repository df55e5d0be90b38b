// Responses API request body -> WireRequest, written from the API reference
// (https://platform.openai.com/docs/api-reference/responses/create) and from what Codex and the AI SDK send:
// `input` and `instructions` (input-decode.ts), function and namespace tools (tools.ts), `tool_choice`,
// `parallel_tool_calls`, `text.format`, `max_output_tokens`, `temperature` and `stream` are carried; hints are
// accepted (RESPONSES_FIELDS says which); what needs state on the server — `store: true`, `previous_response_id`, a
// `conversation`, a stored `prompt`, `background` runs — is a 400 naming the field: this server keeps nothing.
import type { ResponseFormat } from '../../core/types.ts';
import { badRequest } from '../../server/http-error.ts';
import { CARRIED, type FieldClass, refused, sortFields, TUNES } from '../../server/wire/field-policy.ts';
import {
  at,
  isObject,
  notSupported,
  optionalBoolean,
  optionalNumberIn,
  optionalPositiveInt,
  optionalSchema,
  optionalString,
  requireString,
  withoutUndefined,
} from '../../server/wire/fields.ts';
import type { WireRequest } from '../../server/wire/request.ts';
import { readInput } from './input-decode.ts';
import { recentItems } from './item-memory.ts';
import { readToolChoice, readTools, type ToolNames } from './tools.ts';

/**
 * Each top-level field's class (field-policy.ts). `store` is carried (false or absent: we store nothing; true is
 * refused in readResponsesRequest; absent, the answer's items are held in memory
 * for the `item_reference`s the AI SDK sends, item-memory.ts); `reasoning.effort` is carried (an OpenAI reasoning
 * model gets it; a Claude id asked with an effort takes the reasoning route), `reasoning.summary` tunes; `include` asks for extras (encrypted reasoning, logprobs) we send when we
 * have them; `truncation`, `max_tool_calls` and `top_logprobs` tune.
 */
export const RESPONSES_FIELDS: Readonly<Record<string, FieldClass>> = {
  model: CARRIED,
  input: CARRIED,
  instructions: CARRIED,
  tools: CARRIED,
  tool_choice: CARRIED,
  parallel_tool_calls: CARRIED,
  text: CARRIED,
  max_output_tokens: CARRIED,
  temperature: CARRIED,
  stream: CARRIED,
  store: CARRIED,
  background: CARRIED,
  reasoning: CARRIED,
  include: TUNES,
  metadata: TUNES,
  user: TUNES,
  safety_identifier: TUNES,
  service_tier: TUNES,
  prompt_cache_key: TUNES,
  prompt_cache_retention: TUNES,
  top_p: TUNES,
  top_logprobs: TUNES,
  truncation: TUNES,
  max_tool_calls: TUNES,
  stream_options: TUNES,
  client_metadata: TUNES,
  context_management: TUNES,
  previous_response_id: refused('previous_response_id (this server stores no responses)'),
  conversation: refused('conversations (this server stores none)'),
  prompt: refused('stored prompts (prompt ids live on OpenAI)'),
};

/** What the writers need from the request: the echoed fields of the response object, the tool names to restore. */
export interface ResponsesShape {
  names: ToolNames;
  /** Hold the answer's items for item references (item-memory.ts): the client did not say `store: false`. */
  remember: boolean;
  instructions: string | null;
  maxOutputTokens: number | null;
  temperature: number | null;
  parallelToolCalls: boolean;
  toolChoice: unknown;
  tools: unknown[];
  text: unknown;
  reasoning: unknown;
}

export function readResponsesRequest(body: unknown): WireRequest {
  if (!isObject(body)) throw badRequest('body', 'the request body must be a JSON object');
  const dropped = sortFields(body, RESPONSES_FIELDS);
  if (body.store === true)
    throw notSupported('store', 'stored responses (store: true)', 'send store: false (the answer is all you get)');
  optionalBoolean(body.store, 'store');
  if (optionalBoolean(body.background, 'background'))
    throw notSupported('background', 'background responses (they are stored)');
  const reasoning = readReasoning(body.reasoning);
  if (reasoning.summary) dropped.push('reasoning.summary');
  const tools = readTools(body.tools);
  dropped.push(...tools.dropped);
  const text = readText(body.text);
  if (text.verbosity) dropped.push('text.verbosity');
  const maxTokens = optionalPositiveInt(body.max_output_tokens, 'max_output_tokens');
  const temperature = optionalNumberIn(body.temperature, 'temperature', 0, 2);
  const parallel = optionalBoolean(body.parallel_tool_calls, 'parallel_tool_calls');
  const shape: ResponsesShape = {
    names: tools.names,
    remember: body.store !== false,
    instructions: typeof body.instructions === 'string' ? body.instructions : null,
    maxOutputTokens: maxTokens ?? null,
    temperature: temperature ?? null,
    parallelToolCalls: parallel ?? true,
    toolChoice: body.tool_choice ?? 'auto',
    tools: Array.isArray(body.tools) ? body.tools : [],
    text: { format: text.format && isObject(body.text) ? body.text.format : { type: 'text' } },
    reasoning: isObject(body.reasoning) ? body.reasoning : null,
  };
  return withoutUndefined<WireRequest>({
    model: requireString(body.model, 'model'),
    messages: readInput(body.input, body.instructions, (id) => recentItems.recall(id)),
    maxTokens,
    temperature,
    stream: optionalBoolean(body.stream, 'stream') ?? false,
    includeUsage: true,
    tools: tools.tools,
    toolChoice: readToolChoice(body.tool_choice, tools.names),
    parallelToolCalls: parallel,
    responseFormat: text.format,
    reasoning: reasoning.effort !== undefined ? { effort: reasoning.effort } : undefined,
    thinking: (reasoning.effort !== undefined && reasoning.effort !== 'none') || undefined,
    dropped: dropped.length ? dropped : undefined,
    answerShape: shape,
  });
}

/** `reasoning: {effort, summary}`: the effort as named (`none`, `minimal`, `low`, …); a summary is a hint. */
function readReasoning(value: unknown): { effort?: string; summary?: boolean } {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw badRequest('reasoning', 'reasoning must be an object ({"effort": …})');
  for (const key of Object.keys(value)) {
    if (key !== 'effort' && key !== 'summary' && key !== 'generate_summary')
      throw badRequest(at('reasoning', key), `reasoning.${key}: unrecognised request field`, 'unknown_field');
  }
  const effort = optionalString(value.effort, 'reasoning.effort');
  const summary = [value.summary, value.generate_summary].some((v) => v !== undefined && v !== null);
  return { ...(effort !== undefined ? { effort } : {}), summary };
}

/** `text: {format, verbosity}`: the format is the answer's form; verbosity a hint. */
function readText(value: unknown): { format?: ResponseFormat; verbosity?: boolean } {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw badRequest('text', 'text must be an object ({"format": …})');
  for (const key of Object.keys(value)) {
    if (key !== 'format' && key !== 'verbosity')
      throw badRequest(at('text', key), `text.${key}: unrecognised request field`, 'unknown_field');
  }
  return {
    format: readFormat(value.format),
    verbosity: value.verbosity !== undefined && value.verbosity !== null,
  };
}

/** `{type: text}`, `{type: json_object}` or `{type: json_schema, name, schema, description?, strict?}`. */
function readFormat(value: unknown): ResponseFormat | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw badRequest('text.format', 'text.format must be an object with a type');
  switch (value.type) {
    case 'text':
      return { type: 'text' };
    case 'json_object':
      return { type: 'json' };
    case 'json_schema': {
      const description = optionalString(value.description, 'text.format.description');
      const strict = optionalBoolean(value.strict, 'text.format.strict');
      const schema = optionalSchema(value.schema, 'text.format.schema');
      if (!schema) throw badRequest('text.format.schema', 'text.format.schema is required (a JSON Schema object)');
      return {
        type: 'json-schema',
        name: requireString(value.name, 'text.format.name'),
        ...(description !== undefined ? { description } : {}),
        schema,
        ...(strict !== undefined ? { strict } : {}),
      };
    }
    default:
      throw badRequest('text.format.type', 'text.format.type must be text, json_object or json_schema');
  }
}

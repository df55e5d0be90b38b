// Anthropic Messages request body -> WireRequest. Written from the API reference
// (https://docs.anthropic.com/en/api/messages): `system`, messages with their content blocks
// (messages-decode.ts), custom tools, tool_choice, stop_sequences and structured output (`output_config.format`
// or the beta `output_format`) are carried; hints that tune the upstream are accepted (ANTHROPIC_FIELDS says which);
// what the gateway cannot carry is a 400 naming the field: server tools (web search, code execution, bash, text
// editor, computer use), MCP servers, containers.
//
// `thinking` (a budget, or adaptive) and `output_config.effort` are carried as the request's `reasoning`, and
// `cache_control` on system blocks, tools and content blocks as provider hints: an Anthropic upstream gets them as
// sent; a codec that cannot take one drops it and names it in the request log. A thinking type newer than these is
// carried as sent to Anthropic (it also picks the reasoning route). Thinking blocks in the history are carried
// (reasoning parts, with their signatures).
// `count_tokens` takes the same body without max_tokens and stream.
import type { ReasoningRequest, ResponseFormat, ToolChoice, ToolDefinition } from '../../core/types.ts';
import { badRequest } from '../../server/http-error.ts';
import { blockHints, readAnthropicMessages, readAnthropicSystem } from './messages-decode.ts';
import {
  at,
  isObject,
  notSupported,
  optionalBoolean,
  optionalNumberIn,
  optionalPositiveInt,
  optionalSchema,
  optionalStops,
  optionalString,
  requireString,
  shallow,
  withoutUndefined,
} from '../../server/wire/fields.ts';
import type { WireRequest } from '../../server/wire/request.ts';
import { CARRIED, type FieldClass, refused, sortFields, TUNES } from '../../server/wire/field-policy.ts';

/**
 * Each top-level field's class (field-policy.ts). `thinking` is carried (to Anthropic upstreams; others drop it: a
 * budget only ever adds tokens). Inside `output_config`, `format` and `effort` are carried.
 */
export const ANTHROPIC_FIELDS: Readonly<Record<string, FieldClass>> = {
  model: CARRIED,
  messages: CARRIED,
  max_tokens: CARRIED,
  system: CARRIED,
  temperature: CARRIED,
  stream: CARRIED,
  tools: CARRIED,
  tool_choice: CARRIED,
  stop_sequences: CARRIED,
  output_format: CARRIED,
  output_config: CARRIED,
  metadata: TUNES,
  top_p: TUNES,
  top_k: TUNES,
  service_tier: TUNES,
  thinking: CARRIED,
  context_management: TUNES,
  prompt_cache_key: TUNES,
  inference_geo: TUNES,
  mcp_servers: refused('MCP servers'),
  container: refused('code-execution containers'),
};

export function readAnthropicRequest(body: unknown, options: { countTokens?: boolean } = {}): WireRequest {
  if (!isObject(body)) throw badRequest('body', 'the request body must be a JSON object');
  const dropped = sortFields(body, ANTHROPIC_FIELDS);
  const { on: thinking, carried: thinkingAsked } = readThinking(body.thinking);
  const output = readOutputConfig(body.output_config);
  const reasoning: ReasoningRequest = { ...thinkingAsked, ...(output.effort ? { effort: output.effort } : {}) };
  if (body.output_format !== undefined && body.output_format !== null && output.format)
    throw badRequest('output_format', 'send the output format once: output_config.format or output_format');
  const maxTokens = optionalPositiveInt(body.max_tokens, 'max_tokens');
  if (maxTokens === undefined && !options.countTokens)
    throw badRequest('max_tokens', 'max_tokens is required (a positive whole number)');
  const system = readAnthropicSystem(body.system);
  const choice = readToolChoice(body.tool_choice);
  return withoutUndefined<WireRequest>({
    model: requireString(body.model, 'model'),
    messages: [
      ...(system ? [{ role: 'system' as const, content: system }] : []),
      ...readAnthropicMessages(body.messages),
    ],
    maxTokens,
    temperature: optionalNumberIn(body.temperature, 'temperature', 0, 1),
    stream: optionalBoolean(body.stream, 'stream') ?? false,
    includeUsage: true,
    tools: readTools(body.tools),
    toolChoice: choice?.choice,
    parallelToolCalls: choice?.parallel,
    responseFormat: output.format ?? readOutputFormat(body.output_format, 'output_format'),
    stop: optionalStops(body.stop_sequences, 'stop_sequences', { single: false }),
    reasoning: Object.keys(reasoning).length ? reasoning : undefined,
    thinking: thinking || undefined,
    dropped: dropped.length ? dropped : undefined,
  });
}

/**
 * `{type: 'enabled', budget_tokens}`, `{type: 'adaptive'}` or `{type: 'disabled'}` (or a newer type): whether on, and
 * the switch as the core carries it — with the object as sent (`display` and the like) for an Anthropic upstream.
 * `disabled` is what a request without the field gets: nothing is carried.
 */
function readThinking(value: unknown): { on: boolean; carried?: ReasoningRequest } {
  if (value === undefined || value === null) return { on: false };
  if (!isObject(value) || typeof value.type !== 'string') {
    throw badRequest('thinking', 'thinking must be {"type": "enabled", "budget_tokens": …} or {"type": "disabled"}');
  }
  if (value.type === 'disabled') return { on: false };
  const hints = { hints: { thinking: shallow(value, 'thinking') } };
  if (value.type === 'enabled') {
    const budgetTokens = optionalPositiveInt(value.budget_tokens, 'thinking.budget_tokens');
    if (budgetTokens === undefined)
      throw badRequest('thinking.budget_tokens', 'thinking.budget_tokens is required (a positive whole number)');
    return { on: true, carried: { thinking: { type: 'enabled', budgetTokens }, ...hints } };
  }
  if (value.type === 'adaptive') return { on: true, carried: { thinking: { type: 'adaptive' }, ...hints } };
  return { on: true, carried: hints };
}

/** `output_config`: `format` (structured output, the GA spelling of `output_format`) and `effort` (a hint). */
function readOutputConfig(value: unknown): { format?: ResponseFormat; effort?: string } {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw badRequest('output_config', 'output_config must be an object');
  for (const key of Object.keys(value)) {
    if (key !== 'format' && key !== 'effort')
      throw badRequest(at('output_config', key), `output_config.${key}: unrecognised request field`, 'unknown_field');
  }
  return {
    format: readOutputFormat(value.format, 'output_config.format'),
    effort:
      value.effort === undefined || value.effort === null
        ? undefined
        : requireString(value.effort, 'output_config.effort'),
  };
}

/** Custom tools (`type` absent or `custom`); a server tool (`web_search_20250305`, `bash_20250124`, …) is refused. */
function readTools(value: unknown): ToolDefinition[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw badRequest('tools', 'tools must be an array of tool definitions');
  if (value.length === 0) return undefined;
  return value.map((tool, i) => {
    const field = at('tools', i);
    if (!isObject(tool)) throw badRequest(field, `${field} must be a tool object`);
    if (tool.type !== undefined && tool.type !== null && tool.type !== 'custom') {
      throw notSupported(
        at(field, 'type'),
        `server tools (${JSON.stringify(tool.type)}: Anthropic runs them itself)`,
        'send custom tools with an input_schema',
      );
    }
    const description = optionalString(tool.description, at(field, 'description'));
    const parameters = optionalSchema(tool.input_schema, at(field, 'input_schema'));
    if (!parameters)
      throw badRequest(at(field, 'input_schema'), `${at(field, 'input_schema')} is required (a JSON Schema object)`);
    return {
      name: requireString(tool.name, at(field, 'name')),
      ...(description !== undefined ? { description } : {}),
      parameters,
      ...blockHints(tool, field),
    };
  });
}

/** `{type: auto | any | tool | none, name?, disable_parallel_tool_use?}`: `any` is the core's `required`. */
function readToolChoice(value: unknown): { choice: ToolChoice; parallel?: boolean } | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw badRequest('tool_choice', 'tool_choice must be an object with a type');
  const disable = optionalBoolean(value.disable_parallel_tool_use, 'tool_choice.disable_parallel_tool_use');
  const parallel = disable === undefined ? undefined : !disable;
  switch (value.type) {
    case 'auto':
    case 'none':
      return { choice: { type: value.type }, parallel };
    case 'any':
      return { choice: { type: 'required' }, parallel };
    case 'tool':
      return { choice: { type: 'tool', name: requireString(value.name, 'tool_choice.name') }, parallel };
    default:
      throw badRequest('tool_choice.type', 'tool_choice.type must be auto, any, tool or none');
  }
}

/** Structured outputs: `{type: 'json_schema', schema}` (https://docs.anthropic.com/en/docs/build-with-claude/structured-outputs). */
function readOutputFormat(value: unknown, field: string): ResponseFormat | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value) || value.type !== 'json_schema')
    throw badRequest(field, `${field} must be {"type": "json_schema", "schema": {…}}`);
  const schema = optionalSchema(value.schema, at(field, 'schema'));
  if (!schema) throw badRequest(at(field, 'schema'), `${at(field, 'schema')} is required (a JSON Schema object)`);
  return { type: 'json-schema', schema };
}

// Anthropic Messages request body -> WireRequest. Written from the API reference
// (https://docs.anthropic.com/en/api/messages): `system`, messages with their content blocks
// (messages-decode.ts), custom tools, tool_choice, stop_sequences and structured output (`output_config.format`
// or the beta `output_format`) are carried; hints that tune the upstream are accepted (ANTHROPIC_FIELDS says which);
// what the gateway cannot carry is a 400 naming the field: server tools (web search, code execution, bash, text
// editor, computer use), MCP servers, containers.
//
// `thinking` (a thinking budget) is accepted as a hint and not forwarded, as OpenAI's `reasoning_effort` is: the core
// has no budget to hand an adapter yet, models that reason return their thinking anyway (as thinking blocks), and
// refusing it would turn away every request of an agent whose user switched thinking on (Claude Code does so per
// session). The budget only ever adds tokens, so dropping it never makes a call dearer. Thinking blocks in the
// history ARE carried (reasoning parts, with their signatures).
// `count_tokens` takes the same body without max_tokens and stream.
import type { ResponseFormat, ToolChoice, ToolDefinition } from '../../core/types.ts';
import { badRequest } from '../../server/http-error.ts';
import { readAnthropicMessages, readAnthropicSystem } from './messages-decode.ts';
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
  withoutUndefined,
} from '../../server/wire/fields.ts';
import type { WireRequest } from '../../server/wire/request.ts';
import { CARRIED, type FieldClass, refused, sortFields, TUNES } from '../../server/wire/field-policy.ts';

/**
 * Each top-level field's class (field-policy.ts). `thinking` tunes: a budget only ever adds tokens, and a model
 * that reasons returns its thinking anyway. Inside `output_config`, `format` is carried and `effort` tunes.
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
  thinking: TUNES,
  context_management: TUNES,
  prompt_cache_key: TUNES,
  inference_geo: TUNES,
  mcp_servers: refused('MCP servers'),
  container: refused('code-execution containers'),
};

export function readAnthropicRequest(body: unknown, options: { countTokens?: boolean } = {}): WireRequest {
  if (!isObject(body)) throw badRequest('body', 'the request body must be a JSON object');
  const thinking = thinkingOn(body.thinking);
  // `{type: 'disabled'}` is what a request without the field gets: nothing is dropped.
  const dropped = sortFields(body, ANTHROPIC_FIELDS).filter((f) => f !== 'thinking' || thinking);
  const output = readOutputConfig(body.output_config);
  if (output.effort) dropped.push('output_config.effort');
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
    thinking: thinking || undefined,
    dropped: dropped.length ? dropped : undefined,
  });
}

/** `{type: 'enabled', budget_tokens}`, `{type: 'adaptive'}` or `{type: 'disabled'}` (or a newer type): whether on. */
function thinkingOn(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (!isObject(value) || typeof value.type !== 'string') {
    throw badRequest('thinking', 'thinking must be {"type": "enabled", "budget_tokens": …} or {"type": "disabled"}');
  }
  return value.type !== 'disabled';
}

/** `output_config`: `format` (structured output, the GA spelling of `output_format`) and `effort` (a hint). */
function readOutputConfig(value: unknown): { format?: ResponseFormat; effort?: boolean } {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw badRequest('output_config', 'output_config must be an object');
  for (const key of Object.keys(value)) {
    if (key !== 'format' && key !== 'effort')
      throw badRequest(at('output_config', key), `output_config.${key}: unrecognised request field`, 'unknown_field');
  }
  return {
    format: readOutputFormat(value.format, 'output_config.format'),
    effort: value.effort !== undefined && value.effort !== null,
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

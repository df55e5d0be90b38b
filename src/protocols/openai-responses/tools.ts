// Responses API `tools` and `tool_choice` -> the core's tool definitions, following the API reference
// (https://platform.openai.com/docs/api-reference/responses/create#responses-create-tools). Function tools are
// carried; `custom` tools (free text) become functions of one string (readCustom); `namespace` tools (a group of
// functions, as Codex sends its sub-agent and MCP tools) are flattened into functions named `<namespace>__<name>`
// and named back on the way out (ToolNames); hosted tools — OpenAI runs them itself — follow TOOL_TYPES: a 400
// naming the tool, except a web search told not to reach the web and `tool_search`, which ask for nothing the model
// cannot do without and are dropped (and logged).
import type { ToolChoice, ToolDefinition } from '../../core/types.ts';
import { CARRIED, type FieldClass, refused, TUNES } from '../../server/wire/field-policy.ts';
import { at, isObject, notSupported, optionalSchema, optionalString, requireString } from '../../server/wire/fields.ts';
import { badRequest } from '../../server/http-error.ts';

/** A flattened tool's name as the client knows it: in a namespace or not. */
export interface ClientToolName {
  name: string;
  namespace?: string;
  /** A `custom` tool: sent upstream as a function of one string, `input`; its calls are `custom_tool_call`s. */
  custom?: boolean;
}

/** Flattened name -> the client's own name, for the tool calls of the answer. */
export type ToolNames = Map<string, ClientToolName>;

/**
 * Each tool type's class, in field-policy.ts's terms: `carried` ones become function tools, `tunes` ones are dropped
 * and logged, `changes-meaning` ones are a 400. `web_search` is in `DROPPABLE_WHEN` as well: Codex sends it with
 * `external_web_access: false` (search OpenAI's cache only) by default; without the web the model answers from what
 * it has, which every other model does anyway, so that one is dropped; a search that may reach the web is refused.
 */
export const TOOL_TYPES: Readonly<Record<string, FieldClass>> = {
  function: CARRIED,
  namespace: CARRIED,
  web_search: refused('hosted tools ("web_search": OpenAI runs it itself)'),
  web_search_2025_08_26: refused('hosted tools ("web_search_2025_08_26": OpenAI runs it itself)'),
  web_search_preview: refused('hosted tools ("web_search_preview": OpenAI runs it itself)'),
  web_search_preview_2025_03_11: refused('hosted tools ("web_search_preview_2025_03_11": OpenAI runs it itself)'),
  file_search: refused('hosted tools ("file_search": it searches OpenAI vector stores)'),
  code_interpreter: refused('hosted tools ("code_interpreter": OpenAI runs it itself)'),
  computer_use_preview: refused('hosted tools ("computer_use_preview")'),
  computer: refused('hosted tools ("computer")'),
  image_generation: refused('hosted tools ("image_generation": OpenAI runs it itself)'),
  mcp: refused('hosted tools ("mcp": OpenAI calls the MCP server itself)'),
  local_shell: refused('the built-in "local_shell" tool (send it as a function tool)'),
  shell: refused('the built-in "shell" tool (send it as a function tool)'),
  apply_patch: refused('the built-in "apply_patch" tool (send it as a function tool)'),
  custom: CARRIED,
  // OpenAI's search over tools marked `defer_loading`: every tool is sent to the model here, so none needs finding.
  tool_search: TUNES,
};

/**
 * What to send instead of a refused tool. Codex sends a live `web_search` when its sandbox is off
 * (`--dangerously-bypass-approvals-and-sandbox`); its `web_search` setting takes it out.
 */
const WEB_SEARCH_INSTEAD =
  'send it with "external_web_access": false, or leave it out (Codex: web_search = "disabled" in config.toml)';
const INSTEAD: Readonly<Record<string, string>> = {
  web_search: WEB_SEARCH_INSTEAD,
  web_search_2025_08_26: WEB_SEARCH_INSTEAD,
  web_search_preview: WEB_SEARCH_INSTEAD,
  web_search_preview_2025_03_11: WEB_SEARCH_INSTEAD,
};
const DEFAULT_INSTEAD = 'send function tools';

/** Tool types that are dropped, not refused, when this holds of the tool. */
const DROPPABLE_WHEN: Readonly<Record<string, (tool: Record<string, unknown>) => boolean>> = {
  web_search: (tool) => tool.external_web_access === false,
};

/** The separator of a flattened namespace tool: a name the model can call (`^[a-zA-Z0-9_-]{1,64}$`). */
const SEP = '__';

export function flatName(namespace: string, name: string): string {
  return namespace.endsWith('_') ? `${namespace}${name}` : `${namespace}${SEP}${name}`;
}

export interface ReadTools {
  tools?: ToolDefinition[];
  names: ToolNames;
  /** The hosted tools dropped (`tools[1] (web_search)`), for the request log. */
  dropped: string[];
}

export function readTools(value: unknown): ReadTools {
  const names: ToolNames = new Map();
  const dropped: string[] = [];
  if (value === undefined || value === null) return { names, dropped };
  if (!Array.isArray(value)) throw badRequest('tools', 'tools must be an array of tool definitions');
  const tools: ToolDefinition[] = [];
  value.forEach((tool, i) => {
    const field = at('tools', i);
    if (!isObject(tool)) throw badRequest(field, `${field} must be a tool object`);
    const type = tool.type;
    const rule = typeof type === 'string' && Object.hasOwn(TOOL_TYPES, type) ? TOOL_TYPES[type] : undefined;
    if (typeof type === 'string' && DROPPABLE_WHEN[type]?.(tool)) {
      dropped.push(`${field} (${type})`);
      return;
    }
    if (!rule) throw notSupported(at(field, 'type'), `tools of type ${JSON.stringify(type)}`, 'send function tools');
    if (rule.class === 'changes-meaning')
      throw notSupported(at(field, 'type'), rule.what, (typeof type === 'string' && INSTEAD[type]) || DEFAULT_INSTEAD);
    if (rule.class === 'tunes') {
      dropped.push(`${field} (${String(type)})`);
      return;
    }
    if (type === 'function' || type === 'custom') {
      const [fn, custom] = readOne(tool, field);
      if (names.has(fn.name)) throw badRequest(at(field, 'name'), `${at(field, 'name')}: two tools named ${fn.name}`);
      names.set(fn.name, { name: fn.name, ...(custom ? { custom } : {}) });
      tools.push(fn);
      return;
    }
    const namespace = requireString(tool.name, at(field, 'name'));
    const inner = tool.tools;
    if (!Array.isArray(inner)) throw badRequest(at(field, 'tools'), `${at(field, 'tools')} must be an array of tools`);
    const description = optionalString(tool.description, at(field, 'description'));
    inner.forEach((member, j) => {
      const f = at(at(field, 'tools'), j);
      if (!isObject(member)) throw badRequest(f, `${f} must be a tool object`);
      if (member.type !== 'function' && member.type !== 'custom')
        throw notSupported(
          at(f, 'type'),
          `tools of type ${JSON.stringify(member.type)} in a namespace`,
          'send functions',
        );
      const [fn, custom] = readOne(member, f);
      const flat = flatName(namespace, fn.name);
      if (names.has(flat)) throw badRequest(at(f, 'name'), `${at(f, 'name')}: two tools named ${flat}`);
      names.set(flat, { name: fn.name, namespace, ...(custom ? { custom } : {}) });
      tools.push({
        ...fn,
        name: flat,
        ...(description ? { description: fn.description ? `${description}\n\n${fn.description}` : description } : {}),
      });
    });
  });
  return { ...(tools.length ? { tools } : {}), names, dropped };
}

/** A function tool, or a custom one as a function of one string; true: it was custom. */
function readOne(tool: Record<string, unknown>, field: string): [ToolDefinition, boolean] {
  return tool.type === 'custom' ? [readCustom(tool, field), true] : [readFunction(tool, field), false];
}

/** `{type: 'function', name, description?, parameters?, strict?}`: the Responses API's flat function shape. */
function readFunction(tool: Record<string, unknown>, field: string): ToolDefinition {
  const description = optionalString(tool.description, at(field, 'description'));
  return {
    name: requireString(tool.name, at(field, 'name')),
    ...(description !== undefined ? { description } : {}),
    parameters: optionalSchema(tool.parameters, at(field, 'parameters')) ?? { type: 'object', properties: {} },
  };
}

/**
 * `{type: 'custom', name, description?, format?}`: a tool that takes free text (Codex's `apply_patch` for the
 * models it knows), which only OpenAI's models can call as such. Every other model gets a function of one string,
 * `input`, with the text's grammar (`format: {type: 'grammar', syntax, definition}`) in its description; the call
 * goes back to the client as a `custom_tool_call` with that string as its `input`.
 */
function readCustom(tool: Record<string, unknown>, field: string): ToolDefinition {
  const description = optionalString(tool.description, at(field, 'description'));
  const format = tool.format;
  let grammar = '';
  if (isObject(format) && format.type === 'grammar') {
    const syntax = optionalString(format.syntax, at(at(field, 'format'), 'syntax')) ?? 'lark';
    const definition = requireString(format.definition, at(at(field, 'format'), 'definition'));
    grammar = `The input must follow this ${syntax} grammar:\n${definition}`;
  } else if (format !== undefined && format !== null && !(isObject(format) && format.type === 'text')) {
    throw badRequest(at(field, 'format'), `${at(field, 'format')} must be {"type": "text"} or a grammar`);
  }
  return {
    name: requireString(tool.name, at(field, 'name')),
    ...(description !== undefined ? { description } : {}),
    parameters: {
      type: 'object',
      properties: { input: { type: 'string', description: grammar || 'The free-form text input.' } },
      required: ['input'],
      additionalProperties: false,
    },
  };
}

/** A custom tool's call arguments (`{"input": …}`) as the text the client gets; arguments that are not, as sent. */
export function customInput(args: string): string {
  try {
    const parsed: unknown = JSON.parse(args);
    if (isObject(parsed) && typeof parsed.input === 'string') return parsed.input;
  } catch {
    // not JSON: the model wrote the text itself
  }
  return args;
}

/** `auto | none | required`, `{type: 'function', name}` (a namespace's function: `namespace` beside it). */
export function readToolChoice(value: unknown, names: ToolNames): ToolChoice | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === 'auto' || value === 'none' || value === 'required') return { type: value };
  if (isObject(value) && value.type === 'function') {
    const name = requireString(value.name, 'tool_choice.name');
    const namespace = optionalString(value.namespace, 'tool_choice.namespace');
    const flat = namespace ? flatName(namespace, name) : name;
    if (!names.has(flat)) throw badRequest('tool_choice.name', `tool_choice.name: no function tool named ${flat}`);
    return { type: 'tool', name: flat };
  }
  if (isObject(value) && typeof value.type === 'string') {
    throw notSupported(
      'tool_choice.type',
      `tool_choice of type ${JSON.stringify(value.type)}`,
      'send auto, none, required or {"type": "function", "name": …}',
    );
  }
  throw badRequest('tool_choice', 'tool_choice must be "auto", "none", "required" or {"type": "function", "name": …}');
}

/** A tool call's name as the client knows it (a flattened namespace tool named back). */
export function clientName(names: ToolNames, flat: string): ClientToolName {
  return names.get(flat) ?? { name: flat };
}

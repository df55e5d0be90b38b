// Anthropic Messages request body -> WireRequest. Written from the API reference
// (https://docs.anthropic.com/en/api/messages): `system` and text blocks are carried, harmless hints accepted, and
// anything the text path cannot carry (tools, images, documents, thinking, stop sequences) is a 400 naming the
// field. `count_tokens` takes the same body without max_tokens and stream.
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

const CARRIED = ['model', 'messages', 'max_tokens', 'system', 'temperature', 'stream'];
/** Accepted and not forwarded: sampling and bookkeeping hints. */
const HINTS = ['metadata', 'top_p', 'top_k', 'service_tier'];
const KNOWN: ReadonlySet<string> = new Set([...CARRIED, ...HINTS]);

const UNSUPPORTED: Record<string, string> = {
  tools: 'tool use',
  tool_choice: 'tool use',
  thinking: 'extended thinking',
  stop_sequences: 'stop sequences',
  mcp_servers: 'MCP servers',
  container: 'code-execution containers',
  output_format: 'a response format (structured output)',
  context_management: 'context management',
};

export function readAnthropicRequest(body: unknown, options: { countTokens?: boolean } = {}): WireRequest {
  if (!isObject(body)) throw badRequest('body', 'the request body must be a JSON object');
  checkFields(body, KNOWN, UNSUPPORTED);
  const maxTokens = optionalPositiveInt(body.max_tokens, 'max_tokens');
  if (maxTokens === undefined && !options.countTokens) throw badRequest('max_tokens', 'max_tokens is required (a positive whole number)');
  const system = readSystem(body.system);
  return {
    model: requireString(body.model, 'model'),
    messages: [...(system ? [{ role: 'system' as const, content: system }] : []), ...readMessages(body.messages)],
    maxTokens,
    temperature: optionalNumberIn(body.temperature, 'temperature', 0, 1),
    stream: optionalBoolean(body.stream, 'stream') ?? false,
    includeUsage: true,
  };
}

function readSystem(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = typeof value === 'string' ? value : readBlocks(value, 'system');
  return text.trim() ? text : undefined;
}

function readMessages(value: unknown): Message[] {
  if (!Array.isArray(value) || value.length === 0) throw badRequest('messages', 'messages must be a non-empty array');
  return value.map((m, i) => {
    const field = `messages[${i}]`;
    if (!isObject(m)) throw badRequest(field, `${field} must be an object with role and content`);
    if (m.role !== 'user' && m.role !== 'assistant') throw badRequest(`${field}.role`, `${field}.role must be user or assistant`);
    const content = typeof m.content === 'string' ? m.content : readBlocks(m.content, `${field}.content`);
    return { role: m.role, content };
  });
}

/** Text blocks, joined; an image, document, tool_use, tool_result or thinking block is refused by name. */
function readBlocks(value: unknown, field: string): string {
  if (!Array.isArray(value)) throw badRequest(field, `${field} must be a string or an array of content blocks`);
  return value
    .map((block, j) => {
      const at = `${field}[${j}]`;
      if (!isObject(block)) throw badRequest(at, `${at} must be a content block object`);
      if (block.type === 'image') throw notSupported(at, 'images');
      if (block.type === 'tool_use' || block.type === 'tool_result') throw notSupported(at, 'tool use');
      if (block.type !== 'text') throw notSupported(at, `content blocks of type ${JSON.stringify(block.type)}`);
      if (typeof block.text !== 'string') throw badRequest(`${at}.text`, `${at}.text must be a string`);
      return block.text;
    })
    .join('');
}

// Anthropic Messages `messages` (and `system`) -> the core's messages, following the API reference's content
// blocks (https://docs.anthropic.com/en/api/messages, https://docs.anthropic.com/en/docs/build-with-claude/tool-use):
// - user turns: text and image blocks (base64 or URL source); tool_result blocks are split out into `tool` turns of
//   their own, in place (a user turn [result a, result b, text] becomes a tool turn [a, b], then a user turn
//   [text]); a result's content is a string or text and image blocks, `is_error` kept;
// - assistant turns: text, tool_use (its `input` object becomes the argument JSON text; the id kept verbatim) and
//   thinking blocks (a reasoning part, with the signature Anthropic wants back in a tool loop);
// - anything else (documents, redacted thinking, server tool blocks, search results) is a 400 naming the block.
// `cache_control` on a block is a provider hint carried on its part (core ProviderHints): an Anthropic upstream gets
// it where the client put it, others drop it and say so. `citations` is not forwarded.
import type { ContentPart, ImagePart, Message, ProviderHints, TextPart, ToolResultPart } from '../../core/types.ts';
import { badRequest } from '../../server/http-error.ts';
import { base64Image, imageFromUrl } from '../../server/wire/image-source.ts';
import { at, isObject, notSupported, requireString, shallow, simplified } from '../../server/wire/fields.ts';

/** The system prompt: its text, or its text parts when a block carries a hint (a cache breakpoint). */
export function readAnthropicSystem(value: unknown): string | TextPart[] | undefined {
  if (value === undefined || value === null) return undefined;
  const system = readSystemTurn(value, 'system');
  const text = typeof system === 'string' ? system : system.map((p) => p.text).join('');
  return text.trim() ? system : undefined;
}

function readSystemTurn(content: unknown, field: string): string | TextPart[] {
  return typeof content === 'string' ? content : simplified(textBlocks(content, field));
}

/** A block's `cache_control`, as the part's hint. */
export function blockHints(block: Record<string, unknown>, f: string): { hints?: ProviderHints } {
  const control = block.cache_control;
  if (control === undefined || control === null) return {};
  const g = at(f, 'cache_control');
  if (!isObject(control)) throw badRequest(g, `${g} must be an object like {"type": "ephemeral"}`);
  return { hints: { cacheControl: shallow(control, g) } };
}

export function readAnthropicMessages(value: unknown): Message[] {
  if (!Array.isArray(value) || value.length === 0) throw badRequest('messages', 'messages must be a non-empty array');
  return value.flatMap((m, i) => {
    const field = at('messages', i);
    if (!isObject(m)) throw badRequest(field, `${field} must be an object with role and content`);
    // A system turn inside `messages` (Claude Code's mid-conversation system beta) stays a system message where it
    // stands: an Anthropic upstream gets it folded into `system`, an OpenAI one as a system turn.
    if (m.role === 'system')
      return [{ role: 'system' as const, content: readSystemTurn(m.content, at(field, 'content')) }];
    if (m.role !== 'user' && m.role !== 'assistant')
      throw badRequest(at(field, 'role'), `${at(field, 'role')} must be user, assistant or system`);
    if (typeof m.content === 'string') return [{ role: m.role, content: m.content }];
    if (!Array.isArray(m.content))
      throw badRequest(at(field, 'content'), `${at(field, 'content')} must be a string or an array of content blocks`);
    return m.role === 'user'
      ? userTurns(m.content, at(field, 'content'))
      : [assistantTurn(m.content, at(field, 'content'))];
  });
}

/** A user turn's blocks, tool results split into tool turns where they stand. */
function userTurns(blocks: unknown[], field: string): Message[] {
  const turns: Message[] = [];
  let run: { role: 'user'; parts: Array<TextPart | ImagePart> } | { role: 'tool'; parts: ToolResultPart[] } | undefined;
  blocks.forEach((block, j) => {
    const f = at(field, j);
    if (!isObject(block)) throw badRequest(f, `${f} must be a content block object`);
    if (block.type === 'tool_result') {
      if (run?.role !== 'tool') turns.push({ role: 'tool', content: (run = { role: 'tool', parts: [] }).parts });
      run.parts.push(toolResult(block, f));
      return;
    }
    if (run?.role !== 'user') turns.push({ role: 'user', content: (run = { role: 'user', parts: [] }).parts });
    run.parts.push(userBlock(block, f));
  });
  // An empty block list is an empty user turn, as the API would read it.
  if (turns.length === 0) return [{ role: 'user', content: '' }];
  return turns.map((t) => (t.role === 'user' ? { role: 'user', content: simplified(t.content as ContentPart[]) } : t));
}

function userBlock(block: Record<string, unknown>, f: string): TextPart | ImagePart {
  switch (block.type) {
    case 'text':
      return text(block, f);
    case 'image':
      return image(block, f);
    case 'document':
      throw notSupported(f, 'document blocks (PDF and other files)', 'send the text, or images as image blocks');
    default:
      throw notSupported(f, `content blocks of type ${JSON.stringify(block.type)} in a user turn`);
  }
}

function toolResult(block: Record<string, unknown>, f: string): ToolResultPart {
  const callId = requireString(block.tool_use_id, at(f, 'tool_use_id'));
  const content = block.content;
  let parts: string | Array<TextPart | ImagePart> = '';
  if (typeof content === 'string') parts = content;
  else if (Array.isArray(content)) {
    const read = content.map((b, k) => {
      const g = at(at(f, 'content'), k);
      if (!isObject(b)) throw badRequest(g, `${g} must be a content block object`);
      if (b.type === 'text') return text(b, g);
      if (b.type === 'image') return image(b, g);
      throw notSupported(g, `content blocks of type ${JSON.stringify(b.type)} in a tool result`, 'send text or images');
    });
    parts = simplified(read);
  } else if (content !== undefined && content !== null) {
    throw badRequest(at(f, 'content'), `${at(f, 'content')} must be a string or an array of text and image blocks`);
  }
  return {
    type: 'tool-result',
    callId,
    content: parts,
    ...(block.is_error === true ? { isError: true } : {}),
    ...blockHints(block, f),
  };
}

function assistantTurn(blocks: unknown[], field: string): Message {
  const parts = blocks.map((block, j): ContentPart => {
    const f = at(field, j);
    if (!isObject(block)) throw badRequest(f, `${f} must be a content block object`);
    switch (block.type) {
      case 'text':
        return text(block, f);
      case 'tool_use': {
        if (!isObject(block.input)) throw badRequest(at(f, 'input'), `${at(f, 'input')} must be an object`);
        return {
          type: 'tool-call',
          id: requireString(block.id, at(f, 'id')),
          name: requireString(block.name, at(f, 'name')),
          arguments: JSON.stringify(shallow(block.input, at(f, 'input'))),
          ...blockHints(block, f),
        };
      }
      case 'thinking': {
        if (typeof block.thinking !== 'string')
          throw badRequest(at(f, 'thinking'), `${at(f, 'thinking')} must be a string`);
        const signature =
          typeof block.signature === 'string' && block.signature !== '' ? { signature: block.signature } : {};
        return { type: 'reasoning', text: block.thinking, ...signature };
      }
      case 'redacted_thinking':
        throw notSupported(f, 'redacted thinking blocks (encrypted reasoning only Anthropic can read)');
      default:
        throw notSupported(f, `content blocks of type ${JSON.stringify(block.type)} in an assistant turn`);
    }
  });
  return { role: 'assistant', content: simplified(parts) };
}

function text(block: Record<string, unknown>, f: string): TextPart {
  if (typeof block.text !== 'string') throw badRequest(at(f, 'text'), `${at(f, 'text')} must be a string`);
  return { type: 'text', text: block.text, ...blockHints(block, f) };
}

/** `source`: `{type: 'base64', media_type, data}` or `{type: 'url', url}`; a Files API id is not carried. */
function image(block: Record<string, unknown>, f: string): ImagePart {
  const source = block.source;
  const s = at(f, 'source');
  if (!isObject(source)) throw badRequest(s, `${s} must be an object with a type`);
  const hints = blockHints(block, f);
  if (source.type === 'base64')
    return { ...base64Image(source.media_type, source.data, at(s, 'media_type'), at(s, 'data')), ...hints };
  if (source.type === 'url') return { ...imageFromUrl(source.url, at(s, 'url')), ...hints };
  throw notSupported(at(s, 'type'), `image sources of type ${JSON.stringify(source.type)}`, 'send base64 or url');
}

/** Text blocks (the system prompt). */
function textBlocks(value: unknown, field: string): TextPart[] {
  if (!Array.isArray(value)) throw badRequest(field, `${field} must be a string or an array of text blocks`);
  return value.map((block, j) => {
    const f = at(field, j);
    if (!isObject(block)) throw badRequest(f, `${f} must be a content block object`);
    if (block.type !== 'text')
      throw notSupported(f, `content blocks of type ${JSON.stringify(block.type)} in the system prompt`, 'send text');
    return text(block, f);
  });
}

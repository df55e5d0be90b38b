// The body of an Anthropic Messages request, from the provider-neutral call (core/messages.ts), as the Messages API
// reference describes it (docs.anthropic.com/en/api/messages) and @anthropic-ai/sdk types it:
// - `system` as text blocks, one per system message (Anthropic has no system turns);
// - user turns with text and image blocks (base64 source, or a url source; a `data:` URL becomes base64);
// - assistant turns with thinking blocks (only those carrying Anthropic's signature: Anthropic refuses unsigned
//   thinking, so reasoning from another provider is left out), text, and tool_use blocks whose `input` is the
//   call's arguments parsed;
// - tool turns become tool_result blocks in a user turn, and turns of one role in a row merge into one, tool
//   results first: Anthropic wants user and assistant to alternate and the results right after the tool_use turn;
// - ids through core/tool-ids.ts, the same in tool_use.id and tool_result.tool_use_id, so a loop whose calls came
//   from an OpenAI-compatible model (Kimi: `functions.get_weather:0`) goes on here after a fallback;
// - tools, tool_choice (required → any; parallelToolCalls false → disable_parallel_tool_use), stop_sequences;
// - a JSON response format as a forced tool (json-answer-tool.ts);
// - provider hints applied as Anthropic reads them: `cache_control` on the system, tool, text, image, tool_use and
//   tool_result blocks that carried it (a turn holding one stays blocks, never collapsed to a string), `thinking`
//   (a budget, or adaptive) and `output_config.effort`. Thinking beside the forced JSON tool is dropped and reported:
//   Anthropic refuses thinking when tool use is forced.
import type {
  ContentBlockParam,
  ImageBlockParam,
  MessageCreateParamsStreaming,
  MessageParam,
  TextBlockParam,
  Tool,
  ToolChoice as AnthropicToolChoice,
  ToolResultBlockParam,
} from '@anthropic-ai/sdk/resources/messages/messages';
import { answerBudget } from '../../core/answer-budget.ts';
import { UpstreamError } from '../../core/errors.ts';
import { anthropicToolId } from '../../core/tool-ids.ts';
import type {
  AdapterCall,
  ContentPart,
  ImageSource,
  Message,
  ProviderHints,
  ToolCallPart,
  ToolChoice,
} from '../../core/types.ts';
import { messageParts } from '../../core/types.ts';
import { jsonAnswerTool } from './json-answer-tool.ts';

export interface AnthropicRequest {
  params: MessageCreateParamsStreaming;
  /** The forced tool that carries a JSON answer, when the call asked for one: its input is the answer's text. */
  jsonTool?: string;
  /** The JSON answer's schema was wrapped under `answer` (its root was not an object): unwrap the tool's input. */
  jsonWrapped?: boolean;
  /** Hints the call carried that this request could not take. */
  dropped: string[];
}

type CacheControl = NonNullable<TextBlockParam['cache_control']>;

/** A hinted part's `cache_control`, spread into the block that carries it. */
function cache(part: { hints?: ProviderHints }): { cache_control?: CacheControl } {
  const control = part.hints?.cacheControl;
  return control ? { cache_control: control as unknown as CacheControl } : {};
}

export function anthropicRequest(call: AdapterCall): AnthropicRequest {
  const system = call.messages
    .filter((m) => m.role === 'system')
    .flatMap((m): TextBlockParam[] => textBlocks(messageParts(m)));
  const { tools, toolChoice, jsonTool, jsonWrapped } = toolsOf(call);
  const dropped: string[] = [];
  const thinking = thinkingOf(call, jsonTool, dropped);
  const effort = effortOf(call.reasoning?.effort, dropped);
  const params: MessageCreateParamsStreaming = {
    model: call.upstreamModel,
    max_tokens: answerBudget(call.provider, call.maxTokens),
    messages: anthropicMessages(call),
    ...(system.length ? { system } : {}),
    ...(call.temperature === undefined ? {} : { temperature: call.temperature }),
    ...(tools.length ? { tools } : {}),
    ...(toolChoice ? { tool_choice: toolChoice } : {}),
    ...(call.stop?.length ? { stop_sequences: call.stop } : {}),
    ...(thinking ? { thinking } : {}),
    ...(effort ? { output_config: { effort } } : {}),
    stream: true,
  } as MessageCreateParamsStreaming;
  return { params, ...(jsonTool ? { jsonTool } : {}), ...(jsonWrapped ? { jsonWrapped } : {}), dropped };
}

/** Anthropic's effort levels (`output_config.effort`). */
const ANTHROPIC_EFFORT = new Set(['low', 'medium', 'high', 'xhigh', 'max']);

/**
 * An effort level as Anthropic takes it. OpenAI clients (Codex, /v1/responses) may send `minimal`, the nearest being
 * `low`; `none` or a level Anthropic does not know would be a 400 there, so it is left out and reported instead.
 */
function effortOf(effort: string | undefined, dropped: string[]): string | undefined {
  if (effort === undefined) return undefined;
  if (effort === 'minimal') return 'low';
  if (ANTHROPIC_EFFORT.has(effort)) return effort;
  dropped.push('effort');
  return undefined;
}

/** The thinking switch as Anthropic takes it; none beside a forced tool, which Anthropic refuses with thinking on. */
function thinkingOf(call: AdapterCall, jsonTool: string | undefined, dropped: string[]): object | undefined {
  const asked = call.reasoning?.thinking;
  const sent = call.reasoning?.hints?.thinking;
  if (!asked && !sent) return undefined;
  if (jsonTool) {
    dropped.push('thinking');
    return undefined;
  }
  if (sent) return sent; // as the client wrote it, for an Anthropic upstream
  return asked!.type === 'adaptive' ? { type: 'adaptive' } : { type: 'enabled', budget_tokens: asked!.budgetTokens };
}

function toolsOf(call: AdapterCall): {
  tools: Tool[];
  toolChoice?: AnthropicToolChoice;
  jsonTool?: string;
  jsonWrapped?: boolean;
} {
  const noParallel = call.parallelToolCalls === false ? { disable_parallel_tool_use: true } : {};
  const own = (call.tools ?? []).map(
    (t): Tool => ({
      name: t.name,
      ...(t.description ? { description: t.description } : {}),
      // Anthropic requires the schema's `type: object`; clients often send `{}` for a tool without arguments.
      input_schema: { type: 'object', ...t.parameters } as Tool['input_schema'],
      ...cache(t),
    }),
  );
  const answer = jsonAnswerTool(
    call.responseFormat,
    own.map((t) => t.name),
  );
  if (answer) {
    const json = answer.tool;
    // The model's own tools stay callable beside the answer tool unless the caller said none; either way it must
    // call one (`any`), or the one the caller named.
    const usable = call.toolChoice?.type === 'none' ? [] : own;
    const named = call.toolChoice?.type === 'tool' ? call.toolChoice.name : undefined;
    const toolChoice: AnthropicToolChoice = named
      ? { type: 'tool', name: named, ...noParallel }
      : usable.length
        ? { type: 'any', ...noParallel }
        : { type: 'tool', name: json.name };
    return { tools: [...usable, json], toolChoice, jsonTool: json.name, jsonWrapped: answer.wrapped };
  }
  if (!own.length) return { tools: [] };
  const choice: ToolChoice = call.toolChoice ?? { type: 'auto' };
  const toolChoice: AnthropicToolChoice | undefined =
    choice.type === 'none'
      ? { type: 'none' }
      : choice.type === 'tool'
        ? { type: 'tool', name: choice.name, ...noParallel }
        : call.toolChoice || call.parallelToolCalls === false
          ? { type: choice.type === 'required' ? 'any' : 'auto', ...noParallel }
          : undefined;
  return { tools: own, ...(toolChoice ? { toolChoice } : {}) };
}

function textBlocks(parts: ContentPart[]): TextBlockParam[] {
  // Anthropic refuses empty text blocks.
  return parts.flatMap((p) =>
    p.type === 'text' && p.text ? [{ type: 'text' as const, text: p.text, ...cache(p) }] : [],
  );
}

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

function imageBlock(source: ImageSource): ImageBlockParam {
  const data = source.kind === 'url' ? DATA_URL.exec(source.url) : null;
  if (source.kind === 'base64' || data) {
    const [mediaType, base64] = source.kind === 'base64' ? [source.mediaType, source.data] : [data![1]!, data![2]!];
    return { type: 'image', source: { type: 'base64', media_type: mediaType as 'image/png', data: base64 } };
  }
  return { type: 'image', source: { type: 'url', url: source.url } };
}

/** A tool call's arguments as the object Anthropic's `input` must be; empty text is an empty object. */
function toolInput(call: AdapterCall, part: ToolCallPart): Record<string, unknown> {
  if (!part.arguments.trim()) return {};
  let value: unknown;
  try {
    value = JSON.parse(part.arguments);
  } catch {
    value = undefined;
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  // Sending {} would change what the model is told it did; refusing says which call is wrong.
  const provider = call.provider.id;
  throw new UpstreamError({
    provider,
    kind: 'bad_request',
    message: `${provider}: tool call ${part.id} (${part.name}) has arguments that are not a JSON object, and Anthropic takes only objects`,
  });
}

function blocksOf(call: AdapterCall, m: Message): ContentBlockParam[] {
  const blocks: ContentBlockParam[] = [];
  for (const p of messageParts(m)) {
    switch (p.type) {
      case 'text':
        if (p.text) blocks.push({ type: 'text', text: p.text, ...cache(p) });
        break;
      case 'image':
        blocks.push({ ...imageBlock(p.source), ...cache(p) });
        break;
      case 'reasoning':
        // Anthropic checks the signature of thinking it gets back; thinking from another provider has none.
        if (p.signature) blocks.push({ type: 'thinking', thinking: p.text, signature: p.signature });
        break;
      case 'tool-call':
        blocks.push({
          type: 'tool_use',
          id: anthropicToolId(p.id),
          name: p.name,
          input: toolInput(call, p),
          ...cache(p),
        });
        break;
      case 'tool-result': {
        const content: ToolResultBlockParam['content'] =
          typeof p.content === 'string'
            ? p.content
            : p.content.map((c) =>
                c.type === 'text'
                  ? { type: 'text' as const, text: c.text, ...cache(c) }
                  : { ...imageBlock(c.source), ...cache(c) },
              );
        blocks.push({
          type: 'tool_result',
          tool_use_id: anthropicToolId(p.callId),
          content,
          ...(p.isError ? { is_error: true } : {}),
          ...cache(p),
        });
        break;
      }
    }
  }
  return blocks;
}

function anthropicMessages(call: AdapterCall): MessageParam[] {
  const turns: Array<{ role: 'user' | 'assistant'; content: ContentBlockParam[] }> = [];
  for (const m of call.messages) {
    if (m.role === 'system') continue;
    const role = m.role === 'assistant' ? 'assistant' : 'user';
    const blocks = blocksOf(call, m);
    if (!blocks.length) continue; // Anthropic refuses empty turns
    const last = turns.at(-1);
    if (last?.role === role) last.content.push(...blocks);
    else turns.push({ role, content: blocks });
  }
  for (const t of turns) {
    // Tool results lead their user turn (stable: results in call order, then the rest as written).
    if (t.role === 'user')
      t.content.sort((a, b) => Number(b.type === 'tool_result') - Number(a.type === 'tool_result'));
  }
  return turns.map((t) =>
    // A turn of plain text stays a string: the shape every Anthropic-compatible server takes.
    t.content.length === 1 && t.content[0]!.type === 'text' && !t.content[0]!.cache_control
      ? { role: t.role, content: (t.content[0] as TextBlockParam).text }
      : t,
  );
}

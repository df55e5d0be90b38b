// The body of an OpenAI chat-completions request, from the provider-neutral call (core/messages.ts), as the API
// reference describes it (platform.openai.com/docs/api-reference/chat/create) and openai-node 6 types it:
// - user content as parts when it holds images (`image_url` with an https or `data:` URL), else a string;
// - assistant tool calls as `tool_calls[{id, type: 'function', function: {name, arguments}}]` (content null when
//   the turn had no text), tool results as `role: 'tool'` messages with their `tool_call_id`;
// - tools, tool_choice, parallel_tool_calls (only beside tools: OpenAI refuses it alone), response_format, stop.
// Reasoning parts are not sent back — the API has no field for them, and DeepSeek's reasoner refuses
// `reasoning_content` in input messages (api-docs.deepseek.com/guides/reasoning_model) — except to providers whose
// thinking models require it on assistant turns with tool calls (REASONING_ON_TOOL_TURNS).
// Hints: an effort level becomes `reasoning_effort` for a reasoning model of a provider known to take it
// (REASONING_EFFORT); `cache_control`, a thinking budget and any effort not sent are reported by openAiDroppedHints
// (OpenAI caches prompts on its own and has no budget to give).
import type {
  ChatCompletionContentPart,
  ChatCompletionCreateParamsStreaming,
  ChatCompletionMessageParam,
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionTool,
  ChatCompletionToolChoiceOption,
} from 'openai/resources/chat/completions';
import { objectRootSchema } from '../../core/json-schema-root.ts';
import type { AdapterCall, ContentPart, ImageSource, Message, ResponseFormat, ToolChoice } from '../../core/types.ts';
import { messageParts } from '../../core/types.ts';

/**
 * Providers whose thinking models refuse an assistant turn with tool calls that lacks `reasoning_content`: Moonshot
 * (kimi-k2.5 thinks by default and answers 400 "thinking is enabled but reasoning_content is missing in assistant
 * tool call message at index N" — seen by opencode#16318, continuedev/continue#11711, mastra#12592). They get the
 * turn's reasoning back, or, when the turn has none (its calls were made by another provider before a fallback,
 * or by a client that dropped it), a placeholder: an empty string counts as missing (earendil-works/pi#4251).
 */
const REASONING_ON_TOOL_TURNS: ReadonlySet<string> = new Set(['moonshot']);
const NO_REASONING = '.';

/**
 * Providers that take `reasoning_effort` on their reasoning models (platform.openai.com/docs/guides/reasoning).
 * Others refuse it or take other values (Groq's qwen3 only `none`/`default`), so they do not get it.
 */
const REASONING_EFFORT: ReadonlySet<string> = new Set(['openai']);

const sendsEffort = (call: AdapterCall) =>
  call.reasoning?.effort !== undefined && call.reasoningModel === true && REASONING_EFFORT.has(call.provider.id);

/** The call's provider hints this request leaves out, named for the request log. */
export function openAiDroppedHints(call: AdapterCall): string[] {
  const dropped: string[] = [];
  const hinted = [...(call.tools ?? []), ...call.messages.flatMap(messageParts)].some(
    (p) => 'hints' in p && p.hints?.cacheControl,
  );
  if (hinted) dropped.push('cache_control');
  if (call.reasoning?.thinking || call.reasoning?.hints?.thinking) dropped.push('thinking');
  if (call.reasoning?.effort !== undefined && !sendsEffort(call)) dropped.push('effort');
  return dropped;
}

export function openAiRequest(call: AdapterCall): ChatCompletionCreateParamsStreaming {
  const tools = call.tools?.length ? call.tools : undefined;
  return {
    model: call.upstreamModel,
    messages: openAiMessages(call.messages, { reasoningOnToolTurns: REASONING_ON_TOOL_TURNS.has(call.provider.id) }),
    stream: true,
    // Ask for real token counts unless the provider is known to reject the option.
    ...(call.provider.streamUsage === false ? {} : { stream_options: { include_usage: true } }),
    // OpenAI's own newer models reject max_tokens; most compatible vendors only know max_tokens.
    ...(call.maxTokens === undefined
      ? {}
      : call.provider.id === 'openai'
        ? { max_completion_tokens: call.maxTokens }
        : { max_tokens: call.maxTokens }),
    ...(call.temperature === undefined ? {} : { temperature: call.temperature }),
    ...(tools
      ? {
          tools: tools.map(
            (t): ChatCompletionTool => ({
              type: 'function',
              function: {
                name: t.name,
                ...(t.description ? { description: t.description } : {}),
                parameters: t.parameters,
              },
            }),
          ),
        }
      : {}),
    ...(tools && call.toolChoice ? { tool_choice: toolChoice(call.toolChoice) } : {}),
    ...(tools && call.parallelToolCalls !== undefined ? { parallel_tool_calls: call.parallelToolCalls } : {}),
    ...(call.responseFormat && call.responseFormat.type !== 'text'
      ? { response_format: responseFormat(call.responseFormat) }
      : {}),
    ...(call.stop?.length ? { stop: call.stop } : {}),
    ...(sendsEffort(call) ? { reasoning_effort: call.reasoning!.effort as 'low' } : {}),
  };
}

function toolChoice(choice: ToolChoice): ChatCompletionToolChoiceOption {
  return choice.type === 'tool' ? { type: 'function', function: { name: choice.name } } : choice.type;
}

/** True when the call's JSON schema is sent wrapped as {"answer": schema} (its root is not an object). */
export function wrapsAnswer(call: AdapterCall): boolean {
  return call.responseFormat?.type === 'json-schema' && objectRootSchema(call.responseFormat.schema).wrapped;
}

/**
 * OpenAI's json_schema needs a name matching ^[a-zA-Z0-9_-]{1,64}$; `response` when the caller gave none. Its root
 * must be an object: another root is wrapped under `answer` (core/json-schema-root.ts), unwrapped by the adapter.
 */
function responseFormat(
  format: Exclude<ResponseFormat, { type: 'text' }>,
): NonNullable<ChatCompletionCreateParamsStreaming['response_format']> {
  if (format.type === 'json') return { type: 'json_object' };
  return {
    type: 'json_schema',
    json_schema: {
      name: format.name ?? 'response',
      ...(format.description ? { description: format.description } : {}),
      schema: objectRootSchema(format.schema).schema,
      ...(format.strict !== undefined ? { strict: format.strict } : {}),
    },
  };
}

export function imageUrl(source: ImageSource): string {
  return source.kind === 'url' ? source.url : `data:${source.mediaType};base64,${source.data}`;
}

const textOf = (parts: ContentPart[]) => parts.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('');

function userContent(parts: ContentPart[]): string | ChatCompletionContentPart[] {
  if (parts.every((p) => p.type === 'text')) return textOf(parts);
  return parts.flatMap((p): ChatCompletionContentPart[] => {
    if (p.type === 'text') return [{ type: 'text', text: p.text }];
    if (p.type === 'image') return [{ type: 'image_url', image_url: { url: imageUrl(p.source) } }];
    return [];
  });
}

/**
 * The conversation in OpenAI's shape. A tool result's images cannot go in a `tool` message (text only), so they
 * follow the run of tool messages as one user message, the way a person would show them.
 */
export function openAiMessages(
  messages: Message[],
  options: { reasoningOnToolTurns?: boolean } = {},
): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = [];
  let toolImages: ChatCompletionContentPart[] = [];
  const flushImages = () => {
    if (toolImages.length) out.push({ role: 'user', content: toolImages });
    toolImages = [];
  };
  for (const m of messages) {
    const parts = messageParts(m);
    if (m.role !== 'tool') flushImages();
    switch (m.role) {
      case 'system':
        out.push({ role: 'system', content: textOf(parts) });
        break;
      case 'user':
        out.push({ role: 'user', content: userContent(parts) });
        break;
      case 'assistant': {
        const calls = parts.flatMap((p): ChatCompletionMessageFunctionToolCall[] =>
          p.type === 'tool-call'
            ? [{ id: p.id, type: 'function', function: { name: p.name, arguments: p.arguments } }]
            : [],
        );
        const text = textOf(parts);
        const reasoning = parts.flatMap((p) => (p.type === 'reasoning' ? [p.text] : [])).join('');
        const echo =
          calls.length && options.reasoningOnToolTurns ? { reasoning_content: reasoning || NO_REASONING } : {};
        out.push({
          role: 'assistant',
          content: calls.length && !text ? null : text,
          ...(calls.length ? { tool_calls: calls } : {}),
          ...echo,
        });
        break;
      }
      case 'tool':
        for (const p of parts) {
          if (p.type !== 'tool-result') continue;
          let text = '';
          for (const c of typeof p.content === 'string' ? [{ type: 'text' as const, text: p.content }] : p.content) {
            if (c.type === 'text') text += c.text;
            else toolImages.push({ type: 'image_url', image_url: { url: imageUrl(c.source) } });
          }
          out.push({ role: 'tool', tool_call_id: p.callId, content: text });
        }
        break;
    }
  }
  flushImages();
  return out;
}

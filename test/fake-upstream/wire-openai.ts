// An OpenAI chat.completion and its stream of chat.completion.chunk objects, as the API reference describes them
// (platform.openai.com/docs/api-reference/chat/streaming) and openai-node 6 types them (ChatCompletionChunk:
// choices[].delta.{role, content, tool_calls[{index, id, type, function: {name, arguments}}]}, finish_reason; usage
// on a last chunk with `choices: []` when stream_options.include_usage). Reasoning travels as
// `delta.reasoning_content` / `message.reasoning_content`, DeepSeek's field that Kimi, Qwen and SiliconFlow copy
// (api-docs.deepseek.com/guides/reasoning_model).

import { chunksOf, finishOf, nextId, toolCallsOf, usageOf, type Counts } from './answer.ts';
import type { Step } from './types.ts';
import type { SseEvent } from './wire.ts';

function usageBody(u: Counts) {
  return {
    prompt_tokens: u.input,
    completion_tokens: u.output,
    total_tokens: u.input + u.output,
    ...(u.cacheRead !== undefined ? { prompt_tokens_details: { cached_tokens: u.cacheRead } } : {}),
    ...(u.reasoning !== undefined ? { completion_tokens_details: { reasoning_tokens: u.reasoning } } : {}),
  };
}

export function openaiStream(step: Step, model: string, includeUsage: boolean): SseEvent[] {
  const id = nextId('chatcmpl-fake');
  const created = Math.floor(Date.now() / 1000);
  const usage = usageOf(step);
  // With include_usage, every chunk carries "usage": null and a final chunk with empty choices carries the numbers.
  const chunk = (choices: unknown[], extra: object = {}) =>
    JSON.stringify({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      choices,
      ...(includeUsage ? { usage: null } : {}),
      ...extra,
    });
  const delta = (d: object, content = true): SseEvent => ({
    content,
    data: chunk([{ index: 0, delta: d, logprobs: null, finish_reason: null }]),
  });
  const events: SseEvent[] = [delta({ role: 'assistant', content: '' }, false)];
  for (const r of step.reasoning ?? []) events.push(delta({ reasoning_content: r }));
  for (const t of chunksOf(step)) events.push(delta({ content: t }));
  const index = (i: number) => (step.omitToolIndex ? {} : { index: i });
  for (const [i, call] of toolCallsOf(step, 'openai').entries()) {
    const id = call.id === null ? {} : { id: call.id };
    if (step.toolCallChunks === 'whole') {
      events.push(
        delta({
          tool_calls: [
            { ...index(i), ...id, type: 'function', function: { name: call.name, arguments: call.arguments } },
          ],
        }),
      );
      continue;
    }
    // OpenAI: the first delta of an index names the call with empty arguments; the fragments follow alone.
    events.push(
      delta(
        { tool_calls: [{ ...index(i), ...id, type: 'function', function: { name: call.name, arguments: '' } }] },
        false,
      ),
    );
    for (const f of call.fragments) events.push(delta({ tool_calls: [{ ...index(i), function: { arguments: f } }] }));
  }
  events.push({ data: chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: finishOf(step, 'openai') }]) });
  if (includeUsage && usage) events.push({ data: chunk([], { usage: usageBody(usage) }) });
  events.push({ data: '[DONE]', terminator: true });
  return events;
}

export function openaiJson(step: Step, model: string) {
  const usage = usageOf(step);
  const calls = toolCallsOf(step, 'openai');
  const text = chunksOf(step).join('');
  const message = {
    role: 'assistant',
    // OpenAI sends content null beside tool calls when the model wrote no text.
    content: text || !calls.length ? text : null,
    ...(step.reasoning ? { reasoning_content: step.reasoning.join('') } : {}),
    ...(calls.length
      ? {
          tool_calls: calls.map((c) => ({
            ...(c.id === null ? {} : { id: c.id }),
            type: 'function',
            function: { name: c.name, arguments: c.arguments },
          })),
        }
      : {}),
  };
  return {
    id: nextId('chatcmpl-fake'),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishOf(step, 'openai') }],
    ...(usage ? { usage: usageBody(usage) } : {}),
  };
}

// An Anthropic Message and its stream of events, as the streaming reference describes them
// (docs.anthropic.com/en/docs/build-with-claude/streaming, "Streaming request with tool use" and "with extended
// thinking") and @anthropic-ai/sdk types them (RawMessageStreamEvent): message_start (usage: input side, cache
// reads/writes beside input_tokens), one content block after another — thinking (thinking_delta…, then a
// signature_delta just before its content_block_stop), text (text_delta…), tool_use (started with `input: {}`,
// then input_json_delta partial_json fragments, the first one empty) — each content_block_start … _stop, then
// message_delta(s) with stop_reason and cumulative output_tokens, then message_stop.

import { chunksOf, finishOf, nextId, toolCallsOf, usageOf, type Counts } from './answer.ts';
import type { Step } from './types.ts';
import type { SseEvent } from './wire.ts';

const DEFAULT_SIGNATURE = 'sig-fake-1';

function inputUsage(u: Counts) {
  return {
    input_tokens: u.input,
    ...(u.cacheWrite !== undefined ? { cache_creation_input_tokens: u.cacheWrite } : {}),
    ...(u.cacheRead !== undefined ? { cache_read_input_tokens: u.cacheRead } : {}),
  };
}

/** A tool_use block's `input`: the arguments as an object (a scripted text that is no JSON object gives {}). */
function inputOf(args: string): unknown {
  try {
    const v: unknown = JSON.parse(args);
    return v && typeof v === 'object' && !Array.isArray(v) ? v : {};
  } catch {
    return {};
  }
}

export function anthropicStream(step: Step, model: string): SseEvent[] {
  const usage = usageOf(step);
  const ev = (event: string, payload: object, flags: Partial<SseEvent> = {}): SseEvent => ({
    event,
    data: JSON.stringify({ type: event, ...payload }),
    ...flags,
  });
  const message = {
    id: nextId('msg_fake'),
    type: 'message',
    role: 'assistant',
    model,
    content: [],
    stop_reason: null,
    stop_sequence: null,
    ...(usage ? { usage: { ...inputUsage(usage), output_tokens: 1 } } : {}),
  };
  const events: SseEvent[] = [ev('message_start', { message })];
  let index = 0;
  const block = (start: object, deltas: SseEvent[]) => {
    events.push(ev('content_block_start', { index, content_block: start }));
    if (index === 0) events.push(ev('ping', {}));
    events.push(...deltas);
    events.push(ev('content_block_stop', { index }));
    index++;
  };
  const delta = (d: object, content = true) => ev('content_block_delta', { index, delta: d }, { content });

  if (step.reasoning) {
    block({ type: 'thinking', thinking: '', signature: '' }, [
      ...step.reasoning.map((t) => delta({ type: 'thinking_delta', thinking: t })),
      delta({ type: 'signature_delta', signature: step.reasoningSignature ?? DEFAULT_SIGNATURE }, false),
    ]);
  }
  const text = chunksOf(step);
  const calls = toolCallsOf(step, 'anthropic');
  // A text block when there is text, and always when there is nothing else (an empty answer is one empty block).
  if (text.length || (!calls.length && !step.reasoning)) {
    block(
      { type: 'text', text: '' },
      text.map((t) => delta({ type: 'text_delta', text: t })),
    );
  }
  for (const call of calls) {
    block({ type: 'tool_use', id: call.id, name: call.name, input: {} }, [
      delta({ type: 'input_json_delta', partial_json: '' }, false),
      ...call.fragments.map((f) => delta({ type: 'input_json_delta', partial_json: f })),
    ]);
  }
  // message_delta usage is cumulative: with several deltas the counts grow and only the last one is the total.
  const outputs = usage ? (step.cumulativeOutput ?? [usage.output]) : [undefined];
  outputs.forEach((out, i) => {
    const last = i === outputs.length - 1;
    const d = { stop_reason: last ? finishOf(step, 'anthropic') : null, stop_sequence: null };
    events.push(ev('message_delta', { delta: d, ...(out !== undefined ? { usage: { output_tokens: out } } : {}) }));
  });
  events.push(ev('message_stop', {}, { terminator: true }));
  return events;
}

export function anthropicJson(step: Step, model: string) {
  const usage = usageOf(step);
  const output = step.cumulativeOutput?.at(-1) ?? usage?.output;
  const text = chunksOf(step);
  const calls = toolCallsOf(step, 'anthropic');
  const content = [
    ...(step.reasoning
      ? [
          {
            type: 'thinking',
            thinking: step.reasoning.join(''),
            signature: step.reasoningSignature ?? DEFAULT_SIGNATURE,
          },
        ]
      : []),
    ...(text.length || (!calls.length && !step.reasoning) ? [{ type: 'text', text: text.join('') }] : []),
    ...calls.map((c) => ({ type: 'tool_use', id: c.id, name: c.name, input: inputOf(c.arguments) })),
  ];
  return {
    id: nextId('msg_fake'),
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: finishOf(step, 'anthropic'),
    stop_sequence: null,
    ...(usage ? { usage: { ...inputUsage(usage), output_tokens: output } } : {}),
  };
}

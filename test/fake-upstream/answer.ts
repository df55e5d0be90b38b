// What a scripted answer holds, whichever wire carries it: its text, reasoning and tool calls with their ids, its
// token counts and its finish reason.
import type { Step, WireFormat } from './types.ts';

const DEFAULT_TEXT = ['Hello', ', ', 'world'];

/** The text chunks: the default greeting, unless the step says otherwise or answers with tool calls. */
export function chunksOf(step: Step): string[] {
  return step.text ?? (step.toolCalls?.length ? [] : DEFAULT_TEXT);
}

export type Counts = NonNullable<Step['usage']>;

export function usageOf(step: Step): Counts | null {
  if (step.usage === null) return null;
  const chunks =
    chunksOf(step).length +
    (step.reasoning?.length ?? 0) +
    (step.toolCalls ?? []).reduce((n, c) => n + c.arguments.length, 0);
  return step.usage ?? { input: 11, output: chunks };
}

/**
 * A provider never answers past the max tokens the request asked for: it stops there, with its wire's length
 * finish (OpenAI `length`, Anthropic `max_tokens`). A step scripted longer is cut to the limit.
 */
export function withinMaxTokens(step: Step, body: any, format: WireFormat): Step {
  const limit = body?.max_completion_tokens ?? body?.max_tokens;
  const usage = usageOf(step);
  if (typeof limit !== 'number' || !usage || usage.output <= limit) return step;
  return { ...step, usage: { ...usage, output: limit }, finish: format === 'openai' ? 'length' : 'max_tokens' };
}

/** The step's tool calls with their wire ids: the scripted id, else a default (null stays null: no id sent). */
export function toolCallsOf(step: Step, format: WireFormat) {
  const prefix = format === 'openai' ? 'call_fake_' : 'toolu_fake_';
  return (step.toolCalls ?? []).map((c, i) => ({
    id: c.id === undefined || (c.id === null && format === 'anthropic') ? `${prefix}${i + 1}` : c.id,
    name: c.name,
    fragments: c.arguments,
    arguments: c.arguments.join(''),
  }));
}

/** The wire's finish reason: the scripted one, else tool calls' own reason when the step makes any. */
export function finishOf(step: Step, format: WireFormat): string {
  if (step.finish) return step.finish;
  if (step.toolCalls?.length) return format === 'openai' ? 'tool_calls' : 'tool_use';
  return format === 'openai' ? 'stop' : 'end_turn';
}

let seq = 0;
export const nextId = (prefix: string) => `${prefix}${Date.now().toString(36)}${(++seq).toString(36)}`;

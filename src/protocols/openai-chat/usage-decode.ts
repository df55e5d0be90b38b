// Where the servers that speak OpenAI chat completions put token counts in a stream, and where they put reasoning
// text (wire knowledge: the reader takes whichever field a chunk holds, so it needs no provider id):
//   chunk.usage on a final chunk with `choices: []`   OpenAI with stream_options.include_usage
//                                                     (platform.openai.com/docs/api-reference/chat-streaming)
//   chunk.choices[0].usage                             Moonshot (platform.moonshot.cn/docs/api/chat, streaming)
//   chunk.x_groq.usage                                 Groq, on the last chunk (console.groq.com/docs/api-reference)
//   chunk.usage on every chunk, cumulative             SiliconFlow: the last one wins, never a sum
//   delta.reasoning_content                            DeepSeek-style reasoning (SiliconFlow, DashScope, Moonshot
//                                                      thinking models); delta.reasoning: Groq (docs/reasoning)
// Reasoning tokens: completion_tokens_details.reasoning_tokens; cache reads: prompt_tokens_details.cached_tokens,
// Moonshot's top-level cached_tokens, DeepSeek's prompt_cache_hit_tokens.
import type { Usage } from '../../core/types.ts';

type Loose = Record<string, unknown> | undefined | null;

// Any number is taken as reported, even one that cannot be a count (negative, fractional, 1e300): the gateway's
// usage check (core/usage-check.ts) decides what to believe, and warns naming the provider. Dropping it here would
// estimate the call in silence.
const num = (v: unknown): number | undefined => (typeof v === 'number' && !Number.isNaN(v) ? v : undefined);
const obj = (v: unknown): Loose => (v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined);

/** The usage one chunk reports, wherever its provider puts it; undefined when it reports none. */
export function chunkUsage(chunk: unknown): Usage | undefined {
  const c = obj(chunk);
  const choice = obj((c?.choices as unknown[] | undefined)?.[0]);
  return readUsage(c?.usage) ?? readUsage(choice?.usage) ?? readUsage(obj(c?.x_groq)?.usage);
}

function readUsage(raw: unknown): Usage | undefined {
  const u = obj(raw);
  const input = num(u?.prompt_tokens);
  const output = num(u?.completion_tokens);
  if (input === undefined || output === undefined) return undefined;
  const reasoning = num(obj(u?.completion_tokens_details)?.reasoning_tokens);
  const cacheRead =
    num(obj(u?.prompt_tokens_details)?.cached_tokens) ?? num(u?.cached_tokens) ?? num(u?.prompt_cache_hit_tokens);
  return {
    inputTokens: input,
    outputTokens: output,
    ...(reasoning ? { reasoningTokens: reasoning } : {}),
    ...(cacheRead ? { cacheReadTokens: cacheRead } : {}),
    estimated: false,
  };
}

/** Reasoning text in a chunk's delta, if any. */
export function reasoningDelta(chunk: unknown): string | undefined {
  const delta = obj(obj((obj(chunk)?.choices as unknown[] | undefined)?.[0])?.delta);
  const text = delta?.reasoning_content ?? delta?.reasoning;
  return typeof text === 'string' && text ? text : undefined;
}

export function sameUsage(a: Usage | undefined | null, b: Usage | undefined | null): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

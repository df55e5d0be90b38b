// An OpenAI chat.completion.chunk stream → ChatEvents (platform.openai.com/docs/api-reference/chat-streaming): each
// SSE `data:` line is a chunk whose delta gives text-deltas (`content`), reasoning-deltas (usage-decode.ts says
// where each server puts reasoning) and tool-call pieces (tool-call-decode.ts); the finish_reason and the usage,
// wherever the server puts it, end the answer; `data: [DONE]` is the terminator. A wrapped JSON answer
// ({"answer": …}, request-encode.ts) is held whole and unwrapped before the finish. An `error` object in a chunk
// is the upstream's in-stream failure: the caller's `streamError` reads it (the provider's dialect knows its codes).
import { UpstreamError } from '../../core/errors.ts';
import { unwrapAnswer } from '../../core/json-schema-root.ts';
import type { ChatEvent, FinishReason, Usage } from '../../core/types.ts';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { finishReasonOf } from './finish-reason.ts';
import { OpenAiToolCalls } from './tool-call-decode.ts';
import { chunkUsage, reasoningDelta, sameUsage } from './usage-decode.ts';

export interface OpenAiStreamOptions {
  /** The provider's id, for the errors' messages. */
  provider: string;
  /** The answer is a wrapped JSON answer to unwrap (request-encode.ts's wrapsAnswer). */
  wrapped: boolean;
  /** The request asked for usage and the server sends it (stream_options.include_usage). */
  usageAsked: boolean;
  /** Hints the request left out (request-encode.ts's openAiDroppedHints), reported on the finish. */
  droppedHints: string[];
  /** The error an in-stream `error` object means. */
  streamError: (error: unknown) => Error;
}

type Chunk = Partial<ChatCompletionChunk> & { error?: unknown };

/** The events of one answer, from the `data` of its SSE events (in batches, as the transport reads them). */
export async function* openAiStreamEvents(
  batches: AsyncIterable<ReadonlyArray<{ data: string }>>,
  options: OpenAiStreamOptions,
): AsyncIterable<ChatEvent> {
  const { provider, wrapped } = options;
  let held = '';
  const toolCalls = new OpenAiToolCalls();
  let reason: FinishReason | undefined;
  let usage: Usage | null = null;
  let terminated = false;

  for await (const batch of batches) {
    for (const ev of batch) {
      if (ev.data === '[DONE]') {
        terminated = true;
        continue;
      }
      const chunk = parseChunk(provider, ev.data);
      if (chunk.error) throw options.streamError(chunk.error);
      const choice = chunk.choices?.[0];
      const thinking = reasoningDelta(chunk);
      if (thinking) yield { type: 'reasoning-delta', text: thinking };
      const text = choice?.delta?.content;
      if (text && wrapped) held += text;
      else if (text) yield { type: 'text-delta', text };
      if (choice?.delta?.tool_calls) yield* toolCalls.take(choice.delta.tool_calls);
      if (choice?.finish_reason) reason = finishReasonOf(choice.finish_reason);
      // Wherever the server puts it (usage-decode.ts); cumulative, so the last report replaces the one before.
      const reported = chunkUsage(chunk);
      if (reported && !sameUsage(reported, usage)) {
        usage = reported;
        yield { type: 'usage', usage };
      }
    }
  }
  // Complete once the finish_reason and the usage we asked for have arrived; `data: [DONE]` after them adds
  // nothing (servers that close without it lose no answer). Without a finish_reason the answer was cut, however
  // cleanly the connection closed; a finish without the usage asked for is complete only if [DONE] followed
  // (a server that ignores include_usage), else the stream stopped between the two.
  const endedWithout = (what: string) =>
    new UpstreamError({ provider, kind: 'protocol', message: `${provider}: the stream ended without ${what}` });
  if (!reason) throw endedWithout('a finish_reason');
  if (!usage && options.usageAsked && !terminated) throw endedWithout('its usage or data: [DONE]');
  if (held) yield { type: 'text-delta', text: unwrapAnswer(held) };
  yield* toolCalls.end();
  // Some compatible servers (Ollama, older vLLM) say 'stop' after tool calls; the answer is still tool calls.
  const hints = options.droppedHints.length ? { droppedHints: options.droppedHints } : {};
  yield { type: 'finish', reason: reason === 'stop' && toolCalls.count ? 'tool_calls' : reason, usage, ...hints };
}

function parseChunk(provider: string, data: string): Chunk {
  let chunk: unknown;
  try {
    chunk = JSON.parse(data);
  } catch {
    throw new UpstreamError({ provider, kind: 'protocol', message: `${provider}: the stream could not be parsed` });
  }
  return chunk && typeof chunk === 'object' ? (chunk as Chunk) : {};
}

// One adapter for every OpenAI-compatible upstream (openai, moonshot, groq, siliconflow, aliyun, user-added ones):
// the provider spec is data, the code path is the same. It always streams; a non-streaming caller collects.
// The request goes out on our own transport (upstream.ts): no SDK between us and the bytes.

import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { UpstreamError } from '../core/errors.ts';
import { unwrapAnswer } from '../core/json-schema-root.ts';
import type { Adapter, AdapterCall, Auth, ChatEvent, FinishReason, Usage } from '../core/types.ts';
import { callAuth, requestHeaders } from './auth.ts';
import { openAiBaseUrl } from './base-url.ts';
import { dialectFor } from './dialects/index.ts';
import { chunkUsage, reasoningDelta, sameUsage } from './dialects/usage.ts';
import { finishReasonOf } from '../protocols/openai-chat/finish-reason.ts';
import { openAiDroppedHints, openAiRequest, wrapsAnswer } from '../protocols/openai-chat/request-encode.ts';
import { OpenAiToolCalls } from '../protocols/openai-chat/tool-call-decode.ts';
import { limitsFromEnv, type UpstreamLimits } from './transport/limits.ts';
import { eventError, upstreamEvents } from './upstream.ts';

export { openAiBaseUrl } from './base-url.ts';

export interface OpenAiAdapterOptions {
  /** How much an upstream may send (default: the environment's LLM_GATEWAY_MAX_* or built-in limits). */
  limits?: UpstreamLimits;
}

/** OpenAI and the servers that copy its API take the key as a bearer token. */
const OPENAI_AUTH: Auth = { kind: 'bearer' };

export function createOpenAiCompatibleAdapter(options: OpenAiAdapterOptions = {}): Adapter {
  const limits = options.limits ?? limitsFromEnv();
  return {
    async *stream(call: AdapterCall): AsyncIterable<ChatEvent> {
      const provider = call.provider.id;
      const dialect = dialectFor(provider);
      const request = {
        url: `${openAiBaseUrl(call.baseUrl)}/chat/completions`,
        headers: requestHeaders(callAuth(call, OPENAI_AUTH), call.apiKey),
        body: openAiRequest(call),
        dialect,
      };
      // A wrapped JSON answer ({"answer": …}) is held whole and unwrapped before the finish (protocols/openai-chat/request-encode.ts).
      const wrapped = wrapsAnswer(call);
      let held = '';
      const toolCalls = new OpenAiToolCalls();
      let reason: FinishReason | undefined;
      let usage: Usage | null = null;
      let terminated = false;

      for await (const batch of upstreamEvents(call, request, limits)) {
        for (const ev of batch) {
          if (ev.data === '[DONE]') {
            terminated = true;
            continue;
          }
          const chunk = parseChunk(provider, ev.data);
          if (chunk.error) throw eventError(provider, call.apiKey, dialect, chunk.error);
          const choice = chunk.choices?.[0];
          const thinking = reasoningDelta(chunk);
          if (thinking) yield { type: 'reasoning-delta', text: thinking };
          const text = choice?.delta?.content;
          if (text && wrapped) held += text;
          else if (text) yield { type: 'text-delta', text };
          if (choice?.delta?.tool_calls) yield* toolCalls.take(choice.delta.tool_calls);
          if (choice?.finish_reason) reason = finishReasonOf(choice.finish_reason);
          // Wherever the provider puts it (dialects/usage.ts); cumulative, so the last report replaces the one before.
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
      if (!usage && call.provider.streamUsage !== false && !terminated) {
        throw endedWithout('its usage or data: [DONE]');
      }
      if (held) yield { type: 'text-delta', text: unwrapAnswer(held) };
      yield* toolCalls.end();
      // Some compatible servers (Ollama, older vLLM) say 'stop' after tool calls; the answer is still tool calls.
      const dropped = openAiDroppedHints(call);
      const hints = dropped.length ? { droppedHints: dropped } : {};
      yield { type: 'finish', reason: reason === 'stop' && toolCalls.count ? 'tool_calls' : reason, usage, ...hints };
    },
  };
}

export const openAiCompatibleAdapter: Adapter = createOpenAiCompatibleAdapter();

type Chunk = Partial<ChatCompletionChunk> & { error?: unknown };

function parseChunk(provider: string, data: string): Chunk {
  let chunk: unknown;
  try {
    chunk = JSON.parse(data);
  } catch {
    throw new UpstreamError({ provider, kind: 'protocol', message: `${provider}: the stream could not be parsed` });
  }
  return chunk && typeof chunk === 'object' ? (chunk as Chunk) : {};
}

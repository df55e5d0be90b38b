// One adapter for every OpenAI-compatible upstream (openai, moonshot, groq, siliconflow, aliyun, user-added ones):
// the provider spec is data, the code path is the same. It always streams; a non-streaming caller collects.
// The request goes out on our own transport (upstream.ts): no SDK between us and the bytes.

import type { Adapter, AdapterCall, Auth, ChatEvent } from '../core/types.ts';
import { callAuth, requestHeaders } from './auth.ts';
import { openAiBaseUrl } from './base-url.ts';
import { dialectFor } from './dialects/index.ts';
import { openAiDroppedHints, openAiRequest, wrapsAnswer } from '../protocols/openai-chat/request-encode.ts';
import { openAiStreamEvents } from '../protocols/openai-chat/stream-decode.ts';
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
      // encode → send → decode: the codec reads the chunks; the dialect reads an in-stream error's codes.
      yield* openAiStreamEvents(upstreamEvents(call, request, limits), {
        provider,
        wrapped: wrapsAnswer(call),
        usageAsked: call.provider.streamUsage !== false,
        droppedHints: openAiDroppedHints(call),
        streamError: (error) => eventError(provider, call.apiKey, dialect, error),
      });
    },
  };
}

export const openAiCompatibleAdapter: Adapter = createOpenAiCompatibleAdapter();

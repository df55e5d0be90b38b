// One adapter for every OpenAI-compatible upstream (openai, moonshot, groq, siliconflow, aliyun, user-added ones):
// the provider spec is data, the code path is the same. It always streams; a non-streaming caller collects.

import OpenAI from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { UpstreamError } from '../core/errors.ts';
import type { Adapter, AdapterCall, Auth, ChatEvent, FinishReason, Usage } from '../core/types.ts';
import { openAiBaseUrl } from './base-url.ts';
import { bodyWatch, OPENAI_TERMINATOR, watchBody } from './body-watch.ts';
import { clientCache } from './client-cache.ts';
import { envelopeErrors } from './dialects/error-envelope.ts';
import { chunkUsage, reasoningDelta, sameUsage } from './dialects/usage.ts';
import { nodeFetch } from './node-fetch.ts';
import { authId, callAuth, clientHeaders, NO_KEY } from './auth.ts';
import { guardedStream, sdkTimeoutMs } from './guard.ts';
import { unwrapAnswer } from '../core/json-schema-root.ts';
import { openAiRequest, wrapsAnswer } from './openai-request.ts';
import { OpenAiToolCalls } from './openai-tool-stream.ts';
import { toUpstreamError } from './upstream-error.ts';

export { openAiBaseUrl } from './base-url.ts';

export interface OpenAiAdapterOptions {
  /** A fetch to use instead of ours on node:http (tests, proxies). */
  fetch?: typeof fetch;
}

/** OpenAI and the servers that copy its API take the key as a bearer token. */
const OPENAI_AUTH: Auth = { kind: 'bearer' };

export function createOpenAiCompatibleAdapter(options: OpenAiAdapterOptions = {}): Adapter {
  const clients = clientCache<OpenAI>();
  const clientFor = (baseURL: string, apiKey: string, auth: Auth): OpenAI =>
    clients(
      `${authId(auth)}\n${baseURL}\n${apiKey}`,
      () =>
        new OpenAI({
          // Everything explicit: otherwise the SDK reads OPENAI_BASE_URL / OPENAI_ORG_ID / OPENAI_PROJECT_ID /
          // OPENAI_ADMIN_KEY from the environment and would send them to whichever vendor this is.
          baseURL,
          apiKey: apiKey || NO_KEY,
          defaultHeaders: clientHeaders(auth, apiKey, 'OPENAI_CUSTOM_HEADERS'),
          adminAPIKey: null,
          organization: null,
          project: null,
          maxRetries: 0, // the gateway is the only place that retries or falls back
          logLevel: 'off', // stderr belongs to the CLI; the SDK would print unparsable chunks there
          fetch: watchBody(envelopeErrors(options.fetch ?? nodeFetch), OPENAI_TERMINATOR),
        }),
    );

  return {
    async *stream(call: AdapterCall): AsyncIterable<ChatEvent> {
      const provider = call.provider.id;
      const client = clientFor(openAiBaseUrl(call.baseUrl), call.apiKey, callAuth(call, OPENAI_AUTH));
      const params = openAiRequest(call);
      // A wrapped JSON answer ({"answer": …}) is held whole and unwrapped before the finish (openai-request.ts).
      const wrapped = wrapsAnswer(call);
      let held = '';
      const toolCalls = new OpenAiToolCalls();
      let response: Response | undefined;
      let reason: FinishReason | undefined;
      let usage: Usage | null = null;

      const classify = (err: unknown) => toUpstreamError(provider, err, { secrets: [call.apiKey], sdks: [OpenAI] });
      const chunks = guardedStream<ChatCompletionChunk>(provider, call, classify, async (signal) => {
        const opened = await client.chat.completions
          .create(params, { signal, timeout: sdkTimeoutMs(call), maxRetries: 0 })
          .withResponse();
        response = opened.response;
        return opened;
      });
      for await (const chunk of chunks) {
        const choice = chunk.choices?.[0];
        const thinking = reasoningDelta(chunk);
        if (thinking) yield { type: 'reasoning-delta', text: thinking };
        const text = choice?.delta?.content;
        if (text && wrapped) held += text;
        else if (text) yield { type: 'text-delta', text };
        yield* toolCalls.take(choice?.delta?.tool_calls);
        if (choice?.finish_reason) reason = finishReason(choice.finish_reason);
        // Wherever the provider puts it (dialects/usage.ts); cumulative, so the last report replaces the one before.
        const reported = chunkUsage(chunk);
        if (reported && !sameUsage(reported, usage)) {
          usage = reported;
          yield { type: 'usage', usage };
        }
      }
      // Complete once the finish_reason and the usage we asked for have arrived; `data: [DONE]` after them adds
      // nothing (servers that close without it lose no answer). Without a finish_reason the answer was cut, however
      // cleanly the connection closed; a finish without the usage asked for is complete only if [DONE] followed
      // (a server that ignores include_usage), else the stream stopped between the two.
      const endedWithout = (what: string) =>
        new UpstreamError({ provider, kind: 'protocol', message: `${provider}: the stream ended without ${what}` });
      if (!reason) throw endedWithout('a finish_reason');
      if (!usage && call.provider.streamUsage !== false && bodyWatch(response)?.terminated === false) {
        throw endedWithout('its usage or data: [DONE]');
      }
      if (held) yield { type: 'text-delta', text: unwrapAnswer(held) };
      yield* toolCalls.end();
      // Some compatible servers (Ollama, older vLLM) say 'stop' after tool calls; the answer is still tool calls.
      yield { type: 'finish', reason: reason === 'stop' && toolCalls.count ? 'tool_calls' : reason, usage };
    },
  };
}

export const openAiCompatibleAdapter: Adapter = createOpenAiCompatibleAdapter();

function finishReason(wire: string): FinishReason {
  switch (wire) {
    case 'stop':
    case 'length':
    case 'content_filter':
    case 'tool_calls':
      return wire;
    case 'function_call':
      return 'tool_calls';
    default:
      return 'other';
  }
}

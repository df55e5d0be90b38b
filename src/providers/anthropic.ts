// The Anthropic Messages adapter. It always streams; a non-streaming caller collects. The request goes out on our
// own transport (upstream.ts): no SDK between us and the bytes.
// Auth: an API key (ANTHROPIC_API_KEY) travels as `x-api-key` (accepted by Anthropic and by every
// Anthropic-compatible endpoint), an OAuth/bearer token (ANTHROPIC_AUTH_TOKEN) as `Authorization: Bearer`. The
// gateway knows which one it resolved and says so in the call's `auth`; a provider may also name another header
// or none.

import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages/messages';
import { DEFAULT_ANSWER_TOKENS } from '../core/answer-budget.ts';
import { UpstreamError } from '../core/errors.ts';
import type { Adapter, AdapterCall, Auth, ChatEvent, FinishReason } from '../core/types.ts';
import { AnthropicBlocks } from '../protocols/anthropic-messages/stream-decode.ts';
import { finishReasonOf } from '../protocols/anthropic-messages/finish-reason.ts';
import { UsageTally } from '../protocols/anthropic-messages/usage-decode.ts';
import { anthropicRequest } from '../protocols/anthropic-messages/request-encode.ts';
import { callAuth, requestHeaders } from './auth.ts';
import { anthropicBaseUrl } from './base-url.ts';
import { dialectFor } from './dialects/index.ts';
import { limitsFromEnv, type UpstreamLimits } from './transport/limits.ts';
import { eventError, upstreamEvents } from './upstream.ts';

export { anthropicBaseUrl } from './base-url.ts';

/** Anthropic requires max_tokens; sent when the caller set no answer budget, and what the reservation counts. */
export const DEFAULT_ANTHROPIC_MAX_TOKENS = DEFAULT_ANSWER_TOKENS.anthropic;

/** Anthropic's API keys travel as x-api-key. */
const ANTHROPIC_AUTH: Auth = { kind: 'header', name: 'x-api-key' };

/** The Messages API version every request names (docs.anthropic.com/en/api/versioning). */
const ANTHROPIC_VERSION = { 'anthropic-version': '2023-06-01' };

export interface AnthropicAdapterOptions {
  /** How much an upstream may send (default: the environment's LLM_GATEWAY_MAX_* or built-in limits). */
  limits?: UpstreamLimits;
}

export function createAnthropicAdapter(options: AnthropicAdapterOptions = {}): Adapter {
  const limits = options.limits ?? limitsFromEnv();
  return {
    async *stream(call: AdapterCall): AsyncIterable<ChatEvent> {
      const provider = call.provider.id;
      const dialect = dialectFor(provider, 'anthropic');
      const { params, jsonTool, jsonWrapped, dropped } = anthropicRequest(call);
      const request = {
        url: `${anthropicBaseUrl(call.baseUrl)}/v1/messages`,
        headers: requestHeaders(callAuth(call, ANTHROPIC_AUTH), call.apiKey, ANTHROPIC_VERSION),
        body: params,
        dialect,
      };
      const blocks = new AnthropicBlocks(jsonTool, jsonWrapped);
      const usage = new UsageTally();
      let reason: FinishReason | undefined;
      let stopped = false;

      for await (const batch of upstreamEvents(call, request, limits)) {
        for (const sse of batch) {
          if (sse.event === 'ping') continue;
          const ev = parseEvent(provider, sse.data);
          if (sse.event === 'error' || ev.type === 'error') throw eventError(provider, call.apiKey, dialect, ev);
          switch (ev.type) {
            case 'message_start':
              usage.start(ev.message?.usage);
              break;
            case 'content_block_start':
              yield* blocks.start(ev);
              break;
            case 'content_block_delta':
              // Extended thinking comes as reasoning: billed as output, never shown as the answer.
              yield* blocks.delta(ev);
              break;
            case 'content_block_stop':
              yield* blocks.stop(ev.index);
              break;
            case 'message_delta': {
              if (ev.delta?.stop_reason) reason = finishReasonOf(ev.delta.stop_reason);
              usage.delta(ev.usage);
              const sofar = usage.result();
              if (sofar) yield { type: 'usage', usage: sofar };
              break;
            }
            case 'message_stop':
              stopped = true;
              break;
          }
        }
      }
      // The message_delta with the stop_reason carries the final (cumulative) usage: once it has arrived the answer
      // is complete, with or without the message_stop after it. Without either, the answer was cut.
      if (!reason && !stopped) {
        throw new UpstreamError({
          provider,
          kind: 'protocol',
          message: `${provider}: the stream ended without a stop_reason`,
        });
      }
      // The forced JSON-answer tool ends the turn with tool_use; for the caller it was an answer, not a call.
      if (reason === 'tool_calls' && blocks.answeredAsJson && !blocks.toolCalls) reason = 'stop';
      const hints = dropped.length ? { droppedHints: dropped } : {};
      yield { type: 'finish', reason: reason ?? 'other', usage: usage.result(), ...hints };
    },
  };
}

type StreamEvent = RawMessageStreamEvent | { type: 'error'; error?: unknown } | { type?: undefined };

function parseEvent(provider: string, data: string): StreamEvent {
  let ev: unknown;
  try {
    ev = JSON.parse(data);
  } catch {
    throw new UpstreamError({ provider, kind: 'protocol', message: `${provider}: the stream could not be parsed` });
  }
  return ev && typeof ev === 'object' ? (ev as StreamEvent) : {};
}

export const anthropicAdapter: Adapter = createAnthropicAdapter();

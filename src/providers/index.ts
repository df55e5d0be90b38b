// The provider layer as the gateway wires it: one adapter per wire protocol, plus the error classifier.
import type { Adapter, Protocol } from '../core/types.ts';
import { anthropicAdapter, createAnthropicAdapter } from './anthropic.ts';
import { createOpenAiCompatibleAdapter, openAiCompatibleAdapter } from './openai-compatible.ts';

export { anthropicAdapter, createAnthropicAdapter, DEFAULT_ANTHROPIC_MAX_TOKENS } from './anthropic.ts';
export type { AnthropicAdapterOptions, AnthropicAuthStyle, AnthropicCall } from './anthropic.ts';
export { createOpenAiCompatibleAdapter, openAiCompatibleAdapter } from './openai-compatible.ts';
export type { OpenAiAdapterOptions } from './openai-compatible.ts';
export { anthropicBaseUrl, openAiBaseUrl } from './base-url.ts';
export { toUpstreamError, parseRetryAfter, LONG_RETRY_AFTER_MS } from './upstream-error.ts';

/** The process-wide adapters (each caches its SDK clients per base URL and key). */
export const adapters: Record<Protocol, Adapter> = { openai: openAiCompatibleAdapter, anthropic: anthropicAdapter };

/** Fresh adapters with their own client caches, e.g. with a custom fetch. */
export function createAdapters(options: { fetch?: typeof fetch } = {}): Record<Protocol, Adapter> {
  return { openai: createOpenAiCompatibleAdapter(options), anthropic: createAnthropicAdapter(options) };
}

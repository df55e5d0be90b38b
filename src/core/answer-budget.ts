// The answer budget of a call whose request sets no max tokens: one number per deployment (by the protocol its
// provider speaks), read by everything that needs it. Anthropic's protocol requires `max_tokens`, so its adapter sends
// this number, and the free-tier reservation and the context-window check count the same one: a call is never sent a
// budget larger than the one reserved for it. An OpenAI-compatible call sends none, except on a free tier: there the
// gateway sends the 1024 its reservation counted, so the provider cannot answer past what was held.
import type { Protocol, ProviderSpec } from './types.ts';

export const DEFAULT_ANSWER_TOKENS: { readonly [P in Protocol]: number } = { openai: 1024, anthropic: 4096 };

/** The answer tokens a call to this provider may use: the request's max tokens, or the provider's default. */
export function answerBudget(provider: Pick<ProviderSpec, 'protocol'>, maxTokens: number | undefined): number {
  return maxTokens ?? DEFAULT_ANSWER_TOKENS[provider.protocol];
}

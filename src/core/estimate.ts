// Token estimates for routing, made before any provider has counted anything. They are ESTIMATES: no tokenizer is
// bundled (each provider has its own, and shipping them all would weigh more than the gateway). They lean high on
// purpose: over-estimating only skips a model whose window or free tier was just big enough; under-estimating sends
// a prompt that the upstream rejects, or bills a call we believed was free.
import type { Message } from './types.ts';

/** Framing a chat API adds around each message (role markers, separators); a few tokens in every tokenizer. */
const PER_MESSAGE_OVERHEAD = 4;
/** Tokens that prime the assistant's reply. */
const PER_PROMPT_OVERHEAD = 3;

/**
 * An estimate of the tokens in `text`:
 * - ASCII: 1 token per 3 characters (English prose averages ~4 per token, code and JSON nearer 3);
 * - any other character of the Basic Multilingual Plane: 1 token each (CJK runs about 1 per character in current
 *   tokenizers; accented Latin, Cyrillic or Greek usually fewer, so this stays on the high side);
 * - characters outside it (emoji, rare Han, written as surrogate pairs): 2 tokens each.
 */
export function estimateTokens(text: string): number {
  let ascii = 0;
  let wide = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) {
      ascii++;
    } else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++; // one astral code point
      wide += 2;
    } else {
      wide++;
    }
  }
  return Math.ceil(ascii / 3) + wide;
}

/** An estimate of a whole prompt: every message's content plus the framing a chat API adds around it. */
export function estimatePromptTokens(messages: readonly Message[]): number {
  if (messages.length === 0) return 0;
  let total = PER_PROMPT_OVERHEAD;
  for (const m of messages) total += PER_MESSAGE_OVERHEAD + estimateTokens(m.content);
  return total;
}

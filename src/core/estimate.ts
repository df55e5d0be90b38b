// Token estimates for routing, made before any provider has counted anything. They are ESTIMATES: no tokenizer is
// bundled (each provider has its own, and shipping them all would weigh more than the gateway). They lean high on
// purpose: over-estimating only skips a model whose window or free tier was just big enough; under-estimating sends
// a prompt that the upstream rejects, or bills a call we believed was free.
import type { ChatRequest, ContentPart, Message } from './types.ts';

/** Framing a chat API adds around each message (role markers, separators); a few tokens in every tokenizer. */
const PER_MESSAGE_OVERHEAD = 4;
/** Tokens that prime the assistant's reply. */
const PER_PROMPT_OVERHEAD = 3;
/**
 * One image, whatever its size (we do not decode it). High on purpose: Anthropic bills width×height/750 tokens and
 * scales anything above ~1.15 megapixels down to about 1,600; OpenAI's high detail costs 85 + 170 per 512-px tile,
 * 765 for a 1024×1024 image and at most ~1,100 after its own downscaling.
 */
export const IMAGE_TOKENS = 1_600;
/** Framing a provider adds around each tool definition and each tool call or result (names, braces, markers). */
const PER_TOOL_OVERHEAD = 10;

/**
 * An estimate of the tokens in `text`:
 * - ASCII: 1 token per 3 characters (English prose averages ~4 per token, code and JSON nearer 3);
 * - any other character of the Basic Multilingual Plane: 1 token each (CJK runs about 1 per character in current
 *   tokenizers; accented Latin, Cyrillic or Greek usually fewer, so this stays on the high side);
 * - characters outside it (emoji, rare Han, written as surrogate pairs): 2 tokens each.
 */
export function estimateTokens(text: string): number {
  const tally = newTally();
  addToTally(tally, text);
  return tallyTokens(tally);
}

/**
 * What `estimateTokens` counts, kept open so a text that arrives in pieces (a streamed answer) can be counted as it
 * comes, without being held: the estimate of the pieces is the estimate of the whole.
 */
export interface Tally {
  ascii: number;
  wide: number;
}

export function newTally(): Tally {
  return { ascii: 0, wide: 0 };
}

export function addToTally(tally: Tally, text: string): void {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) {
      tally.ascii++;
    } else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++; // one astral code point
      tally.wide += 2;
    } else {
      tally.wide++; // (a surrogate half alone — a pair split between two pieces — counts 1, so the pair still counts 2)
    }
  }
}

export function tallyTokens(tally: Tally): number {
  return Math.ceil(tally.ascii / 3) + tally.wide;
}

/** An estimate of a whole prompt: every message's content plus the framing a chat API adds around it. */
export function estimatePromptTokens(messages: readonly Message[]): number {
  if (messages.length === 0) return 0;
  let total = PER_PROMPT_OVERHEAD;
  for (const m of messages) {
    total += PER_MESSAGE_OVERHEAD;
    if (typeof m.content === 'string') total += estimateTokens(m.content);
    else for (const part of m.content) total += estimatePartTokens(part);
  }
  return total;
}

/**
 * An estimate of everything a request sends as input: the messages, and the tool definitions and response schema
 * the provider puts in front of them (both count as prompt tokens in every API that reports them).
 */
export function estimateRequestTokens(request: Pick<ChatRequest, 'messages' | 'tools' | 'responseFormat'>): number {
  let total = estimatePromptTokens(request.messages);
  for (const tool of request.tools ?? []) {
    total += PER_TOOL_OVERHEAD + estimateTokens(tool.name + (tool.description ?? '') + JSON.stringify(tool.parameters));
  }
  if (request.responseFormat?.type === 'json-schema')
    total += PER_TOOL_OVERHEAD + estimateTokens(JSON.stringify(request.responseFormat.schema));
  return total;
}

function estimatePartTokens(part: ContentPart): number {
  switch (part.type) {
    case 'text':
    case 'reasoning':
      return estimateTokens(part.text);
    case 'image':
      return IMAGE_TOKENS;
    case 'tool-call':
      return PER_TOOL_OVERHEAD + estimateTokens(part.name + part.arguments);
    case 'tool-result':
      return (
        PER_TOOL_OVERHEAD +
        (typeof part.content === 'string'
          ? estimateTokens(part.content)
          : part.content.reduce((n, p) => n + estimatePartTokens(p), 0))
      );
  }
}

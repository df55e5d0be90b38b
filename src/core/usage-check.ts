// A provider's token counts are believed only when they could be true: whole non-negative numbers, and an input no
// larger than the model could have read. A count of 1e300 (or 5,000,000 for an 8-token prompt) would mark a free
// tier used up for its whole window; such a report is treated as missing — the call is estimated, and marked so.
import type { Usage } from './types.ts';

/**
 * How far past the larger of the context window and our estimate an input count may go before it is not believed:
 * our estimate leans high, and no provider reads more than its window, so twice that is already impossible.
 */
const SLACK = 2;

export interface UsageBounds {
  contextWindow: number;
  inputEstimate: number;
}

/** Why `usage` cannot be true (a plain statement), or undefined when it can. */
export function unbelievableUsage(usage: Usage, bounds: UsageBounds): string | undefined {
  const counts: Array<[string, number | undefined]> = [
    ['input', usage.inputTokens],
    ['output', usage.outputTokens],
    ['reasoning', usage.reasoningTokens],
    ['cache-read', usage.cacheReadTokens],
    ['cache-write', usage.cacheWriteTokens],
  ];
  for (const [name, n] of counts) {
    if (n !== undefined && !(Number.isSafeInteger(n) && n >= 0))
      return `${String(n)} ${name} tokens is not a count of tokens`;
  }
  const inputCeiling = SLACK * Math.max(bounds.contextWindow, bounds.inputEstimate);
  if (usage.inputTokens > inputCeiling)
    return `${usage.inputTokens} input tokens is far beyond a ${bounds.contextWindow}-token context window and a prompt estimated at ${bounds.inputEstimate}`;
  if (usage.outputTokens > SLACK * bounds.contextWindow)
    return `${usage.outputTokens} output tokens is far beyond a ${bounds.contextWindow}-token context window`;
  return undefined;
}

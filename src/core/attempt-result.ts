// What the caller gets back from one attempt, finished or cut: the answer with who gave it, how it was billed and
// the free tokens left after it.
import type { AnswerText } from './answer-text.ts';
import type { Candidate, ChatResult, Usage } from './types.ts';

/** The answer of one attempt, as the caller sees it, whether it finished or was cut. */
export function resultOf(
  candidate: Candidate,
  attempt: Pick<
    ChatResult,
    'requestId' | 'text' | 'textOmittedBytes' | 'toolCalls' | 'usage' | 'finishReason' | 'fallbacks'
  > & { reasoning: string },
  /** Free tokens left on the tier as the ledger says after this call settled; else reckoned from the plan. */
  ledgerLeft?: number,
): ChatResult {
  const { reasoning, ...rest } = attempt;
  return {
    ...rest,
    ...(reasoning ? { reasoning } : {}),
    model: candidate.model.id,
    provider: candidate.provider.id,
    billing: candidate.billing,
    freeRemaining: candidate.tier ? (ledgerLeft ?? freeLeft(candidate, attempt.usage)) : undefined,
  };
}

/** The answer's text as kept, and how many bytes of it were not (only when some were not). */
export function keptText(text: AnswerText): Pick<ChatResult, 'text' | 'textOmittedBytes'> {
  return { text: text.text, ...(text.omittedBytes ? { textOmittedBytes: text.omittedBytes } : {}) };
}

/** Free tokens left on the candidate's tier once `usage` is counted; undefined when it is not on a free tier. */
function freeLeft(candidate: Candidate, usage: Usage): number | undefined {
  return candidate.tier ? Math.max(0, candidate.tier.remaining - usage.inputTokens - usage.outputTokens) : undefined;
}

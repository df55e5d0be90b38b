// Finish reasons between the core and Anthropic Messages, both directions in one place
// (docs.anthropic.com/en/api/messages: end_turn, max_tokens, stop_sequence, tool_use, pause_turn, refusal,
// model_context_window_exceeded).
import type { FinishReason } from '../../core/types.ts';

/** The core's reason as a client reads it. */
export const STOP_REASON: Record<FinishReason, string> = {
  stop: 'end_turn',
  length: 'max_tokens',
  content_filter: 'refusal',
  tool_calls: 'tool_use',
  other: 'end_turn',
};

/** An upstream's stop_reason as the core's. */
export function finishReasonOf(stop: string): FinishReason {
  switch (stop) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return 'other'; // pause_turn and anything newer
  }
}

// Finish reasons between the core and OpenAI chat completions, both directions in one place
// (platform.openai.com/docs/api-reference/chat/object: stop, length, content_filter, tool_calls, function_call).
import type { FinishReason } from '../../core/types.ts';

/** The core's reason as a client reads it: `other` (pause_turn and the like) says `stop`, the nearest OpenAI has. */
export const FINISH: Record<FinishReason, string> = {
  stop: 'stop',
  length: 'length',
  content_filter: 'content_filter',
  tool_calls: 'tool_calls',
  other: 'stop',
};

/** An upstream's finish_reason as the core's; the legacy `function_call` is a tool call, anything newer `other`. */
export function finishReasonOf(wire: string): FinishReason {
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

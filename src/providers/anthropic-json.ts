// JSON answers from Anthropic. The Messages API has no JSON mode for every model, so a JSON response format is
// asked for as a tool the model must call, whose input schema is the answer's schema (any object for plain JSON);
// the tool's input, streamed as input_json_delta, is the answer's text. This is how vercel/ai's Anthropic provider
// does it (packages/anthropic/src/anthropic-messages-language-model.ts: a `json` tool, tool_choice naming it, its
// tool_use turned back into text, stop_reason tool_use read as stop) and LiteLLM's (`json_tool_call`). Ours is named
// `json_answer` (with `_` added until no tool of the caller's has the name).
import type { Tool } from '@anthropic-ai/sdk/resources/messages/messages';
import type { ResponseFormat } from '../core/types.ts';

export const JSON_ANSWER_TOOL = 'json_answer';

/** The forced tool for a JSON response format, or undefined for text. */
export function jsonAnswerTool(format: ResponseFormat | undefined, taken: string[]): Tool | undefined {
  if (!format || format.type === 'text') return undefined;
  let name = JSON_ANSWER_TOOL;
  while (taken.includes(name)) name += '_';
  const schema = format.type === 'json-schema' ? { type: 'object', ...format.schema } : { type: 'object' };
  const description =
    (format.type === 'json-schema' && format.description) || 'Give your answer by calling this tool: its input is the answer, as a JSON object.';
  return { name, description, input_schema: schema as Tool['input_schema'] };
}

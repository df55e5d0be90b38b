// JSON answers from Anthropic. The Messages API has no JSON mode for every model, so a JSON response format is
// asked for as a tool the model must call, whose input schema is the answer's schema (any object for plain JSON);
// the tool's input, streamed as input_json_delta, is the answer's text. This is how vercel/ai's Anthropic provider
// does it (packages/anthropic/src/anthropic-messages-language-model.ts: a `json` tool, tool_choice naming it, its
// tool_use turned back into text, stop_reason tool_use read as stop) and LiteLLM's (`json_tool_call`). Ours is named
// `json_answer` (with `_` added until no tool of the caller's has the name). A schema whose root is not an object
// (an array, a string) cannot be a tool's input_schema: it is wrapped as {"answer": schema} and the answer
// unwrapped when the tool's input is complete (core/json-schema-root.ts; AnthropicBlocks buffers that case).
import type { Tool } from '@anthropic-ai/sdk/resources/messages/messages';
import { objectRootSchema } from '../../core/json-schema-root.ts';
import type { ResponseFormat } from '../../core/types.ts';

export const JSON_ANSWER_TOOL = 'json_answer';

/**
 * The forced tool for a JSON response format, or undefined for text. `wrapped`: the schema was wrapped under
 * `answer`, so the tool's input must be unwrapped to give the answer.
 */
export function jsonAnswerTool(
  format: ResponseFormat | undefined,
  taken: string[],
): { tool: Tool; wrapped: boolean } | undefined {
  if (!format || format.type === 'text') return undefined;
  let name = JSON_ANSWER_TOOL;
  while (taken.includes(name)) name += '_';
  const root = format.type === 'json-schema' ? objectRootSchema(format.schema) : { schema: {}, wrapped: false };
  const schema = { type: 'object', ...root.schema };
  const description =
    (format.type === 'json-schema' && format.description) ||
    (root.wrapped
      ? 'Give your answer by calling this tool: its `answer` field is the answer.'
      : 'Give your answer by calling this tool: its input is the answer, as a JSON object.');
  return { tool: { name, description, input_schema: schema as Tool['input_schema'] }, wrapped: root.wrapped };
}

// Tool-call arguments as Anthropic's `input`, which must be a JSON object. The core keeps arguments as the JSON text
// the model produced (OpenAI-compatible models stream it as text and may get it wrong); on the way out to an
// Anthropic client:
// - empty text (a call of a tool without parameters, as several OpenAI-compatible servers send it) is `{}`;
// - text that parses to an object is passed through as written;
// - anything else (invalid JSON, an array, a number) is NOT dropped or repaired: it becomes
//   `{"invalid_json_arguments": "<the text>"}`, so the client's schema check fails visibly, its tool_result can
//   tell the model what went wrong, and the model can retry — rather than the whole answer failing.

/** The key that holds arguments that were not a JSON object. */
export const INVALID_ARGUMENTS_KEY = 'invalid_json_arguments';

/** The JSON text of a JSON object for `input`. */
export function toolInputJson(args: string): string {
  if (args.trim() === '') return '{}';
  try {
    const parsed: unknown = JSON.parse(args);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return args;
  } catch {
    // fall through: carried as text below
  }
  return JSON.stringify({ [INVALID_ARGUMENTS_KEY]: args });
}

export function toolInput(args: string): Record<string, unknown> {
  return JSON.parse(toolInputJson(args)) as Record<string, unknown>;
}

// Text bound for a terminal, as a pure string function so that every front end (the CLI's output, the server's
// request log) uses one sanitizer: an upstream or a client must not be able to move the cursor, clear the screen,
// retitle the window or hide text on the operator's terminal.

/**
 * `text` with control characters removed (tabs and newlines stay). Bidi controls go too (U+202A-202E embeddings
 * and overrides, U+2066-2069 isolates, U+200E/U+200F marks, U+061C): a U+202E shows the rest of a line backwards,
 * so what is printed is not what was said.
 */
export function terminalSafe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '');
}

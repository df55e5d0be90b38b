// What a provider key looks like: one line of printable ASCII, no spaces. Every way a key arrives — typed at the
// hidden prompt, piped on stdin, read from a file, an environment variable, the key file — goes through this one
// check, so a key that could not travel in an HTTP header (a paste gone wrong, a Ctrl-D, an arrow key's escape
// sequence) is refused where it enters, in the same words. The problem names the character's kind, never the key.

/** Longer than any provider's key by far (the longest seen are JWT-like tokens of about 2 KB). */
export const MAX_KEY_LENGTH = 16 * 1024;

/** What is wrong with `key` as a key ("contains a space"), or undefined when it looks like one. */
export function keyProblem(key: string): string | undefined {
  if (key.length === 0) return 'is empty';
  if (key.length > MAX_KEY_LENGTH) return `is longer than ${MAX_KEY_LENGTH} characters`;
  const bad = /[^\x21-\x7e]/.exec(key)?.[0];
  return bad === undefined ? undefined : `contains ${describe(bad)}`;
}

function describe(ch: string): string {
  if (ch === ' ') return 'a space';
  if (ch === '\t') return 'a tab';
  if (ch === '\n' || ch === '\r') return 'a line break';
  if (ch === '\u001b') return 'an escape sequence (an arrow or function key?)';
  const code = ch.codePointAt(0)!;
  if (code < 0x20 || code === 0x7f)
    return `a control character (U+${code.toString(16).toUpperCase().padStart(4, '0')})`;
  return 'a character outside ASCII (a curly quote or a non-breaking space?)';
}

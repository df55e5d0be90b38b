// Lines typed while an answer streams wait in a queue and are sent, in order, once it ends.

/**
 * The next message typed ahead, taken off `typedAhead`: one line, or lines joined by a trailing `\`; blank lines
 * are passed over. A continuation with no line after it yet moves to `pending`, to be finished at the prompt.
 */
export function nextTypedAhead(typedAhead: string[], pending: string[]): string | undefined {
  const parts: string[] = [];
  while (typedAhead.length) {
    const line = typedAhead.shift()!;
    if (line.endsWith('\\') && !line.startsWith('/')) {
      parts.push(line.slice(0, -1));
      continue;
    }
    parts.push(line);
    const text = parts.join('\n');
    if (text.trim()) return text.startsWith('/') ? text : text.trim();
    parts.length = 0;
  }
  pending.push(...parts); // a continuation typed ahead waits for its next line, as at the prompt
  return undefined;
}

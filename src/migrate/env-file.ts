// The old service's `.env`, read as dotenv reads it: `NAME=value` lines, blank lines and `# comments`, an optional
// `export ` prefix, values in double quotes (with \n, \" and \\ escapes), single quotes (literal) or none (where a
// ` #` starts a trailing comment). A later line for the same name wins. A line that is none of these stops the
// migration with its line and column; the line itself is never shown, since it may hold a key.
import { SourceError } from './source-error.ts';

export interface EnvEntry {
  name: string;
  value: string;
  /** 1-based line in the file, for the report. */
  line: number;
}

const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=[ \t]*/;

export function parseEnvFile(path: string, text: string): EnvEntry[] {
  const entries = new Map<string, EnvEntry>();
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, index) => {
      const line = index + 1;
      const trimmed = raw.trim();
      if (trimmed === '' || trimmed.startsWith('#')) return;
      const match = ASSIGNMENT.exec(raw);
      if (!match) {
        const column = raw.length - raw.trimStart().length + 1;
        throw new SourceError(path, line, column, 'expected NAME=value, a # comment or a blank line');
      }
      const value = readValue(path, line, raw, match[0].length);
      entries.delete(match[1]!); // keep file order for the last occurrence
      entries.set(match[1]!, { name: match[1]!, value, line });
    });
  return [...entries.values()];
}

/** The value starting at `start` (0-based) of the line. */
function readValue(path: string, line: number, raw: string, start: number): string {
  const quote = raw[start];
  if (quote !== '"' && quote !== "'") {
    const rest = raw.slice(start);
    const comment = /(^|\s)#/.exec(rest);
    return (comment ? rest.slice(0, comment.index) : rest).trim();
  }
  let value = '';
  let i = start + 1;
  for (; i < raw.length && raw[i] !== quote; i++) {
    if (quote === '"' && raw[i] === '\\' && i + 1 < raw.length) {
      const next = raw[++i]!;
      value += next === 'n' ? '\n' : next === 'r' ? '\r' : next === 't' ? '\t' : next;
    } else value += raw[i];
  }
  if (i >= raw.length)
    throw new SourceError(
      path,
      line,
      start + 1,
      `the ${quote === '"' ? 'double' : 'single'} quote opened here is never closed`,
    );
  const after = raw.slice(i + 1);
  if (!/^\s*(#.*)?$/.test(after)) {
    const column = i + 2 + (after.length - after.trimStart().length);
    throw new SourceError(
      path,
      line,
      column,
      'unexpected text after the closing quote (a comment needs a # before it)',
    );
  }
  return value;
}

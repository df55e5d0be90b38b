// A file of the old installation that cannot be read as what it claims to be. It stops the migration before
// anything is written (exit 3) and says where: the file, the line and the column. It never quotes the text there:
// a broken line of `.env` may well hold a key.
import { ConfigError } from '../core/errors.ts';

export class SourceError extends ConfigError {
  readonly line: number;
  readonly column: number;
  constructor(path: string, line: number, column: number, what: string) {
    super(
      `${path}:${line}:${column}: ${what}`,
      'fix that place in the api-gateway file and run `llm-gateway migrate` again; nothing was written',
      path,
    );
    this.line = line;
    this.column = column;
  }
}

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}

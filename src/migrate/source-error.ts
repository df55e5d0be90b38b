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

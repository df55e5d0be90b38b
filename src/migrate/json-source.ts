// JSON files of the old installation, parsed with a position for every syntax error. Node's JSON.parse names a
// position for some errors only, and for others quotes the text around it instead (which we never print): so when
// it fails, a small scanner finds where and why.
import { findJsonError, lineColumn } from '../lib/json-error.ts';
import { SourceError } from './source-error.ts';

export function parseJsonSource(path: string, text: string): unknown {
  const body = text.replace(/^\uFEFF/, ''); // a BOM left by a Windows editor is not an error
  try {
    return JSON.parse(body);
  } catch {
    const found = findJsonError(body) ?? { offset: 0, what: 'not valid JSON' };
    const { line, column } = lineColumn(body, found.offset);
    throw new SourceError(path, line, column, `not valid JSON: ${found.what}`);
  }
}

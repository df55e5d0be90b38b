// `chat --schema JSON|FILE`: the JSON Schema the answer must follow, given inline (a value starting with `{` or `[`)
// or as a file. A schema that is not JSON, not an object, nested too deep, or not readable is refused with exit 2,
// naming the file, line and column, before any call is made. The file is read through the bounded reader -a and
// key files use: a device (/dev/zero, whose size stat reports as 0) or an endless pipe stops at the limit.
import type { FileHandle } from 'node:fs/promises';
import { UsageError } from '../../core/errors.ts';
import { tooDeepAt, tooDeepMessage } from '../../lib/json-depth.ts';
import { OPEN_WAIT_MS, openWithin } from './open-within.ts';
import { readBounded } from '../common/stdin.ts';

/** Far beyond any schema a model can follow; a larger file is surely the wrong one. */
const MAX_SCHEMA_BYTES = 1024 * 1024;

const isInline = (value: string) => /^\s*[{[]/.test(value);

/** How messages name the schema: `--schema` when inline, `--schema path` for a file. */
export function schemaLabel(value: string): string {
  return isInline(value) ? '--schema' : `--schema ${value}`;
}

export async function readSchemaOption(value: string): Promise<Record<string, unknown>> {
  const inline = isInline(value);
  const where = schemaLabel(value);
  const text = inline ? value : await readSchemaFile(value);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new UsageError(
      `${where}: not valid JSON (${whereParseFailed(err as Error, text)})`,
      'write the schema as a JSON object, e.g. --schema \'{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}\'',
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(
      `${where}: a JSON Schema is a JSON object, got ${Array.isArray(parsed) ? 'an array' : typeof parsed === 'object' ? 'null' : `a ${typeof parsed}`}`,
      'e.g. {"type":"object","properties":{…}}',
    );
  }
  // Checked without recursion before Ajv compiles it (Ajv recurses, and dies on its stack thousands of levels down).
  if (tooDeepAt(parsed) !== undefined)
    throw new UsageError(
      tooDeepMessage(where),
      'a schema a model can follow is a few levels deep; is it the right file?',
    );
  return parsed as Record<string, unknown>;
}

async function readSchemaFile(path: string): Promise<string> {
  const tooLarge = () =>
    new UsageError(
      `--schema ${path}: larger than 1 MiB; is it the schema?`,
      'give the path of a .json file holding one JSON Schema',
    );
  let handle: FileHandle | undefined;
  try {
    handle = await openWithin(path, OPEN_WAIT_MS, '--schema', 'start its writer first, or save the schema to a file');
    const info = await handle.stat();
    if (info.isDirectory()) throw new UsageError(`--schema ${path}: is a directory`, 'give the path of a .json file');
    if (info.isFile() && info.size > MAX_SCHEMA_BYTES) throw tooLarge();
    const bytes = await readBounded(handle.createReadStream({ autoClose: false }), MAX_SCHEMA_BYTES, tooLarge);
    const text = bytes.toString('utf8');
    return text.startsWith('\uFEFF') ? text.slice(1) : text;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new UsageError(
        `--schema ${path}: no such file`,
        'give the schema inline (starting with {) or the path of a .json file',
      );
    if (code === 'EISDIR') throw new UsageError(`--schema ${path}: is a directory`, 'give the path of a .json file');
    if (code === 'EACCES' || code === 'EPERM')
      throw new UsageError(`--schema ${path}: permission denied`, `make it readable (chmod u+r ${path})`);
    throw new UsageError(`--schema ${path}: cannot be read (${code ?? (err as Error).message})`);
  } finally {
    await handle?.close();
  }
}

/** `line 3, column 14: Expected ',' or '}' …`, from the position V8 puts in its message. */
function whereParseFailed(err: Error, text: string): string {
  const position = /position (\d+)/.exec(err.message);
  const reason = err.message.replace(/\s*in JSON at position \d+.*$/s, '').replace(/, ".*$/s, '');
  if (!position) return reason;
  const before = text.slice(0, Number(position[1]));
  const lines = before.split('\n');
  return `line ${lines.length}, column ${lines.at(-1)!.length + 1}: ${reason}`;
}

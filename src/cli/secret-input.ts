// Reading a key without it ever being a flag value (flags end up in shell history and `ps`): from standard input,
// from a file, or typed at a hidden prompt.
import { readFileSync } from 'node:fs';
import { GatewayError, UsageError } from '../core/errors.ts';
import { isKeyShaped } from '../store/keys.ts';
import type { Stream } from './output.ts';
import { readBounded } from './stdin.ts';

const MAX_KEY_BYTES = 16 * 1024;

/** What was given, trimmed: exactly one line of printable ASCII, as every provider's keys are. */
export function cleanKey(raw: string, from: string): string {
  const key = raw.trim();
  if (!key) throw new UsageError(`no key in ${from}`);
  if (!isKeyShaped(key) || key.length > MAX_KEY_BYTES) {
    throw new UsageError(`${from} does not hold a key: a key is one line of printable ASCII, with no spaces`);
  }
  return key;
}

export async function readKeyFromStream(stream: NodeJS.ReadableStream): Promise<string> {
  const bytes = await readBounded(stream, MAX_KEY_BYTES, () => new UsageError('standard input is too large to be a key'));
  return cleanKey(bytes.toString('utf8'), 'standard input');
}

export function readKeyFromFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read the key file ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  return cleanKey(text, path);
}

/** Asks on the terminal without echoing what is typed. */
export async function promptHidden(question: string, input: NodeJS.ReadStream, output: Stream): Promise<string> {
  // Echo off before the question shows: a key pasted the moment the prompt appears must not be echoed.
  input.setRawMode?.(true);
  output.write(question);
  input.resume();
  input.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let typed = '';
    const done = (err?: Error) => {
      input.setRawMode?.(false);
      input.pause();
      input.off('data', onData);
      output.write('\n');
      if (err) reject(err);
      else resolve(typed);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new GatewayError({ code: 'interrupted' }, 'cancelled'));
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    input.on('data', onData);
  });
}

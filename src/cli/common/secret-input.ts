// Reading a key without it ever being a flag value (flags end up in shell history and `ps`): from standard input,
// from a file, or typed at a hidden prompt. Every way in is bounded (a key file of /dev/zero is refused at 64 KiB,
// not read until memory runs out) and ends in the one check of what a key looks like (core/key-shape.ts).
import type { FileHandle } from 'node:fs/promises';
import { GatewayError, UsageError } from '../../core/errors.ts';
import { keyProblem } from '../../core/key-shape.ts';
import type { Stream } from './output.ts';
import { readBounded } from './stdin.ts';
import { OPEN_WAIT_MS, openWithin } from '../chat/open-within.ts';

/** More than any key with the blank lines around it; past this a file or a pipe is something else. */
export const MAX_KEY_INPUT_BYTES = 64 * 1024;

/** What was given, trimmed, if it looks like a key; else a usage error (exit 2) saying what is wrong, never the key. */
export function cleanKey(raw: string, from: string): string {
  const key = raw.trim();
  if (!key) throw new UsageError(`no key in ${from}`);
  const problem = keyProblem(key);
  if (problem)
    throw new UsageError(
      `${from} does not hold a key: it ${problem}; a key is one line of printable ASCII, with no spaces`,
    );
  return key;
}

function tooLarge(from: string): UsageError {
  return new UsageError(
    `${from} is larger than ${MAX_KEY_INPUT_BYTES / 1024} KiB, too large to be a key; nothing was read into use`,
    'give a file or a pipe that holds only the key',
  );
}

export async function readKeyFromStream(stream: NodeJS.ReadableStream): Promise<string> {
  const bytes = await readBounded(stream, MAX_KEY_INPUT_BYTES, () => tooLarge('standard input'));
  return cleanKey(bytes.toString('utf8'), 'standard input');
}

export async function readKeyFromFile(path: string, waitMs = OPEN_WAIT_MS): Promise<string> {
  const from = `the key file ${path}`;
  let bytes: Buffer;
  let handle: FileHandle | undefined;
  try {
    // A FIFO nobody writes to would block the open for ever: give up as --schema does.
    handle = await openWithin(path, waitMs, '--api-key-file', 'start its writer first, or use --api-key-stdin');
    bytes = await readBounded(handle.createReadStream({ autoClose: false }), MAX_KEY_INPUT_BYTES, () => tooLarge(from));
  } catch (err) {
    if (err instanceof GatewayError) throw err;
    throw new UsageError(`cannot read the key file ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  } finally {
    await handle?.close();
  }
  return cleanKey(bytes.toString('utf8'), from);
}

/**
 * Asks on the terminal without echoing what is typed. Ctrl-C and Ctrl-D (and the terminal closing) cancel: the
 * promise rejects and the caller stores nothing. What is typed is returned as it is, for `cleanKey` to check.
 */
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
      input.off('end', onEnd);
      output.write('\n');
      if (err) reject(err);
      else resolve(typed);
    };
    const cancel = () =>
      done(new GatewayError({ code: 'interrupted' }, 'cancelled at the key prompt; nothing was stored'));
    const onEnd = () => cancel();
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003' || ch === '\u0004') return cancel(); // Ctrl-C, Ctrl-D
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else typed += ch;
        if (typed.length > MAX_KEY_INPUT_BYTES) return done(tooLarge('what was typed'));
      }
    };
    input.on('data', onData);
    input.on('end', onEnd);
  });
}

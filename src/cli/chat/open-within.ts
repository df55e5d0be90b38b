// Opening a file named on the command line without hanging: a named pipe (FIFO) that nobody writes to blocks open()
// for ever, and a thread blocked there keeps Node from exiting even after process.exit.
import { closeSync, constants, openSync, statSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { UsageError } from '../../core/errors.ts';

/**
 * How long opening a file named by a flag may wait. Only a named pipe nobody writes to blocks an open (a process
 * substitution, `-a <(git diff)`, has its writer from the start), and it would block for ever, as `cat` does.
 */
export const OPEN_WAIT_MS = openWaitMs(process.env);

/**
 * Test-only: `LLM_GATEWAY_TEST_OPEN_WAIT_MS` shortens the wait, so the tests of a FIFO nobody writes to take
 * milliseconds instead of real seconds. Not documented for users: 5 s is what a person needs.
 */
function openWaitMs(env: NodeJS.ProcessEnv): number {
  const n = Number(env.LLM_GATEWAY_TEST_OPEN_WAIT_MS);
  return Number.isSafeInteger(n) && n > 0 ? n : 5_000;
}

/** `open(path)`, or a UsageError naming `flag` once `ms` pass first (the late handle, if one comes, is closed). */
export async function openWithin(path: string, ms: number, flag: string, fix: string): Promise<FileHandle> {
  const opening = open(path, 'r');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      opening.then(
        (late) => late.close(),
        () => {},
      );
      releaseBlockedOpen(path);
      reject(
        new UsageError(
          `${flag} ${path}: still waiting to open it after ${ms / 1000} s (a named pipe nobody writes to?)`,
          fix,
        ),
      );
    }, ms);
    timer.unref();
  });
  try {
    return await Promise.race([opening, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Opens a FIFO's writing end for a moment, which lets the blocked open of its reading end return: a thread left
 * blocked in open() would keep Node from exiting at all (it waits for its worker threads on the way out).
 */
function releaseBlockedOpen(path: string): void {
  try {
    if (!statSync(path).isFIFO()) return;
    closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK));
  } catch {
    // nothing more to do: the error said what was wrong
  }
}

// Output that could not be written is a failure: after `chat hi > /dev/full` a script must not believe the answer was
// saved. A full disk (ENOSPC) or an I/O error (EIO) on stdout ends the run with exit 1 and a line on stderr. A reader
// that left (EPIPE, as with `| head`) is no failure: it asked for nothing more, so the run stays quiet and 0.
import type { Context } from './context.ts';
import { ExitCode } from './exit-codes.ts';

/**
 * Waits until what was printed has reached stdout (or failed to), then returns exit 1 after saying so if any write
 * failed for a reason other than a closed pipe; undefined when the output is whole or its reader has gone.
 */
export async function outputFailure(context: Context): Promise<ExitCode | undefined> {
  const stdout = context.out.stdout as Partial<NodeJS.WritableStream>;
  if (typeof stdout.write === 'function' && !context.outputClosed.aborted) {
    await new Promise<void>((resolve) => stdout.write!('', () => resolve()));
  }
  if (!context.outputClosed.aborted) return undefined;
  const err = context.outputClosed.reason as NodeJS.ErrnoException | undefined;
  if (err?.code === 'EPIPE') return undefined;
  const why = err instanceof Error ? err.message : String(err);
  context.out.note(`${context.out.errStyle.red('error:')} could not write the output: ${why}`);
  return ExitCode.failure;
}

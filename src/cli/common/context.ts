// What a command runs against: the runtime every front end shares (config directory, settings, keys, catalog,
// ledger, gateway) and the terminal things only the CLI has: its output, its standard input, and the signal that
// whoever reads stdout has gone.
import { createRuntime, type Runtime } from '../../runtime/runtime.ts';
import { createOutput, type Output, type Stream } from './output.ts';

export interface Context {
  runtime: Runtime;
  out: Output;
  stdin: NodeJS.ReadStream;
  /**
   * The stream `out.stdout` writes to, for readline alone (the interactive session's prompt and echo are drawn
   * there). Everything the CLI prints goes through `out`.
   */
  readlineOutput: NodeJS.WritableStream;
  /** Aborted when whoever reads stdout has gone (`… | head`): stop working for them, quietly. */
  outputClosed: AbortSignal;
}

export interface ContextOptions {
  /** Default: a runtime over process.env and the real clock. */
  runtime?: Runtime;
  stdout?: NodeJS.WritableStream & Stream;
  stderr?: Stream;
  stdin?: NodeJS.ReadStream;
}

export function createContext(options: ContextOptions = {}): Context {
  const runtime = options.runtime ?? createRuntime();
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  // Notes on stderr are for a person: one that cannot be written (`2>/dev/full`) must not fail a run whose product
  // on stdout is whole — nor end it with an unhandled 'error' event after the answer was printed.
  (stderr as Partial<NodeJS.WritableStream>).on?.('error', () => {});
  return {
    runtime,
    out: createOutput(stdout, stderr, runtime.env),
    stdin: options.stdin ?? process.stdin,
    readlineOutput: stdout,
    outputClosed: watchOutput(stdout),
  };
}

/**
 * A closed pipe on stdout (EPIPE) arrives as an 'error' event; unhandled, it would end the process with a stack
 * trace. Nothing more can be written after any such error, so every one of them stops the work; the signal's reason is
 * the error, so the end of the run can tell a reader who left (quiet) from a full disk or an I/O error (a failure).
 */
function watchOutput(stdout: Stream): AbortSignal {
  const closed = new AbortController();
  (stdout as Partial<NodeJS.WritableStream>).on?.('error', (err) => closed.abort(err));
  return closed.signal;
}

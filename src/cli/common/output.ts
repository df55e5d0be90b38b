// The only place that knows about terminals: colours, tables and JSON for stdout (the product), and notes for
// stderr (everything else). Colour only on a TTY, never with NO_COLOR, always with FORCE_COLOR; when piped, plain
// text with no ANSI codes and tables at their natural width, whatever COLUMNS says. Colours are chalk's and tables
// cli-table3's, each imported only when needed (a coloured stream, a table printed): a command that prints JSON
// never loads either.
import type { Column } from './table.ts';

export type Paint = (text: string) => string;

export interface Styles {
  bold: Paint;
  dim: Paint;
  red: Paint;
  green: Paint;
  yellow: Paint;
  cyan: Paint;
}

const NAMES: Array<keyof Styles> = ['bold', 'dim', 'red', 'green', 'yellow', 'cyan'];

/**
 * Styles that pass text through until `paintWith` gives them a chalk instance: a stream that is not coloured never
 * gets one, so chalk is never loaded for it.
 */
function lazyStyles(): { styles: Styles; paintWith(chalk: Record<keyof Styles, Paint>): void } {
  let chalk: Record<keyof Styles, Paint> | undefined;
  const styles = Object.fromEntries(
    NAMES.map((name) => [name, (text: string) => (chalk ? chalk[name](text) : text)]),
  ) as unknown as Styles;
  return { styles, paintWith: (c) => void (chalk = c) };
}

export interface Stream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
  /** A node Writable's: its buffer is full, so the writer should wait for 'drain'. */
  writableNeedDrain?: boolean;
  once?(event: 'drain' | 'close' | 'error', listener: () => void): unknown;
  off?(event: 'drain' | 'close' | 'error', listener: () => void): unknown;
}

// A table's columns are the table module's concept; named here too, for the commands that describe their tables.
export type { Column } from './table.ts';

export interface Output {
  readonly stdout: Stream;
  readonly stderr: Stream;
  /** Styles for stdout text (plain text until `ready()` has resolved). */
  readonly style: Styles;
  /** Styles for stderr text (plain text until `ready()` has resolved). */
  readonly errStyle: Styles;
  /** Loads the colour library when stdout or stderr is coloured; resolves at once when neither is. */
  ready(): Promise<void>;
  print(text: string): void;
  /**
   * Resolves when stdout can take more (undefined when it can now): a reader that stops reading (a paused pipe)
   * stops the answer at its source instead of letting it pile up in memory.
   */
  drained(): Promise<void> | undefined;
  note(text: string): void;
  json(value: unknown): void;
  /** The terminal's width, or Infinity when stdout is not a terminal (piped output is never cut). */
  readonly width: number;
  /**
   * Renders rows under headers, fitted to `width` (see `table.ts`); `paint` colours a cell, whose ANSI codes count for
   * nothing in its width. Its `col` is the index in `columns`, whichever columns were dropped.
   */
  table(
    columns: Column[],
    rows: string[][],
    paint?: (row: number, col: number, text: string) => string,
    headings?: ReadonlyMap<number, string>,
  ): Promise<void>;
}

/**
 * Model output bound for a terminal, with control and bidi characters removed (see lib/terminal-safe.ts, shared
 * with the server's request log). Piped output is left byte for byte by its callers.
 */
export { terminalSafe } from '../../lib/terminal-safe.ts';

export function colorEnabled(stream: Stream, env: NodeJS.ProcessEnv): boolean {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  if (env.NO_COLOR) return false;
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

export function createOutput(stdout: Stream, stderr: Stream, env: NodeJS.ProcessEnv): Output {
  const out = lazyStyles();
  const err = lazyStyles();
  const coloured = { out: colorEnabled(stdout, env), err: colorEnabled(stderr, env) };
  let loading: Promise<void> | undefined;
  const ready = (): Promise<void> => {
    if (!coloured.out && !coloured.err) return Promise.resolve();
    // Level 1 (the 16 basic colours): all we use, and what every colour terminal shows.
    loading ??= import('chalk').then(({ Chalk }) => {
      const chalk = new Chalk({ level: 1 });
      if (coloured.out) out.paintWith(chalk);
      if (coloured.err) err.paintWith(chalk);
    });
    return loading;
  };
  return {
    stdout,
    stderr,
    style: out.styles,
    errStyle: err.styles,
    // Read when asked, not once: a terminal resized during the interactive session fits its next table to the new
    // width (Node updates `columns` on SIGWINCH).
    get width() {
      return terminalWidth(stdout, env);
    },
    ready,
    print: (text) => void stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    drained: () => drainedOf(stdout),
    note: (text) => void stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    json: (value) => void stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    async table(columns, rows, paint = (_r, _c, t) => t, headings) {
      const [{ renderTable }] = await Promise.all([import('./table.ts'), ready()]);
      const width = terminalWidth(stdout, env);
      stdout.write(renderTable(columns, rows, { width, header: out.styles.bold, paint, headings }));
    },
  };
}

function drainedOf(stream: Stream): Promise<void> | undefined {
  const { once, off } = stream;
  if (!stream.writableNeedDrain || !once || !off) return undefined;
  return new Promise((resolve) => {
    // A closed or failed stream never drains: stop waiting then too (the closed-output handling takes over).
    const done = () => {
      for (const event of ['drain', 'close', 'error'] as const) off.call(stream, event, done);
      resolve();
    };
    for (const event of ['drain', 'close', 'error'] as const) once.call(stream, event, done);
  });
}

/**
 * Tables fit the width of a terminal only; piped (or redirected) they are full width, even when COLUMNS is set,
 * because a script reading them must get every cell whole.
 */
export function terminalWidth(stdout: Stream, env: NodeJS.ProcessEnv): number {
  if (!stdout.isTTY) return Infinity;
  return stdout.columns || Number(env.COLUMNS) || 80;
}

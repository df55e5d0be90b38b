// The only place that knows about terminals: colours, tables and JSON for stdout (the product), and notes for
// stderr (everything else). Colour only on a TTY, never with NO_COLOR, always with FORCE_COLOR; when piped, plain
// text with no ANSI codes and tables at their natural width. Six SGR codes are all we use, so they are written
// here rather than loaded from a colour library on every start.

export type Paint = (text: string) => string;

export interface Styles {
  bold: Paint;
  dim: Paint;
  red: Paint;
  green: Paint;
  yellow: Paint;
  cyan: Paint;
}

const SGR: Record<keyof Styles, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
};

function styles(enabled: boolean): Styles {
  const paint = ([open, close]: [number, number]): Paint =>
    enabled ? (text) => (text ? `\u001b[${open}m${text}\u001b[${close}m` : text) : (text) => text;
  return Object.fromEntries(Object.entries(SGR).map(([name, codes]) => [name, paint(codes)])) as unknown as Styles;
}

export interface Stream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Column {
  header: string;
  align?: 'left' | 'right';
  /** May be cut (with …) to make the table fit the terminal. */
  shrink?: boolean;
}

export interface Output {
  readonly stdout: Stream;
  readonly stderr: Stream;
  /** Styles for stdout text. */
  readonly style: Styles;
  /** Styles for stderr text. */
  readonly errStyle: Styles;
  print(text: string): void;
  note(text: string): void;
  json(value: unknown): void;
  /** Renders rows under headers; `paint` colours a cell after padding, so widths stay right. */
  table(columns: Column[], rows: string[][], paint?: (row: number, col: number, text: string) => string): void;
}

/**
 * Model output bound for a terminal, with control characters removed (tabs and newlines stay): an upstream must not
 * be able to move the cursor, retitle the window or hide text. Piped output is left byte for byte.
 */
export function terminalSafe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
}

export function colorEnabled(stream: Stream, env: NodeJS.ProcessEnv): boolean {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  if (env.NO_COLOR) return false;
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

export function createOutput(stdout: Stream, stderr: Stream, env: NodeJS.ProcessEnv): Output {
  const style = styles(colorEnabled(stdout, env));
  const errStyle = styles(colorEnabled(stderr, env));
  const width = stdout.isTTY ? stdout.columns || 80 : Number(env.COLUMNS) || Infinity;
  return {
    stdout,
    stderr,
    style,
    errStyle,
    print: (text) => void stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    note: (text) => void stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    json: (value) => void stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    table(columns, rows, paint = (_r, _c, t) => t) {
      const widths = fitWidths(columns, rows, width);
      const line = (cells: string[], painter: (c: number, t: string) => string) =>
        cells
          .map((cell, c) => painter(c, pad(cut(cell, widths[c]!), widths[c]!, columns[c]!.align)))
          .join('  ')
          .trimEnd();
      stdout.write(`${line(columns.map((c) => c.header), (_c, t) => style.bold(t))}\n`);
      rows.forEach((cells, r) => stdout.write(`${line(cells, (c, t) => paint(r, c, t))}\n`));
    },
  };
}

/** Natural widths, then the shrinkable columns give way (widest first) until the table fits `max`. */
function fitWidths(columns: Column[], rows: string[][], max: number): number[] {
  const widths = columns.map((col, c) => Math.max(len(col.header), ...rows.map((r) => len(r[c] ?? ''))));
  const total = () => widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1);
  while (total() > max) {
    let widest = -1;
    columns.forEach((col, c) => {
      const floor = Math.max(6, len(col.header));
      if (col.shrink && widths[c]! > floor && (widest < 0 || widths[c]! > widths[widest]!)) widest = c;
    });
    if (widest < 0) break;
    widths[widest] = widths[widest]! - 1;
  }
  return widths;
}

const len = (text: string): number => [...text].length;

function cut(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, width - 1).join('')}…`;
}

function pad(text: string, width: number, align: Column['align']): string {
  const gap = ' '.repeat(Math.max(0, width - len(text)));
  return align === 'right' ? gap + text : text + gap;
}

// The only place that knows about terminals: colours, tables and JSON for stdout (the product), and notes for
// stderr (everything else). Colour only on a TTY, never with NO_COLOR, always with FORCE_COLOR; when piped, plain
// text with no ANSI codes and tables at their natural width, whatever COLUMNS says. Six SGR codes are all we use,
// so they are written here rather than loaded from a colour library on every start.

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
  /** Descriptive text that may be cut (with …) to make the table fit the terminal. Never set it on an id. */
  shrink?: boolean;
  /**
   * The narrowest a shrinkable column is cut to before optional columns are dropped instead (default 6; Infinity:
   * not cut while any can be dropped). Only once every optional column is gone is it cut further, to its header.
   */
  min?: number;
  /** May be left out when cutting the shrinkable columns is not enough for the table to fit. */
  optional?: boolean;
  /** Optional columns go lowest priority first; those sharing a priority go together (default 0). */
  priority?: number;
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
  /** The terminal's width, or Infinity when stdout is not a terminal (piped output is never cut). */
  readonly width: number;
  /**
   * Renders rows under headers, fitted to `width`; `paint` colours a cell after padding, so widths stay right. Its
   * `col` is the index in `columns`, whichever columns were dropped.
   */
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
  const width = terminalWidth(stdout, env);
  return {
    stdout,
    stderr,
    style,
    errStyle,
    width,
    print: (text) => void stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    note: (text) => void stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    json: (value) => void stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    table(columns, rows, paint = (_r, _c, t) => t) {
      const widths = fitWidths(columns, rows, width);
      const shown = widths.flatMap((w, c) => (w === null ? [] : [{ c, w }]));
      // The last cell is not padded on the left-aligned side: painted padding would survive trimEnd.
      const line = (cells: string[], painter: (c: number, t: string) => string) =>
        shown
          .map(({ c, w }, i) => {
            const text = cut(cells[c] ?? '', w);
            return painter(c, i === shown.length - 1 && columns[c]!.align !== 'right' ? text : pad(text, w, columns[c]!.align));
          })
          .join('  ')
          .trimEnd();
      stdout.write(`${line(columns.map((c) => c.header), (_c, t) => style.bold(t))}\n`);
      rows.forEach((cells, r) => stdout.write(`${line(cells, (c, t) => paint(r, c, t))}\n`));
    },
  };
}

/**
 * Tables fit the width of a terminal only; piped (or redirected) they are full width, even when COLUMNS is set,
 * because a script reading them must get every cell whole.
 */
export function terminalWidth(stdout: Stream, env: NodeJS.ProcessEnv): number {
  if (!stdout.isTTY) return Infinity;
  return stdout.columns || Number(env.COLUMNS) || 80;
}

/**
 * Each column's width, or null for a column left out. Natural widths first; if the table is too wide, the shrinkable
 * columns give way (widest first) down to their `min`; if that is not enough, optional columns are dropped, lowest
 * priority first, and the rest tried again at full width. With every optional column gone, shrinkable ones are cut
 * down to their headers as a last resort. Ids (columns without `shrink`) are never cut: a table may then overflow.
 */
export function fitWidths(columns: Column[], rows: string[][], max: number): Array<number | null> {
  const natural = columns.map((col, c) => Math.max(len(col.header), ...rows.map((r) => len(r[c] ?? ''))));
  const floor = (col: Column) => Math.max(len(col.header), 6);
  const levels = [...new Set(columns.filter((c) => c.optional).map((c) => c.priority ?? 0))].sort((a, b) => a - b);
  let widths: Array<number | null> = natural;
  for (let drop = 0; drop <= levels.length; drop += 1) {
    const gone = new Set(levels.slice(0, drop));
    const kept = columns.map((col, c) => (col.optional && gone.has(col.priority ?? 0) ? null : natural[c]!));
    widths = shrink(columns, kept, max, (col) => Math.max(floor(col), col.min ?? 0));
    if (tableWidth(widths) <= max) return widths;
  }
  return shrink(columns, widths, max, floor);
}

/** Takes a character at a time from the widest shrinkable column still above its floor, until the table fits. */
function shrink(columns: Column[], start: Array<number | null>, max: number, floor: (col: Column) => number): Array<number | null> {
  const widths = [...start];
  while (tableWidth(widths) > max) {
    let widest = -1;
    columns.forEach((col, c) => {
      const w = widths[c];
      if (col.shrink && w != null && w > floor(col) && (widest < 0 || w > widths[widest]!)) widest = c;
    });
    if (widest < 0) break;
    widths[widest] = widths[widest]! - 1;
  }
  return widths;
}

function tableWidth(widths: Array<number | null>): number {
  const shown = widths.filter((w): w is number => w !== null);
  return shown.reduce((a, b) => a + b, 0) + 2 * Math.max(0, shown.length - 1);
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

// Tables: which columns fit the terminal is decided here (ids never cut, descriptive text cut with …, optional
// columns dropped in their documented order, piped output at full width); drawing is cli-table3's. Every width is a
// DISPLAY width — a CJK character or an emoji takes two columns — measured by string-width, the same function
// cli-table3 pads and cuts with, so what is fitted here is exactly what it draws. Loaded only when a table is printed.
import Table from 'cli-table3';
import stringWidth from 'string-width';

/** Colours a cell's text (output.ts's Paint; not imported from there, which imports this file). */
type Paint = (text: string) => string;

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

/** Columns a string takes on a terminal, ANSI codes not counted. */
export const displayWidth = (text: string): number => stringWidth(text);

/** No borders: columns two spaces apart, the way `ls -l` and `docker ps` read. */
const PLAIN = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: '  ',
};

export interface TableOptions {
  /** The terminal's width; Infinity when piped. */
  width: number;
  header: Paint;
  /** Colours a cell; `col` is the index in `columns`, whichever columns were dropped. */
  paint: (row: number, col: number, text: string) => string;
  /**
   * Lines of their own printed before a row (by its index), outside the columns: an id too long to share a line
   * with the rest (see `quota`). Not counted in any column's width, never cut.
   */
  headings?: ReadonlyMap<number, string>;
}

/** The table as lines of text, each ending in a newline, none wider than `width` unless ids alone are wider. */
export function renderTable(columns: Column[], rows: string[][], options: TableOptions): string {
  const widths = fitWidths(columns, rows, options.width);
  const shown = widths.flatMap((w, c) => (w === null ? [] : [{ c, w }]));
  const draw = (head: string[], block: string[][]) => {
    const table = new Table({
      head,
      colWidths: shown.map(({ w }) => w),
      colAligns: shown.map(({ c }) => columns[c]!.align ?? 'left'),
      chars: PLAIN,
      style: { 'padding-left': 0, 'padding-right': 0, head: [], border: [] },
      truncate: '…',
    });
    table.push(...block);
    // Padding after the last cell is dropped: it is invisible, and a script reading the table need not strip it.
    return table
      .toString()
      .split('\n')
      .map((line) => line.trimEnd())
      .join('\n');
  };
  // cli-table3 lays a table out in time quadratic in its rows (each cell is checked against every cell placed
  // before it for spans): 30,000 models took minutes. The widths are fixed above, so blocks of rows drawn apart
  // line up exactly as one table would, and the whole costs linear time.
  const cells = rows.map((row, r) => shown.map(({ c }) => options.paint(r, c, row[c] ?? '')));
  const head = shown.map(({ c }) => options.header(columns[c]!.header));
  const parts = [draw(head, cells.slice(0, TABLE_BLOCK))];
  for (let start = TABLE_BLOCK; start < cells.length; start += TABLE_BLOCK)
    parts.push(draw([], cells.slice(start, start + TABLE_BLOCK)));
  // Line 0 is the header, line r + 1 row r: one line each, as cells are cut rather than wrapped.
  const lines = parts.join('\n').split('\n');
  const out = options.headings?.size
    ? lines.flatMap((line, i) => {
        const heading = i > 0 ? options.headings!.get(i - 1) : undefined;
        return heading === undefined ? [line] : [heading, line];
      })
    : lines;
  return `${out.join('\n')}\n`;
}

/** Rows drawn by one cli-table3 table: enough that drawing stays cheap, few enough that its layout does too. */
export const TABLE_BLOCK = 200;

/**
 * Each column's width, or null for a column left out. Natural widths first; if the table is too wide, the shrinkable
 * columns give way (widest first) down to their `min`; if that is not enough, optional columns are dropped, lowest
 * priority first, and the rest tried again at full width. With every optional column gone, shrinkable ones are cut
 * down to their headers as a last resort. Ids (columns without `shrink`) are never cut: a table may then overflow.
 */
export function fitWidths(columns: Column[], rows: string[][], max: number): Array<number | null> {
  // A loop, not Math.max(...rows): a spread of 100,000 arguments overflows the stack.
  const natural = columns.map((col, c) =>
    rows.reduce((w, r) => Math.max(w, displayWidth(r[c] ?? '')), displayWidth(col.header)),
  );
  const floor = (col: Column) => Math.max(displayWidth(col.header), 6);
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

/** Takes a column at a time from the widest shrinkable column still above its floor, until the table fits. */
function shrink(
  columns: Column[],
  start: Array<number | null>,
  max: number,
  floor: (col: Column) => number,
): Array<number | null> {
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

// A stacked bar chart drawn with box characters, for a terminal or a <pre>: one column per day (or per few days when
// they do not fit), the lower part one series, the upper part the other, a y scale labelled at its top, middle and
// zero, and the first and last labels under the axis. The two parts use different blocks (█ and ▒), so the chart
// reads without colour; `paint` may colour them on top.

export interface StackedBar {
  label: string;
  low: number;
  high: number;
}

export interface ChartOptions {
  /** Columns available, scale included. */
  width: number;
  /** Rows of bars. */
  height?: number;
  /** A figure on the scale, e.g. 1200000 -> "1.2M". */
  format: (n: number) => string;
  /** Colours a run of the low (`low`) or high (`high`) block; identity when absent. */
  paint?: (part: 'low' | 'high', text: string) => string;
}

export const LOW_BLOCK = '█';
export const HIGH_BLOCK = '▒';

/** The chart as lines, none wider than `width` (at least 20 columns are assumed). */
export function stackedBarChart(bars: StackedBar[], options: ChartOptions): string[] {
  const height = options.height ?? 8;
  const paint = options.paint ?? ((_part, text) => text);
  const top = niceCeiling(Math.max(0, ...bars.map((b) => b.low + b.high)));
  const labels = new Map([
    [height - 1, options.format(top)],
    [Math.floor((height - 1) / 2), options.format(top / 2)],
  ]);
  const scaleWidth = Math.max(...[...labels.values(), '0'].map((l) => l.length));
  // One column per bucket of days; a bucket is 1 bar column plus a gap when there is room, else columns touch.
  const room = Math.max(1, options.width - scaleWidth - 2);
  const perColumn = Math.ceil(bars.length / room) || 1;
  const buckets: StackedBar[] = [];
  for (let i = 0; i < bars.length; i += perColumn) {
    const group = bars.slice(i, i + perColumn);
    buckets.push({
      label: group[0]!.label,
      low: group.reduce((a, b) => a + b.low, 0),
      high: group.reduce((a, b) => a + b.high, 0),
    });
  }
  const slot = Math.max(1, Math.min(3, Math.floor(room / Math.max(1, buckets.length))));
  const barWidth = slot > 1 ? slot - 1 : 1;
  const gap = slot - barWidth;
  // Rows filled from the bottom: the low part first, then the high part on top; any use shows at least one row.
  const cells = buckets.map((b) => {
    const total = b.low + b.high;
    let filled = top > 0 ? Math.round((total / top) * height) : 0;
    if (total > 0 && filled === 0) filled = 1;
    let low = top > 0 ? Math.round((b.low / top) * height) : 0;
    if (b.low > 0 && low === 0) low = 1;
    if (b.high > 0 && low >= filled) low = Math.max(0, filled - 1);
    return { low: Math.min(low, filled), filled };
  });
  const lines: string[] = [];
  for (let row = height - 1; row >= 0; row -= 1) {
    const label = labels.get(row);
    let line = `${(label ?? '').padStart(scaleWidth)} ${label ? '┤' : '│'}`;
    for (const cell of cells) {
      const text =
        row < cell.low
          ? paint('low', LOW_BLOCK.repeat(barWidth))
          : row < cell.filled
            ? paint('high', HIGH_BLOCK.repeat(barWidth))
            : ' '.repeat(barWidth);
      line += text + ' '.repeat(gap);
    }
    lines.push(line.trimEnd());
  }
  const axisLength = buckets.length * slot;
  lines.push(`${'0'.padStart(scaleWidth)} └${'─'.repeat(axisLength)}`);
  if (buckets.length > 0) {
    const first = buckets[0]!.label;
    const last = buckets.at(-1)!.label;
    const lastAt = Math.max(first.length + 1, (buckets.length - 1) * slot + barWidth - last.length);
    const under =
      buckets.length > 1 && lastAt + last.length <= axisLength + 2 ? `${first.padEnd(lastAt)}${last}` : first;
    lines.push(`${' '.repeat(scaleWidth + 2)}${under}`);
  }
  return lines;
}

/** The smallest of 1, 2, 5 × 10^k at or above `n` (a round top for the scale); 1 for nothing. */
export function niceCeiling(n: number): number {
  if (n <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(n));
  for (const step of [1, 2, 5, 10]) if (step * power >= n) return step * power;
  return 10 * power;
}

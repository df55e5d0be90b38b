// How numbers, prices and dates read in tables and closing lines. Digit grouping (1,234,567) and days (YYYY-MM-DD,
// UTC) are core's rules, shared with the route plan's words: they are passed on here, not written again.
import type { Price } from '../../core/types.ts';

export { groupThousands } from '../../lib/numbers.ts';
export { formatDay } from '../../core/quota.ts';

/**
 * 128000 -> "128K", 1047576 -> "1M", 8192 -> "8K", 999986 -> "999.9K". Rounded down, never up: "1000K left" for
 * 999,986 tokens promised more than there was, and a figure of what is left must never exceed the truth.
 */
export function compact(n: number): string {
  const [unit, suffix] = n >= 1_000_000 ? [1_000_000, 'M'] : n >= 1000 ? [1000, 'K'] : [1, ''];
  // 8192 and 131072 are binary sizes (8K, 128K); 128000 and 200000 are decimal ones.
  const binary = n % unit !== 0 && n % (unit === 1000 ? 1024 : 1_048_576) === 0;
  const divisor = binary ? (unit === 1000 ? 1024 : 1_048_576) : unit;
  // Tenths counted in whole numbers (n * 10 / divisor), so no float error can push a figure over a boundary.
  return `${Math.floor((n * 10) / divisor) / 10}${suffix}`;
}

/** "$0.003 / $0.015" per 1K tokens; "free" for a zero price; "—" for one we do not know. */
export function price(p: Price | null): string {
  if (!p) return '—';
  if (p.input === 0 && p.output === 0) return 'free';
  return `$${p.input} / $${p.output}`;
}

/** "[#####.....]" filled by the used fraction. */
export function bar(used: number, total: number, width = 12): string {
  const filled = total > 0 ? Math.min(width, Math.round((used / total) * width)) : width;
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
}

/** Parts joined with "; ", starting a new line where the next part would pass `width` (in display columns). */
export function wrapParts(parts: string[], width: number, len: (text: string) => number): string {
  const lines: string[] = [];
  for (const part of parts) {
    const last = lines.length - 1;
    // "< width": a line that is followed by another ends in ";".
    if (last >= 0 && len(`${lines[last]}; ${part}`) < width) lines[last] = `${lines[last]}; ${part}`;
    else lines.push(part);
  }
  return lines.join(';\n');
}

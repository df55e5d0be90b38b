// How numbers, prices and dates read in tables and closing lines. Digit grouping (1,234,567) and days (YYYY-MM-DD,
// UTC) are core's rules, shared with the route plan's words: they are passed on here, not written again.
import type { Price } from '../core/types.ts';

export { groupThousands } from '../core/numbers.ts';
export { formatDay } from '../core/quota.ts';

/** 128000 -> "128K", 1047576 -> "1M", 8192 -> "8K" */
export function compact(n: number): string {
  const [unit, suffix] = n >= 1_000_000 ? [1_000_000, 'M'] : n >= 1000 ? [1000, 'K'] : [1, ''];
  // 8192 and 131072 are binary sizes (8K, 128K); 128000 and 200000 are decimal ones.
  const binary = n % unit !== 0 && n % (unit === 1000 ? 1024 : 1_048_576) === 0;
  return `${trim(n / (binary ? (unit === 1000 ? 1024 : 1_048_576) : unit))}${suffix}`;
}

const trim = (x: number): string => (Math.round(x * 10) / 10).toString();

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

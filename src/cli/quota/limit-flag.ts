// `quota set --limit rpd=14400`: one limit of a free tier as a user writes it. The name is the one `quota` shows
// (rpm, rph, rpd, tpm, tph, tpd, itpm, itph, itpd, or unit/per: requests/week, tokens/month, input_tokens/month,
// and `tokens total`); after `@`, `rolling` or the time zone its boundary is in (default: UTC, or what the limit
// had). `rpd=none` removes the limit.
import { UsageError } from '../../core/errors.ts';
import { isTimeZone, limitName } from '../../core/limits.ts';
import { LIMIT_PERS, LIMIT_UNITS, type Limit, type LimitPer, type LimitUnit } from '../../core/types.ts';

const NAMES = new Map<string, { unit: LimitUnit; per: LimitPer }>(
  LIMIT_UNITS.flatMap((unit) => LIMIT_PERS.map((per) => [limitName(unit, per), { unit, per }] as const)),
);
for (const unit of LIMIT_UNITS)
  for (const per of LIMIT_PERS) if (per !== 'total') NAMES.set(`${unit}/${per}`, { unit, per });

const EXAMPLE =
  'e.g. --limit rpd=14400, --limit rpm=30@rolling, --limit tpd=500000@America/Los_Angeles, --limit rpd=none';

/** Applies one `--limit` to a tier's limits: replaced, added, or removed. */
export function applyLimitFlag(limits: Limit[], flag: string): Limit[] {
  const match = /^([a-z_/ ]+)=(\d+|none)(?:@(.+))?$/i.exec(flag.trim());
  const named = match && NAMES.get(match[1]!.toLowerCase());
  if (!match || !named) throw new UsageError(`--limit "${flag}" is not a limit`, EXAMPLE);
  const others = limits.filter((l) => l.unit !== named.unit || l.per !== named.per);
  if (match[2] === 'none') return others;
  const count = Number(match[2]);
  if (!Number.isSafeInteger(count) || count <= 0)
    throw new UsageError(`--limit ${flag}: the number must be positive`, EXAMPLE);
  const before = limits.find((l) => l.unit === named.unit && l.per === named.per);
  const where = match[3]?.trim();
  if (where !== undefined && where !== 'rolling' && !isTimeZone(where)) {
    throw new UsageError(
      `--limit ${flag}: "${where}" is neither rolling nor a time zone`,
      'e.g. UTC, America/Los_Angeles',
    );
  }
  const resets: Limit['resets'] = where === 'rolling' ? 'rolling' : where ? 'boundary' : (before?.resets ?? 'boundary');
  const timeZone = where && where !== 'rolling' ? where : resets === 'boundary' ? before?.timeZone : undefined;
  return [...others, { ...named, limit: count, resets, ...(timeZone && timeZone !== 'UTC' ? { timeZone } : {}) }];
}

// The old service's `data/quota.json`: one entry per `provider:model` with totalQuota, usedQuota, resetPeriod,
// lastResetAt and, where the tier ends, expires. Real files lack fields, so each entry is read on its own: what is
// missing stays undefined for the plan to fill from the catalog, and an entry that cannot be used carries the reason,
// for the report. Only a file that is not JSON, or not an object of entries, stops the migration.
import { RESET_PERIODS, type ResetPeriod } from '../core/types.ts';
import { oldDateDay, parseOldDate } from './dates.ts';
import { parseJsonSource } from './json-source.ts';
import { SourceError } from './source-error.ts';

export interface OldTier {
  /** The entry's key in the file, e.g. `siliconflow:Qwen/Qwen2.5-7B-Instruct`. */
  key: string;
  provider: string;
  /** As the old service spelt it: a catalog id or the upstream's name. */
  model: string;
  totalQuota?: number;
  usedQuota?: number;
  resetPeriod?: ResetPeriod;
  /** Epoch ms. */
  lastResetAt?: number;
  /** YYYY-MM-DD: the first day the tier no longer applies. */
  expires?: string;
}

export type QuotaFileEntry = { key: string; tier: OldTier } | { key: string; problem: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isWhole = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

export function readQuotaFile(path: string, text: string): QuotaFileEntry[] {
  const raw = parseJsonSource(path, text);
  if (!isObject(raw)) throw new SourceError(path, 1, 1, 'expected an object of "provider:model" entries');
  return Object.entries(raw).map(([key, value]) => {
    const problem = (what: string): QuotaFileEntry => ({ key, problem: what });
    if (!isObject(value)) return problem('not an object');
    const colon = key.indexOf(':');
    const provider =
      typeof value.provider === 'string' && value.provider
        ? value.provider
        : colon > 0
          ? key.slice(0, colon)
          : undefined;
    const model =
      typeof value.model === 'string' && value.model ? value.model : colon > 0 ? key.slice(colon + 1) : undefined;
    if (!provider || !model)
      return problem('names no provider and model (neither in its fields nor as "provider:model")');
    const tier: OldTier = { key, provider, model };
    if (value.totalQuota !== undefined) {
      if (!isWhole(value.totalQuota) || value.totalQuota <= 0)
        return problem('totalQuota is not a positive whole number');
      tier.totalQuota = value.totalQuota;
    }
    if (value.usedQuota !== undefined) {
      if (!isWhole(value.usedQuota) || value.usedQuota < 0) return problem('usedQuota is not a whole number of tokens');
      tier.usedQuota = value.usedQuota;
    }
    if (value.resetPeriod !== undefined) {
      if (!RESET_PERIODS.includes(value.resetPeriod as ResetPeriod))
        return problem(`resetPeriod is not one of ${RESET_PERIODS.join(', ')}`);
      tier.resetPeriod = value.resetPeriod as ResetPeriod;
    }
    if (value.lastResetAt !== undefined && value.lastResetAt !== null) {
      const at = typeof value.lastResetAt === 'string' ? parseOldDate(value.lastResetAt) : undefined;
      if (at === undefined)
        return problem('lastResetAt is not a date (YYYY-MM-DD), a UTC time or a time with an offset');
      tier.lastResetAt = at;
    }
    if (value.expires !== undefined && value.expires !== null) {
      const day = typeof value.expires === 'string' ? oldDateDay(value.expires) : undefined;
      if (day === undefined) return problem('expires is not a date (YYYY-MM-DD)');
      tier.expires = day;
    }
    return { key, tier };
  });
}

// quota.json into free tiers and the ledger. A tier for a catalog model updates that tier (total, period, anchor,
// expiry); one for a model the catalog lacks arrives with its model. The anchor of the windows is the old
// `lastResetAt` day. The old `usedQuota` is carried into the ledger only when `lastResetAt` falls in the window
// running now: a window that has reset since starts at zero, an expired tier stays expired with nothing carried.
import { formatDay, isExpired, parseDay, windowStart } from '../core/quota.ts';
import { tierKey, type Catalog, type FreeTier } from '../core/types.ts';
import { groupThousands as n } from '../lib/numbers.ts';
import type { Draft } from './draft.ts';
import { modelOn } from './plan-catalog.ts';
import type { OldTier, QuotaFileEntry } from './quota-file.ts';

/**
 * The catalog as this file's tiers change it, in linear time: the catalog is built once, before the first tier, and
 * what the tiers add to it — models the catalog lacked, tiers set — is looked up here beside it rather than by
 * building the catalog again after each (10,000 tiers took 100 s that way).
 */
interface TierScope {
  catalog: Catalog;
  /** Models added for a tier, by `provider\nname` as written and in lower case: the model's id. */
  addedModels: Map<string, string>;
  /** Tiers set so far, by tier key. */
  tiers: Map<string, FreeTier>;
  /** The user's own tiers in settings, by tier key. */
  mine: Map<string, FreeTier>;
}

export function planTiers(d: Draft, entries: QuotaFileEntry[], file: string): void {
  const mine = new Map<string, FreeTier>();
  for (const t of d.settings.freeTiers ?? []) {
    const key = tierKey(t.provider, t.model);
    if (!mine.has(key)) mine.set(key, t);
  }
  const scope: TierScope = { catalog: d.catalog(), addedModels: new Map(), tiers: new Map(), mine };
  for (const entry of entries) {
    if ('problem' in entry) d.skip('free tier', entry.key, entry.problem, file);
    else planTier(d, scope, entry.tier, file);
  }
}

/** The model `provider` serves under `name`, counting those added for earlier tiers. */
function modelIn(scope: TierScope, provider: string, name: string): string | undefined {
  return (
    modelOn(scope.catalog, provider, name)?.id ??
    scope.addedModels.get(`${provider}\n${name}`) ??
    scope.addedModels.get(`${provider}\n${name.toLowerCase()}`)
  );
}

function planTier(d: Draft, scope: TierScope, old: OldTier, file: string): void {
  const catalog = scope.catalog;
  if (!catalog.providers.has(old.provider)) {
    d.skip(
      'free tier',
      old.key,
      `provider ${old.provider} is unknown: add it (config.json or \`llm-gateway providers add\`), then migrate again`,
      file,
    );
    return;
  }
  let model = modelIn(scope, old.provider, old.model);
  if (!model) {
    // A tier for a model the catalog lacks brings the model; beyond the tier its price is unknown, so it is paid.
    d.addDeployment(old.model, { provider: old.provider });
    d.add('model', old.model, `on ${old.provider}, for its free tier (price beyond it unknown: routed as paid)`, file);
    model = old.model;
    for (const name of [old.model, old.model.toLowerCase()]) {
      const at = `${old.provider}\n${name}`;
      if (!scope.addedModels.has(at)) scope.addedModels.set(at, model);
    }
  }
  const key = tierKey(old.provider, model);
  const current = scope.tiers.get(key) ?? catalog.freeTiers.get(key);
  const tokens = old.totalQuota ?? current?.tokens;
  if (tokens === undefined) {
    d.skip('free tier', old.key, 'no totalQuota, and the catalog has no tier to take it from', file);
    return;
  }
  const tier: FreeTier = {
    provider: old.provider,
    model,
    tokens,
    period: old.resetPeriod ?? current?.period ?? 'monthly',
    anchor: old.lastResetAt !== undefined ? formatDay(old.lastResetAt) : (current?.anchor ?? formatDay(d.now)),
  };
  // A missing `expires` keeps the catalog's: a tier believed to run forever would bill nothing it should.
  const expires = old.expires ?? current?.expires;
  if (expires) tier.expires = expires;
  if (expires && parseDay(expires) <= parseDay(tier.anchor) && !isExpired(tier, d.now)) {
    d.skip('free tier', old.key, `expires ${expires}, before its lastResetAt day ${tier.anchor}`, file);
    return;
  }

  const named = model === old.model ? model : `${model} (${old.model})`;
  const effective = applyTier(d, scope, tier, current, named, file);
  carryUsage(d, old, effective, named, file);
}

/** Puts the tier into settings when it differs; returns the tier that will be in force. */
function applyTier(
  d: Draft,
  scope: TierScope,
  tier: FreeTier,
  current: FreeTier | undefined,
  named: string,
  file: string,
): FreeTier {
  const subject = `${tier.provider}:${named}`;
  const changes = current ? describeChanges(current, tier) : [];
  if (current && changes.length === 0) {
    d.same('free tier', subject, tierText(tier), file);
    return current;
  }
  const key = tierKey(tier.provider, tier.model);
  const mine = scope.mine.get(key);
  if (mine && current && !d.conflict('free tier', subject, tierText(current), tierText(tier), file)) return current;
  // The tier goes last, in place of the user's own for the same deployment (a scan only when there is one).
  const tiers = mine
    ? (d.settings.freeTiers ?? []).filter((t) => tierKey(t.provider, t.model) !== key)
    : (d.settings.freeTiers ?? []);
  tiers.push(tier);
  d.settings.freeTiers = tiers;
  d.changed();
  scope.mine.set(key, tier);
  scope.tiers.set(key, tier);
  d.add('free tier', subject, current ? `${changes.join('; ')}` : tierText(tier), file);
  return tier;
}

function carryUsage(d: Draft, old: OldTier, tier: FreeTier, named: string, file: string): void {
  const used = old.usedQuota ?? 0;
  const subject = `${tier.provider}:${named}`;
  if (used === 0) return;
  if (old.lastResetAt === undefined) {
    return d.skip(
      'usage',
      subject,
      `${n(used)} tokens not carried: no lastResetAt says which window they belong to`,
      file,
    );
  }
  if (isExpired(tier, d.now)) {
    return d.skip('usage', subject, `${n(used)} tokens not carried: the tier ended on ${tier.expires}`, file);
  }
  if (old.lastResetAt > d.now) {
    return d.skip('usage', subject, `${n(used)} tokens not carried: lastResetAt is in the future`, file);
  }
  if (tier.period === undefined) {
    return d.skip('usage', subject, `${n(used)} tokens not carried: the tier now counts the provider's windows`, file);
  }
  const start = windowStart({ anchor: tier.anchor, period: tier.period }, d.now);
  if (old.lastResetAt < start) {
    return d.skip(
      'usage',
      subject,
      `${n(used)} tokens not carried: the window reset on ${formatDay(start)}, so this one starts at 0`,
      file,
    );
  }
  const key = tierKey(tier.provider, tier.model);
  const requestId = `migrated:${key}:${formatDay(start)}`;
  const before = d.input.importedUsage(requestId);
  if (before === used)
    return d.same('usage', subject, `${n(used)} tokens already carried into the window from ${formatDay(start)}`, file);
  if (
    before !== undefined &&
    !d.conflict('usage', subject, `${n(before)} tokens imported before for this window`, `${n(used)} tokens`, file)
  )
    return;
  d.usage.push({
    requestId,
    provider: tier.provider,
    model: tier.model,
    tierKey: key,
    tokens: used,
    at: d.now,
    ...(before !== undefined ? { replaces: before } : {}),
  });
  d.add('usage', subject, `${n(used)} tokens carried into the window from ${formatDay(start)}`, file);
}

function describeChanges(from: FreeTier, to: FreeTier): string[] {
  const out: string[] = [];
  if (from.tokens !== to.tokens) out.push(`tokens ${n(from.tokens ?? 0)} → ${n(to.tokens ?? 0)}`);
  if (from.period !== to.period) out.push(`period ${from.period} → ${to.period}`);
  if (from.anchor !== to.anchor) out.push(`anchor ${from.anchor} → ${to.anchor}`);
  if (from.expires !== to.expires) out.push(`expires ${from.expires ?? 'never'} → ${to.expires ?? 'never'}`);
  return out;
}

function tierText(t: FreeTier): string {
  return `${n(t.tokens ?? 0)} tokens ${t.period} from ${t.anchor}${t.expires ? `, until ${t.expires}` : ''}`;
}

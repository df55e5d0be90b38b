// `quota set` registers or edits a free tier (in settings); `quota reset` starts one over (in the ledger).
import { requireServedBy, resolveModel } from '../../core/catalog.ts';
import { UsageError } from '../../core/errors.ts';
import { hasStarted, isExpired, parseDay } from '../../core/quota.ts';
import { tierKey, type FreeTier, type ModelSpec, type ResetPeriod } from '../../core/types.ts';
import { editConfig } from '../../store/config-edit.ts';
import type { Context } from '../common/context.ts';
import { formatDay, groupThousands } from '../common/format.ts';
import { parsePositiveInt } from '../common/options.ts';
import { limitsOf } from '../../core/limits.ts';
import { applyLimitFlag } from './limit-flag.ts';

interface SetOptions {
  provider?: string;
  tokens?: string;
  period?: ResetPeriod;
  anchor?: string;
  expires?: string;
  limit?: string[];
}

/** Registers a tier, or changes only what the flags say about an existing one (its period, anchor and expiry stay). */
export function quotaSetCommand(context: Context, selector: string, options: SetOptions): void {
  const catalog = context.runtime.catalog();
  const { model, provider: pinned } = resolveModel(catalog, selector);
  const provider = pickProvider(model, options.provider ?? pinned);
  const key = tierKey(provider, model.id);
  const existing = catalog.freeTiers.get(key);
  if (!existing && options.tokens === undefined && !options.limit?.length) {
    throw new UsageError(
      `${model.id} on ${provider} has no free tier yet`,
      "register one with --tokens N (and --period, --expires), or with the provider's windows: --limit rpd=1000",
    );
  }
  // The old allowance stays as it was unless --tokens or --period says otherwise; --limit edits the other windows.
  const tokens = options.tokens === undefined ? existing?.tokens : parsePositiveInt(options.tokens, '--tokens');
  const limits = (options.limit ?? []).reduce(applyLimitFlag, existing?.limits ?? []);
  const tier: FreeTier = {
    provider,
    model: model.id,
    ...(tokens === undefined ? {} : { tokens, period: options.period ?? existing?.period ?? 'monthly' }),
    ...(limits.length ? { limits } : {}),
    anchor: options.anchor
      ? checkDay(options.anchor, '--anchor')
      : (existing?.anchor ?? formatDay(context.runtime.now())),
  };
  const expires =
    options.expires === undefined
      ? existing?.expires
      : options.expires === 'never'
        ? undefined
        : checkDay(options.expires, '--expires');
  if (expires) {
    if (parseDay(expires) <= parseDay(tier.anchor))
      throw new UsageError(`--expires ${expires} is not after the tier's start (${tier.anchor})`);
    tier.expires = expires;
  }

  if (tier.tokens === undefined && !tier.limits?.length) {
    throw new UsageError(
      `that would leave ${model.id} on ${provider} a free tier with no limit`,
      'keep at least one --limit',
    );
  }
  editConfig(context.runtime.paths, ({ settings }) => {
    settings.freeTiers = [...(settings.freeTiers ?? []).filter((t) => tierKey(t.provider, t.model) !== key), tier];
  });
  context.runtime.invalidate();
  // A tier anchored in the future starts then: until that day the model is billed as if it had none.
  const from = hasStarted(tier, context.runtime.now())
    ? `from ${tier.anchor}`
    : `starting ${tier.anchor} (not before: until then it is not used)`;
  const what = limitsOf(tier)
    .map((l) =>
      l.anchor ? `${groupThousands(l.limit)} tokens ${tier.period}` : `${l.name} ${groupThousands(l.limit)}`,
    )
    .join(', ');
  context.out.note(
    `free tier for ${model.id} on ${provider}: ${what} ${from}` +
      (tier.expires ? `, until ${tier.expires}` : ', no end date'),
  );
}

export async function quotaResetCommand(
  context: Context,
  selector: string,
  options: { provider?: string },
): Promise<void> {
  const catalog = context.runtime.catalog();
  const { model, provider: pinned } = resolveModel(catalog, selector);
  const withTier = model.deployments.filter((d) => catalog.freeTiers.has(tierKey(d.provider, model.id)));
  const chosen = options.provider ?? pinned;
  const targets = chosen ? withTier.filter((d) => d.provider === chosen) : withTier;
  if (targets.length === 0) {
    throw new UsageError(
      `${model.id} has no free tier${chosen ? ` on ${chosen}` : ''}`,
      '`llm-gateway quota` lists the free tiers; `quota set` registers one',
    );
  }
  // An expired tier has no allowance to give back, and one that has not started has used none: resetting either
  // would change nothing, so nothing is changed and the command says so (exit 2 when nothing at all was reset).
  const now = context.runtime.now();
  const unchanged: string[] = [];
  let reset = 0;
  for (const d of targets) {
    const tier = catalog.freeTiers.get(tierKey(d.provider, model.id))!;
    if (isExpired(tier, now) || !hasStarted(tier, now)) {
      const why = isExpired(tier, now)
        ? `expired on ${tier.expires}`
        : `has not started yet (it starts ${tier.anchor})`;
      unchanged.push(`the free tier of ${model.id} on ${d.provider} ${why}: nothing was reset`);
      continue;
    }
    const ledger = await context.runtime.quota();
    await ledger.resetTier(tierKey(d.provider, model.id), now);
    await ledger.clearCooldowns({ provider: d.provider, model: model.id });
    context.out.note(`reset the free tier of ${model.id} on ${d.provider}: its whole allowance is available again`);
    reset++;
  }
  if (reset === 0) {
    const renewal = `if the tier was renewed, say so: \`llm-gateway quota set ${model.id} --provider ${targets[0]!.provider} --expires YYYY-MM-DD\` (or never)`;
    throw new UsageError(
      unchanged.join('; '),
      unchanged.some((line) => line.includes('expired')) ? renewal : undefined,
    );
  }
  for (const line of unchanged) context.out.note(line);
}

/**
 * Frees the holds a killed call left (they expire by themselves after 15 minutes): of one model's free tiers, or
 * of all. Usage is not touched; a call still running settles what it used all the same.
 */
export async function quotaReleaseCommand(
  context: Context,
  selector: string | undefined,
  options: { provider?: string },
): Promise<void> {
  const ledger = await context.runtime.quota();
  if (selector === undefined) {
    const n = await ledger.releaseHeld();
    context.out.note(`released ${n} held ${n === 1 ? 'reservation' : 'reservations'}; usage is unchanged`);
    return;
  }
  const catalog = context.runtime.catalog();
  const { model, provider: pinned } = resolveModel(catalog, selector);
  const chosen = options.provider ?? pinned;
  const targets = model.deployments.filter(
    (d) => catalog.freeTiers.has(tierKey(d.provider, model.id)) && (!chosen || d.provider === chosen),
  );
  if (targets.length === 0) {
    throw new UsageError(
      `${model.id} has no free tier${chosen ? ` on ${chosen}` : ''}`,
      '`llm-gateway quota` lists the free tiers',
    );
  }
  for (const d of targets) {
    const n = await ledger.releaseHeld(tierKey(d.provider, model.id));
    context.out.note(
      `released ${n} held ${n === 1 ? 'reservation' : 'reservations'} on ${model.id} (${d.provider}); usage is unchanged`,
    );
  }
}

function pickProvider(model: ModelSpec, provider: string | undefined): string {
  const providers = model.deployments.map((d) => d.provider);
  if (provider) {
    requireServedBy(model, provider);
    return provider;
  }
  if (providers.length === 1) return providers[0]!;
  throw new UsageError(`${model.id} is served by ${providers.join(' and ')}`, 'say which with --provider');
}

function checkDay(value: string, flag: string): string {
  try {
    parseDay(value);
    return value;
  } catch {
    throw new UsageError(`${flag} must be a date YYYY-MM-DD, got "${value}"`);
  }
}

// `llm-gateway models`: the catalog as a table or JSON, with each deployment's free-tier status.
import { agentFitJson, freeAgentFits, type FreeAgentFit } from '../../core/agent-fit.ts';
import { requireProvider } from '../../core/catalog.ts';
import { UsageError } from '../../core/errors.ts';
import { describeTiers, type TierView } from '../../core/tier-report.ts';
import type { Deployment, LedgerSnapshot, ModelSpec } from '../../core/types.ts';
import type { Context } from '../common/context.ts';
import { tierLapse } from '../../core/quota.ts';
import { compact, formatDay, price } from '../common/format.ts';
import { tierJson } from '../../runtime/quota-report.ts';

interface ModelsOptions {
  provider?: string;
  free?: boolean;
  capability: string[];
  json?: boolean;
}

export async function modelsCommand(context: Context, options: ModelsOptions): Promise<void> {
  const catalog = context.runtime.catalog();
  if (options.provider) requireProvider(catalog, options.provider);
  const now = context.runtime.now();
  const keyed = context.runtime.keyedProviders();
  const tiers = new Map(describeTiers(catalog, await snapshotOf(context), keyed, now).map((t) => [t.key, t]));
  const tierOf = (d: Deployment) => tiers.get(`${d.provider}:${d.model}`);
  const isFree = (d: Deployment) => {
    const tier = tierOf(d);
    return tier && tier.state !== 'not started'
      ? tier.state !== 'expired'
      : d.price?.input === 0 && d.price?.output === 0;
  };

  const rows: Array<{ model: ModelSpec; deployment: Deployment }> = [];
  for (const model of catalog.models.values()) {
    if (!options.capability.every((c) => model.capabilities.includes(c))) continue;
    for (const deployment of model.deployments) {
      if (options.provider && deployment.provider !== options.provider) continue;
      if (options.free && !isFree(deployment)) continue;
      rows.push({ model, deployment });
    }
  }
  if (rows.length === 0 && options.capability.length && !hasCapability(catalog.models.values(), options.capability)) {
    const known = new Set([...catalog.models.values()].flatMap((m) => m.capabilities));
    throw new UsageError(
      `no model has capability ${options.capability.join(' + ')}`,
      `known capabilities: ${[...known].sort().join(', ')}`,
    );
  }

  // With --free, each row says whether an agent-sized request (~25K prompt) fits it at all.
  const fits = options.free
    ? new Map(freeAgentFits(catalog, now).map((f) => [`${f.provider}:${f.model}`, f]))
    : undefined;
  const fitOf = (d: Deployment) => fits?.get(`${d.provider}:${d.model}`);
  if (options.json) {
    context.out.json(toJson(rows, tierOf, keyed, fits ? fitOf : undefined));
    return;
  }
  const style = context.out.style;
  // Ids never shrink. On a narrow terminal NAME goes first, then CAPABILITIES, price, CONTEXT and KEY (a keyless
  // provider is still dimmed), so MODEL, PROVIDER and FREE TIER always show: 80 columns keep CONTEXT and KEY too.
  await context.out.table(
    [
      { header: 'MODEL' },
      { header: 'NAME', shrink: true, min: 12, optional: true, priority: 1 },
      { header: 'PROVIDER' },
      { header: 'KEY', optional: true, priority: 5 },
      { header: 'CONTEXT', align: 'right', optional: true, priority: 4 },
      { header: '$/1K IN / OUT', optional: true, priority: 3 },
      { header: 'CAPABILITIES', shrink: true, min: 16, optional: true, priority: 2 },
      // Cut only as a last resort: the state comes first ("0 left, …", "expired …"), so a cut cell still says it.
      { header: 'FREE TIER', shrink: true, min: Infinity },
      ...(fits ? [{ header: 'AGENT' }] : []),
    ],
    rows.map(({ model, deployment }) => [
      model.id,
      model.name,
      deployment.provider,
      keyed.has(deployment.provider) ? 'yes' : 'no',
      compact(deployment.contextWindow ?? model.contextWindow),
      priceText(deployment, tierOf(deployment)),
      model.capabilities.join(', '),
      tierText(tierOf(deployment)),
      ...(fits ? [agentText(fitOf(deployment))] : []),
    ]),
    (r, c, text) => {
      const hasKey = keyed.has(rows[r]!.deployment.provider);
      if (c === 2 && !hasKey) return style.dim(text);
      if (c === 3 && !hasKey) return style.yellow(text);
      if (c === 8) return fitOf(rows[r]!.deployment)?.misfit ? style.yellow(text) : style.green(text);
      if (c !== 7) return text;
      const state = tierOf(rows[r]!.deployment)?.state;
      return state === 'active' ? style.green(text) : state ? style.yellow(text) : style.dim(text);
    },
  );
}

/** `fits`, or the window an agent-sized request does not fit in: `tpm 6K`, `context 32K`. */
function agentText(fit: FreeAgentFit | undefined): string {
  if (!fit) return '—';
  return fit.misfit ? `${fit.misfit.window} ${compact(fit.misfit.limit)}` : 'fits';
}

function hasCapability(models: Iterable<ModelSpec>, wanted: string[]): boolean {
  return [...models].some((m) => wanted.every((c) => m.capabilities.includes(c)));
}

/** A deployment with an unpublished price but a running free tier reads as what it is to the user. */
function priceText(deployment: Deployment, tier: TierView | undefined): string {
  if (!deployment.price && tier && tier.state !== 'expired' && tier.state !== 'not started') return 'free tier';
  return price(deployment.price);
}

/**
 * The tier in a few words, what is left first: "1M left this month", "0 left, resets 2026-12-15" (used up), "1M left,
 * ends 2026-03-03" (it expires before its next reset, so it never resets), "expired 2026-03-03".
 */
function tierText(tier: TierView | undefined): string {
  if (!tier) return '—';
  if (tier.state === 'expired') return `expired ${formatDay(tier.expires!)}`;
  if (tier.starts !== undefined) return `starts ${formatDay(tier.starts)}`;
  const left = `${compact(tier.remaining)} left`;
  const lapse = tierLapse(tier.nextReset, tier.expires);
  if (lapse.ends) return `${left}, ends ${formatDay(lapse.at)}`;
  if (tier.state === 'exhausted') return `${left}, resets ${formatDay(lapse.at)}`;
  return tier.period ? `${left} ${WINDOW[tier.period]}` : `${left} ${tier.headline.name}`;
}

const WINDOW: Record<NonNullable<TierView['period']>, string> = {
  daily: 'today',
  weekly: 'this week',
  monthly: 'this month',
};

function toJson(
  rows: Array<{ model: ModelSpec; deployment: Deployment }>,
  tierOf: (d: Deployment) => TierView | undefined,
  keyed: Set<string>,
  fitOf?: (d: Deployment) => FreeAgentFit | undefined,
) {
  const byModel = new Map<string, { model: ModelSpec; deployments: Deployment[] }>();
  for (const { model, deployment } of rows) {
    const entry = byModel.get(model.id) ?? { model, deployments: [] };
    entry.deployments.push(deployment);
    byModel.set(model.id, entry);
  }
  return [...byModel.values()].map(({ model, deployments }) => ({
    id: model.id,
    name: model.name,
    contextWindow: model.contextWindow,
    capabilities: model.capabilities,
    deployments: deployments.map((d) => {
      const tier = tierOf(d);
      return {
        provider: d.provider,
        upstreamId: d.upstreamId,
        contextWindow: d.contextWindow ?? model.contextWindow,
        price: d.price,
        hasKey: keyed.has(d.provider),
        freeTier: tier ? tierJson(tier) : null,
        ...(fitOf ? { agentSized: agentFitJsonOf(fitOf(d)) } : {}),
      };
    }),
  }));
}

function agentFitJsonOf(fit: FreeAgentFit | undefined) {
  if (!fit) return null;
  const { model: _model, provider: _provider, ...rest } = agentFitJson(fit);
  return rest;
}

/**
 * Usage from the local ledger. A shared one is not connected to: listing models costs no round trip to a database
 * (nor loading its driver), and works while it is down; what is left there is `quota`'s to say.
 */
async function snapshotOf(context: Context): Promise<LedgerSnapshot> {
  if (context.runtime.databaseUrl() === undefined) return context.runtime.snapshot();
  context.out.note(
    'free tiers are shown without the usage in the shared ledger: `llm-gateway quota` shows what is left',
  );
  return { usage: new Map(), cooldowns: [] };
}

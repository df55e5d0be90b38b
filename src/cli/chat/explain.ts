// `chat --explain`: the route plan as a person reads it (or as JSON), with no call made.
import { agentFitJson, describeAgentFits, freeAgentFits } from '../../core/agent-fit.ts';
import { estimateRequestTokens } from '../../core/estimate.ts';
import type { ChatRequest, RoutePlan } from '../../core/types.ts';
import type { Context } from '../common/context.ts';
import { tierLapse } from '../../core/quota.ts';
import { formatDay, groupThousands } from '../common/format.ts';
import { skipText } from '../common/skip-text.ts';

export function printPlan(context: Context, plan: RoutePlan, request: ChatRequest, json: boolean): void {
  const catalog = context.runtime.catalog();
  const agentFits = freeAgentFits(catalog, plan.at);
  // What the router planned with: the messages (an image counts 1,600) plus tool definitions and a --schema.
  const inputTokens = estimateRequestTokens(request);
  const candidates = plan.candidates.map((c) => ({
    model: c.model.id,
    provider: c.provider.id,
    billing: c.billing,
    freeRemaining: c.tier?.remaining ?? null,
    nextReset: c.tier ? new Date(c.tier.nextReset).toISOString() : null,
  }));
  // The documented shape: each skip's reason and its words, not the data behind them.
  const skipped = plan.skipped.map((s) => ({
    model: s.model,
    provider: s.provider,
    reason: s.reason,
    detail: skipText(s, plan.at),
    ...(s.reason === 'cooling_down' ? { cooldownKind: s.cooldownKind } : {}),
  }));
  if (json) {
    context.out.json({
      target: plan.target,
      scenario: plan.scenario ?? null,
      inputTokens,
      candidates,
      skipped,
      unknownModels: plan.unknownModels ?? [],
      agentSized: agentFits.map(agentFitJson),
    });
    return;
  }
  const { style, print } = context.out;
  print(
    `${style.bold('route for')} ${plan.target}  (prompt ~${groupThousands(inputTokens)} tokens${request.maxTokens ? `, answer up to ${groupThousands(request.maxTokens)}` : ''})`,
  );
  if (candidates.length === 0) print(style.red('no candidate: nothing would be called'));
  else print(style.bold('would try, in order:'));
  candidates.forEach((c, i) => {
    const tier = plan.candidates[i]!.tier;
    const billing =
      c.billing === 'free-tier' && tier
        ? `free tier, ${groupThousands(tier.remaining)} left, ${lapse(tier)}`
        : c.billing;
    print(`  ${i + 1}. ${c.model} (${c.provider}): ${billing}`);
  });
  if (plan.skipped.length) print(style.bold('skipped:'));
  for (const s of skipped) print(`  - ${s.model} (${s.provider}): ${style.yellow(s.reason)}, ${s.detail}`);
  if (plan.unknownModels?.length) {
    print(`${style.bold('not in the catalog')} (fix the scenario in settings.json): ${plan.unknownModels.join(', ')}`);
  }
  for (const line of describeAgentFits(agentFits)) print(style.dim(line));
}

/** When the tokens left stop being spendable: the next reset, or the tier's end if that comes first. */
function lapse(tier: { nextReset: number; expires?: number }): string {
  const { at, ends } = tierLapse(tier.nextReset, tier.expires);
  return `${ends ? 'ends' : 'resets'} ${formatDay(at)}`;
}

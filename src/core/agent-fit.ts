// Which free models can take an agent-sized request at all. A coding agent sends a long prompt on every turn (Claude
// Code: ~23K tokens of system prompt, tools and history) and needs room to answer; a free model whose context window,
// per-minute token limit or any token window is smaller than that can never answer such a turn, however much of its
// quota is left. `models --free`, the serve banner and `chat --explain` say it from this one rule.
import { contextWindowOf, freeTierOf } from './catalog.ts';
import { limitsOf } from './limits.ts';
import { hasStarted, isExpired } from './quota.ts';
import type { Catalog, Deployment, FreeTier, ModelSpec } from './types.ts';
import { groupThousands } from '../lib/numbers.ts';

/** The prompt of an agent's turn, rounded up from Claude Code's ~23K. */
export const AGENT_PROMPT_TOKENS = 25_000;
/** An answer budget worth having for such a turn: a tool call with a file's edit, not a cut sentence. */
export const AGENT_ANSWER_TOKENS = 4_096;

/** Why a deployment cannot take an agent-sized request: the smallest window it would not fit in. */
export interface AgentMisfit {
  /** `context`, `tpm` (the deployment's published per-request rate window), or a tier limit's name (`tpd`, `itpm`…). */
  window: string;
  /** That window's size in tokens. */
  limit: number;
  /** What the request needs in that window: prompt + answer, or the prompt alone for an input-token limit. */
  needed: number;
}

/** Undefined when an agent-sized request fits every window of this deployment; else the smallest one it does not. */
export function agentMisfit(
  model: ModelSpec,
  deployment: Deployment,
  tier: FreeTier | undefined,
): AgentMisfit | undefined {
  const total = AGENT_PROMPT_TOKENS + AGENT_ANSWER_TOKENS;
  const windows: AgentMisfit[] = [{ window: 'context', limit: contextWindowOf(model, deployment), needed: total }];
  if (deployment.tokensPerMinute !== undefined)
    windows.push({ window: 'tpm', limit: deployment.tokensPerMinute, needed: total });
  for (const limit of tier ? limitsOf(tier) : []) {
    if (limit.unit === 'requests') continue;
    const needed = limit.unit === 'input_tokens' ? AGENT_PROMPT_TOKENS : total;
    windows.push({ window: limit.name, limit: limit.limit, needed });
  }
  const misfits = windows.filter((w) => w.limit < w.needed).sort((a, b) => a.limit - b.limit);
  return misfits[0];
}

export interface FreeAgentFit {
  model: string;
  provider: string;
  /** Undefined: it can take an agent-sized request. */
  misfit?: AgentMisfit;
}

/**
 * Every deployment free to use at `now` — a free tier that has started and not ended, or a price of nothing — with
 * whether an agent-sized request fits it, in catalog order.
 */
export function freeAgentFits(catalog: Catalog, now: number): FreeAgentFit[] {
  const fits: FreeAgentFit[] = [];
  for (const model of catalog.models.values()) {
    for (const deployment of model.deployments) {
      const declared = freeTierOf(catalog, deployment);
      const tier = declared && hasStarted(declared, now) ? declared : undefined;
      const free = tier ? !isExpired(tier, now) : deployment.price?.input === 0 && deployment.price.output === 0;
      if (!free) continue;
      const misfit = agentMisfit(model, deployment, tier);
      fits.push({ model: model.id, provider: deployment.provider, ...(misfit ? { misfit } : {}) });
    }
  }
  return fits;
}

/**
 * The verdict in words, one line each: the free models that can take an agent-sized request, and those too small for
 * one with the window that stops them (`llama-3.1-8b-instant (groq: tpm 6,000)`). No line for an empty group. Given
 * which providers have a key, a model that fits but cannot be used yet says so (`gemini-2.5-flash (gemini, no key)`).
 */
export function describeAgentFits(fits: FreeAgentFit[], keyed?: ReadonlySet<string>): string[] {
  const size = `~${groupThousands(AGENT_PROMPT_TOKENS)} prompt + ${groupThousands(AGENT_ANSWER_TOKENS)} answer tokens`;
  const noKey = (provider: string) => (keyed && !keyed.has(provider) ? ', no key' : '');
  const able = fits.filter((f) => !f.misfit).map((f) => `${f.model} (${f.provider}${noKey(f.provider)})`);
  const small = fits
    .filter((f) => f.misfit)
    .map((f) => `${f.model} (${f.provider}: ${f.misfit!.window} ${groupThousands(f.misfit!.limit)})`);
  if (fits.length === 0) return [];
  return [
    able.length
      ? `free models that can take an agent-sized request (${size}): ${able.join(', ')}`
      : `no free model can take an agent-sized request (${size})`,
    ...(small.length ? [`free models too small for one: ${small.join(', ')}`] : []),
  ];
}

/** One free deployment and whether an agent-sized request fits it, as `--explain --json` and `models --free --json` list it. */
export function agentFitJson(fit: FreeAgentFit) {
  return {
    model: fit.model,
    provider: fit.provider,
    fits: !fit.misfit,
    ...(fit.misfit ? { window: fit.misfit.window, limit: fit.misfit.limit } : {}),
  };
}

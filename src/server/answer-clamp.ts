// An agent asks a large answer budget on every turn (Claude Code: max_tokens 32000-128000) that it rarely uses. A free
// model whose per-request or per-minute window that budget alone overflows would be passed over, and the turn would
// go to a paid model or fail. Instead the budget is clamped to what the first such window allows, when that puts a
// free model first — or, when the budget asked leaves no model at all (Claude Code's 128000 plus its prompt is over
// every 128K context but Claude's), when that lets any allowed model answer. The response header and the log say so.
import type { Gateway } from '../core/gateway.ts';
import type { ChatRequest, RoutePlan } from '../core/types.ts';

/** Below this an answer budget is too small to be worth clamping to: the answer would be cut short. */
export const MIN_CLAMPED_BUDGET = 1024;

/** The response header naming the clamped budget and the one asked for. */
export const CLAMP_HEADER = 'x-llm-gateway-max-tokens';

/** The budgets the windows passed over for their size allow, in route order, when smaller than asked and worth having. */
export function budgetsThatFit(plan: RoutePlan, maxTokens: number): number[] {
  const budgets: number[] = [];
  for (const skip of plan.skipped) {
    if (skip.reason !== 'over_rate_window' && skip.reason !== 'context_too_small') continue;
    const limit = skip.reason === 'over_rate_window' ? skip.tokensPerMinute : skip.contextWindow;
    const budget = limit - (skip.neededTokens - maxTokens); // the window less the prompt
    if (budget >= MIN_CLAMPED_BUDGET && budget < maxTokens && !budgets.includes(budget)) budgets.push(budget);
  }
  return budgets;
}

/** A clamped answer budget, and whether it is a free model's window that set it. */
export interface Clamp {
  budget: number;
  free: boolean;
}

/**
 * The clamped budget for this request, when clamping lets a free model answer that otherwise could not lead, or
 * lets any model answer when the budget asked left none.
 */
export async function clampBudget(gateway: Gateway, request: ChatRequest): Promise<Clamp | undefined> {
  if (request.maxTokens === undefined) return undefined;
  const plan = await gateway.plan(request);
  if (plan.candidates[0]?.billing === 'free-tier') return undefined;
  // The first window's budget may still be too large for the next model's (a 131K context before a 128K one).
  for (const budget of budgetsThatFit(plan, request.maxTokens).slice(0, 4)) {
    const lead = (await gateway.plan({ ...request, maxTokens: budget })).candidates[0];
    if (lead?.billing === 'free-tier') return { budget, free: true };
    if (lead && plan.candidates.length === 0) return { budget, free: false };
  }
  return undefined;
}

/** The clamp header's value: the budget sent, the one asked for, and whose window set it. */
export function clampHeader(clamp: Clamp, asked: number): string {
  return `${clamp.budget} (asked ${asked}: the most ${clamp.free ? "a free model's" : "the answering model's"} window allows)`;
}

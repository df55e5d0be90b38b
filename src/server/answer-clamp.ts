// An agent asks a large answer budget on every turn (Claude Code: max_tokens 32000-128000) that it rarely uses. A free
// model whose per-request or per-minute window that budget alone overflows would be passed over, and the turn would
// go to a paid model or fail. Instead the budget is clamped to what the first such window allows, when that puts a
// free model first; the response header and the request log say so.
import type { Gateway } from '../core/gateway.ts';
import type { ChatRequest, RoutePlan } from '../core/types.ts';

/** Below this an answer budget is too small to be worth clamping to: the answer would be cut short. */
export const MIN_CLAMPED_BUDGET = 1024;

/** The response header naming the clamped budget and the one asked for. */
export const CLAMP_HEADER = 'x-llm-gateway-max-tokens';

/** The budget the first window passed over for its size allows, when smaller than asked and worth having. */
export function budgetThatFits(plan: RoutePlan, maxTokens: number): number | undefined {
  for (const skip of plan.skipped) {
    if (skip.reason !== 'over_rate_window' && skip.reason !== 'context_too_small') continue;
    const limit = skip.reason === 'over_rate_window' ? skip.tokensPerMinute : skip.contextWindow;
    const budget = limit - (skip.neededTokens - maxTokens); // the window less the prompt
    if (budget >= MIN_CLAMPED_BUDGET && budget < maxTokens) return budget;
  }
  return undefined;
}

/** The clamped budget for this request, when clamping lets a free model answer that otherwise could not lead. */
export async function freeBudget(gateway: Gateway, request: ChatRequest): Promise<number | undefined> {
  if (request.maxTokens === undefined) return undefined;
  const plan = await gateway.plan(request);
  if (plan.candidates[0]?.billing === 'free-tier') return undefined;
  const budget = budgetThatFits(plan, request.maxTokens);
  if (budget === undefined) return undefined;
  const clamped = await gateway.plan({ ...request, maxTokens: budget });
  return clamped.candidates[0]?.billing === 'free-tier' ? budget : undefined;
}

// The route for one request, planned from the ledger as it stands now: the free quota left, the cooldowns that
// still apply to the keys and base URLs in use, and which providers have a key that can be sent.
import { appliesTo } from './cooldown-scope.ts';
import { estimateRequestTokens } from './estimate.ts';
import type { GatewayDeps } from './gateway-deps.ts';
import { requiredCapabilities } from './request-capabilities.ts';
import { planRoute } from './router.ts';
import { tierWindows } from './tier-report.ts';
import type { ChatRequest, Cooldown, ProviderSpec, RoutePlan } from './types.ts';

export async function planRequest(deps: GatewayDeps, request: ChatRequest): Promise<RoutePlan> {
  const now = deps.now();
  const snapshot = await deps.ledger.snapshot(tierWindows(deps.catalog, now), now);
  return planRoute({
    catalog: deps.catalog,
    snapshot: { ...snapshot, cooldowns: snapshot.cooldowns.filter((c) => forCurrentSetup(deps, c)) },
    keyedProviders: new Set([...deps.catalog.providers.values()].filter((p) => deps.credentials(p)).map((p) => p.id)),
    invalidKeys: problems(deps, (p) => deps.keyProblem?.(p)),
    endpointProblems: problems(deps, (p) => deps.endpointProblem?.(p)),
    request: {
      model: request.model,
      scenario: request.scenario,
      inputTokens: estimateRequestTokens(request),
      maxOutputTokens: request.maxTokens,
      capabilities: requiredCapabilities(request),
      allowPaid: request.allowPaid ?? deps.allowPaid,
    },
    now,
    longPromptTokens: deps.longPromptTokens,
  });
}

/**
 * Each provider's problem of one kind (a key that cannot be sent, a base URL variable that cannot be used), by
 * provider id: the router passes each over with its reason.
 */
function problems<P>(deps: GatewayDeps, problemOf: (provider: ProviderSpec) => P | undefined): Map<string, P> {
  const found = new Map<string, P>();
  for (const provider of deps.catalog.providers.values()) {
    const problem = problemOf(provider);
    if (problem) found.set(provider.id, problem);
  }
  return found;
}

/**
 * Cooldowns tied to what earned them (a rejected key, a failing endpoint) hold while the same key and base URL
 * are in use, and not at all once the user has changed them; the router then sees them as the provider's or the
 * deployment's.
 */
function forCurrentSetup(deps: GatewayDeps, cooldown: Cooldown): boolean {
  if (cooldown.keyFingerprint === undefined && cooldown.endpointFingerprint === undefined) return true;
  const provider = deps.catalog.providers.get(cooldown.provider);
  return appliesTo(cooldown, provider && deps.credentials(provider));
}

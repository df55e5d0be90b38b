// An attempt's hold on free quota: reserved before the call, so two calls in flight cannot both spend the last of
// a tier; then settled with the real usage, or released when nothing was used.
import { answerBudget } from './answer-budget.ts';
import { freeTierOf } from './catalog.ts';
import { ConfigError } from './errors.ts';
import type { GatewayDeps } from './gateway-deps.ts';
import { headlineRemaining, limitStates, limitsOf, limitWindow, tierLimitWindows } from './limits.ts';
import type { Candidate, ChatResult, Usage, UsageRecord } from './types.ts';

const DEFAULT_RESERVATION_TTL_MS = 15 * 60_000;

type LedgerDeps = Pick<GatewayDeps, 'catalog' | 'ledger' | 'now' | 'reservationTtlMs'>;

/** False when other calls in flight hold what is left of the candidate's free tier. */
export async function reserve(
  deps: LedgerDeps,
  candidate: Candidate,
  requestId: string,
  input: number,
  maxTokens: number | undefined,
): Promise<boolean> {
  const tier = candidate.tier && freeTierOf(deps.catalog, candidate.deployment);
  const now = deps.now();
  if (!candidate.tier || !tier) {
    // Nothing to hold, but the usage must be recordable: an unwritable ledger stops the run before it spends.
    await deps.ledger.checkWritable(now);
    return true;
  }
  return deps.ledger.reserve({
    requestId,
    tierKey: candidate.tier.key,
    tokens: input + answerBudget(candidate.provider, maxTokens),
    inputTokens: input,
    // Every window the provider counts: one request more, its tokens and its prompt must fit each.
    limits: limitsOf(tier).map((l) => ({ unit: l.unit, windowStart: limitWindow(l, now).start, limit: l.limit })),
    expiresAt: now + (deps.reservationTtlMs ?? DEFAULT_RESERVATION_TTL_MS),
    now,
  });
}

/**
 * The free tokens the ledger holds for the candidate's tier once this call is settled (other calls' usage and
 * reservations counted); undefined off a free tier, or when the ledger cannot be read now (the answer still stands).
 */
export async function freeLeft(deps: LedgerDeps, candidate: Candidate): Promise<number | undefined> {
  const tier = candidate.tier && freeTierOf(deps.catalog, candidate.deployment);
  if (!candidate.tier || !tier) return undefined;
  const now = deps.now();
  try {
    const { key } = candidate.tier;
    const { usage } = await deps.ledger.snapshot(tierLimitWindows(key, tier, now), now);
    return headlineRemaining(limitStates(key, tier, usage, now));
  } catch {
    return undefined;
  }
}

/**
 * Records what the call used. A ledger that cannot (the disk filled mid-answer: an unwritable one is found before
 * the call) does not cost the caller the answer it paid for: why is returned, to travel with the answer.
 */
export async function settle(
  deps: LedgerDeps,
  candidate: Candidate,
  requestId: string,
  usage: Usage,
  outcome: UsageRecord['outcome'],
): Promise<Pick<ChatResult, 'usageNotRecorded'>> {
  try {
    await record(deps, candidate, requestId, usage, outcome);
    return {};
  } catch (err) {
    if (err instanceof ConfigError) return { usageNotRecorded: err.message };
    throw err;
  }
}

function record(
  deps: LedgerDeps,
  candidate: Candidate,
  requestId: string,
  usage: Usage,
  outcome: UsageRecord['outcome'],
): Promise<void> {
  return deps.ledger.settle({
    requestId,
    provider: candidate.provider.id,
    model: candidate.model.id,
    tierKey: candidate.tier?.key,
    billing: candidate.billing,
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    ...(usage.reasoningTokens === undefined ? {} : { reasoningTokens: usage.reasoningTokens }),
    ...(usage.cacheReadTokens === undefined ? {} : { cacheReadTokens: usage.cacheReadTokens }),
    ...(usage.cacheWriteTokens === undefined ? {} : { cacheWriteTokens: usage.cacheWriteTokens }),
    estimated: usage.estimated,
    outcome,
    at: deps.now(),
  });
}

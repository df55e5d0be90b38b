// One attempt on one candidate: reserve its free quota -> call -> stream -> settle the real usage; or, when it
// failed before its first token, release the reservation and hand the error back (the gateway loop decides whether
// to retry, fall back or stop). After the first token there is no going back: the partial answer stands, what it
// cost is recorded and PartialAnswerError is raised.
import { AnswerSoFar, type AnswerFrom } from './answer-so-far.ts';
import { PartialAnswerError, UpstreamError } from './errors.ts';
import type { Credentials, GatewayDeps, GatewayEvent } from './gateway-deps.ts';
import { asUpstreamError } from './gateway-errors.ts';
import { answerBudget } from './answer-budget.ts';
import { freeLeft, reserve, settle } from './reservation.ts';
import { contextWindowOf } from './catalog.ts';
import { unbelievableUsage } from './usage-check.ts';
import type { Adapter, AdapterCall, Candidate, ChatRequest, ChatResult, Fallback } from './types.ts';

export interface AttemptPlan {
  candidate: Candidate;
  credentials: Credentials;
  adapter: Adapter;
  request: ChatRequest;
  /** 1 for the first call to this candidate, then one more for each retry. */
  attempt: number;
  /** The request's input tokens, estimated: what is reserved, and what is billed if the provider reports none. */
  inputEstimate: number;
  /** The candidates the run moved past so far, reported with the answer. */
  fallbacks: Fallback[];
}

export type AttemptOutcome =
  | { kind: 'answered'; result: ChatResult }
  /** Other calls in flight hold what is left of the free tier: nothing was called. */
  | { kind: 'no_room' }
  /** Failed before its first token: nothing is held and nothing was used. */
  | { kind: 'failed'; error: UpstreamError };

export async function* runAttempt(deps: GatewayDeps, plan: AttemptPlan): AsyncGenerator<GatewayEvent, AttemptOutcome> {
  const { candidate, request } = plan;
  const requestId = deps.newRequestId();
  // On a free tier the answer budget the reservation counts is the one sent: a provider left to answer as long
  // as it likes would spend past the reservation, and parallel calls past the tier.
  const maxTokens = candidate.tier ? answerBudget(candidate.provider, request.maxTokens) : request.maxTokens;
  if (!(await reserve(deps, candidate, requestId, plan.inputEstimate, maxTokens))) return { kind: 'no_room' };
  const from: AnswerFrom = { candidate, requestId, fallbacks: plan.fallbacks };
  const answer = new AnswerSoFar(request.keepText, plan.inputEstimate);
  const bounds = {
    contextWindow: contextWindowOf(candidate.model, candidate.deployment),
    inputEstimate: plan.inputEstimate,
  };
  let held = true; // the reservation, until this attempt is settled or released
  try {
    yield {
      type: 'attempt',
      model: candidate.model.id,
      provider: candidate.provider.id,
      attempt: plan.attempt,
      billing: candidate.billing,
    };
    for await (const event of plan.adapter.stream(adapterCall(plan, maxTokens, deps))) {
      // Counts that cannot be true are treated as none: the call is estimated (and marked), never billed 1e300.
      const reported = event.type === 'usage' || event.type === 'finish' ? event.usage : undefined;
      const doubt = reported && unbelievableUsage(reported, bounds);
      if (doubt) answer.doubt(`${candidate.provider.id} reported usage that cannot be true (${doubt})`);
      if (event.type !== 'finish') {
        if (!(event.type === 'usage' && doubt)) answer.take(event);
        if (event.type !== 'usage') yield event;
        continue;
      }
      const usage = (!doubt && event.usage) || answer.spent();
      held = false; // settled now, or not at all: a failed settle is not tried again
      const notRecorded = await settle(deps, candidate, requestId, usage, 'ok');
      const result = answer.finished(from, usage, event.reason, await freeLeft(deps, candidate));
      const dropped = event.droppedHints?.length ? { droppedHints: event.droppedHints } : {};
      return { kind: 'answered', result: { ...result, ...notRecorded, ...dropped } };
    }
    throw new UpstreamError({
      provider: candidate.provider.id,
      kind: 'protocol',
      message: 'the stream ended without a finish',
    });
  } catch (err) {
    const error = asUpstreamError(candidate, err);
    if (!answer.begun) {
      await deps.ledger.release(requestId);
      held = false;
      return { kind: 'failed', error };
    }
    // After the first token (reasoning and tool-call fragments count: the provider billed them): keep what arrived,
    // record what it cost and never fall back silently.
    const usage = answer.spent();
    held = false;
    const notRecorded = await settle(deps, candidate, requestId, usage, error.kind === 'aborted' ? 'aborted' : 'cut');
    const left = await freeLeft(deps, candidate);
    throw new PartialAnswerError(error, { ...answer.cut(from, usage, left), ...notRecorded });
  } finally {
    // The consumer walked away mid-call (a closed pipe, a gone HTTP client): what was used is still recorded.
    if (held) {
      if (answer.begun) await settle(deps, candidate, requestId, answer.spent(), 'aborted');
      else await deps.ledger.release(requestId);
    }
  }
}

/** The call the adapter makes: the candidate's upstream model with the request's messages and settings. */
function adapterCall(
  { candidate, credentials, request }: AttemptPlan,
  maxTokens: number | undefined,
  deps: GatewayDeps,
): AdapterCall {
  const { tools, toolChoice, parallelToolCalls, responseFormat, stop, reasoning } = request;
  return {
    provider: candidate.provider,
    baseUrl: credentials.baseUrl,
    apiKey: credentials.apiKey,
    ...(credentials.auth ? { auth: credentials.auth } : {}),
    upstreamModel: candidate.deployment.upstreamId,
    ...(candidate.model.capabilities.includes('reasoning') ? { reasoningModel: true } : {}),
    messages: request.messages,
    maxTokens,
    temperature: request.temperature,
    tools,
    toolChoice,
    parallelToolCalls,
    responseFormat,
    stop,
    ...(reasoning ? { reasoning } : {}),
    signal: request.signal,
    timeouts: deps.timeouts,
  };
}

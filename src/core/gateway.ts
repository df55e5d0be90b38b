// The gateway loop, the one path every way in (chat, piped prompts, the HTTP server) goes through:
// plan a route -> for each candidate: attempt it (attempt.ts: reserve free quota atomically -> call -> stream ->
// settle the real usage). Before the first token a failure is classified (failure-policy.ts) and the same candidate
// retried or the next one tried; after it there is no silent fallback: the partial answer stands, the usage so far
// is recorded and the error is raised.
import { runAttempt } from './attempt.ts';
import { contextWindowOf, freeTierOf } from './catalog.ts';
import { PartialAnswerError, type UpstreamError } from './errors.ts';
import { estimateRequestTokens } from './estimate.ts';
import { decideOnFailure } from './failure-policy.ts';
import { fallbackOf, setAsideReason, upstreamFallback } from './fallback-of.ts';
import { RATE_WAIT_MS, type Credentials, type GatewayDeps, type GatewayEvent } from './gateway-deps.ts';
import { allFailedError, noCandidateError } from './gateway-errors.ts';
import { planRequest } from './plan-request.ts';
import type { Candidate, ChatRequest, ChatResult, Fallback, RoutePlan } from './types.ts';

export function createGateway(deps: GatewayDeps) {
  const sleep = deps.sleep ?? defaultSleep;

  function plan(request: ChatRequest): Promise<RoutePlan> {
    return planRequest(deps, request);
  }

  async function* chat(request: ChatRequest): AsyncGenerator<GatewayEvent, ChatResult> {
    const route = await plan(request);
    if (route.candidates.length === 0) throw noCandidateError(route);
    const run = new Run(estimateRequestTokens(request));
    for (const [index, candidate] of route.candidates.entries()) {
      const last = index === route.candidates.length - 1;
      const result = yield* tryCandidate(candidate, request, run, last);
      if (result) return result;
    }
    throw allFailedError(run.fallbacks, run.errors);
  }

  /** The candidate's answer; undefined when the run moves on to the next candidate. */
  async function* tryCandidate(
    candidate: Candidate,
    request: ChatRequest,
    run: Run,
    last: boolean,
  ): AsyncGenerator<GatewayEvent, ChatResult | undefined> {
    const passOver = run.passOver(candidate);
    if (passOver) {
      yield run.fellBack(passOver);
      return undefined;
    }
    const credentials = deps.credentials(candidate.provider);
    if (!credentials) return undefined; // the plan only holds keyed providers; a key removed since is passed over
    const adapter = await deps.adapterFor(candidate.provider.protocol);
    const patience = Math.min(deps.maxRateWaitMs ?? RATE_WAIT_MS, request.maxRateWaitMs ?? RATE_WAIT_MS);
    let waited = false; // one rate-limit wait per candidate: a limit still there after it is not a burst
    const { inputEstimate, fallbacks } = run;
    const call = { candidate, credentials, adapter, request, inputEstimate, fallbacks };
    for (let attempt = 1; ; attempt++) {
      const outcome = yield* runAttempt(deps, { ...call, attempt });
      switch (outcome.kind) {
        case 'answered':
          yield { type: 'done', result: outcome.result };
          return outcome.result;
        case 'no_room':
          yield run.fellBack(
            fallbackOf(candidate, 'free tier used up by other calls in flight', { code: 'exhausted' }),
          );
          return undefined;
      }
      const { error } = outcome;
      if (error.kind === 'aborted') throw error;
      const decision = await learnFrom(error, candidate, attempt, credentials, run);
      if (decision.retryAfterMs !== undefined) {
        if (error.kind === 'rate_limit') waited = true; // the short wait was this candidate's one wait
        await sleep(decision.retryAfterMs, request.signal);
        continue;
      }
      const wait = error.kind === 'rate_limit' ? (error.retryAfterMs ?? 0) : 0;
      if (last && !waited && wait > 0 && wait <= patience) {
        // Nobody else can answer and the limit lifts soon: sit it out (the caller shows a countdown).
        waited = true;
        yield {
          type: 'wait',
          model: candidate.model.id,
          provider: candidate.provider.id,
          ms: wait,
          reason: error.message,
        };
        await sleep(wait, request.signal); // a cancel ends the sleep, and the next call fails as aborted
        continue;
      }
      yield run.fellBack(fallbackOf(candidate, error.message, upstreamFallback(error)));
      if (!decision.next) throw error;
      if (decision.needsLargerWindow) run.needsLargerWindowThan(candidate);
      return undefined;
    }
  }

  /** What a failure before the first token means for what follows: cool the provider down, set it aside, retry. */
  async function learnFrom(
    error: UpstreamError,
    candidate: Candidate,
    attempt: number,
    credentials: Credentials,
    run: Run,
  ) {
    run.errors.push(error);
    const tier = freeTierOf(deps.catalog, candidate.deployment);
    const decision = decideOnFailure(error, candidate, attempt, deps.now(), tier, credentials);
    if (decision.cooldown?.keyFingerprint !== undefined) {
      // A rejected key or an account that cannot pay (failure-policy scopes both to the key in use).
      run.setAside(candidate, error.kind === 'billing' ? 'billing' : 'key_rejected');
    }
    if (decision.cooldown) await deps.ledger.setCooldown(decision.cooldown);
    return decision;
  }

  return { plan, chat };
}

export type Gateway = ReturnType<typeof createGateway>;
export { PartialAnswerError };
export type { ChatResult, Credentials, Fallback, GatewayDeps, GatewayEvent };
export { RATE_WAIT_MS };

/** What one run down the candidate list has learned so far. */
class Run {
  readonly fallbacks: Fallback[] = [];
  readonly errors: UpstreamError[] = [];
  /** Providers whose key was rejected, or whose account cannot pay, in this run: their other models would fail too. */
  private readonly setAsideProviders = new Map<string, 'key_rejected' | 'billing'>();
  /** A prompt too long for a window this size fits no window as small. */
  private minWindow = 0;

  constructor(readonly inputEstimate: number) {}

  /** Why the candidate is not worth calling given what the run has learned, or undefined when it is. */
  passOver(candidate: Candidate): Fallback | undefined {
    const window = contextWindowOf(candidate.model, candidate.deployment);
    if (window <= this.minWindow) {
      return fallbackOf(candidate, 'context window no larger than the one that was too small', {
        code: 'context_too_small',
        contextWindow: window,
      });
    }
    const why = this.setAsideProviders.get(candidate.provider.id);
    return why && fallbackOf(candidate, setAsideReason(candidate.provider.id, why), { code: why });
  }

  fellBack(fallback: Fallback): GatewayEvent {
    this.fallbacks.push(fallback);
    return { type: 'fallback', fallback };
  }

  setAside(candidate: Candidate, why: 'key_rejected' | 'billing'): void {
    this.setAsideProviders.set(candidate.provider.id, why);
  }

  needsLargerWindowThan(candidate: Candidate): void {
    this.minWindow = Math.max(this.minWindow, contextWindowOf(candidate.model, candidate.deployment));
  }
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

// The gateway loop, the one path every way in (chat, piped prompts, the HTTP server) goes through:
// plan a route -> for each candidate: reserve free quota atomically -> call -> stream -> settle the real usage.
// Before the first token a failure is classified (failure-policy.ts) and the next candidate tried; after it there
// is no silent fallback: the partial answer stands, the usage so far is recorded and the error is raised.
import { AnswerText } from './answer-text.ts';
import { keptText, resultOf } from './attempt-result.ts';
import { fallbackOf, setAsideReason, upstreamFallback } from './fallback-of.ts';
import { estimateRequestTokens } from './estimate.ts';
import { requiredCapabilities } from './request-capabilities.ts';
import { ToolCallCollector } from './tool-calls.ts';
import { ConfigError, PartialAnswerError, UpstreamError } from './errors.ts';
import { allFailedError, asUpstreamError, noCandidateError, UsageNotRecordedError } from './gateway-errors.ts';
import { contextWindowOf, freeTierOf } from './catalog.ts';
import { decideOnFailure } from './failure-policy.ts';
import { remainingTokens, windowStart } from './quota.ts';
import { planRoute } from './router.ts';
import { answerBudget } from './answer-budget.ts';
import { appliesTo } from './cooldown-scope.ts';
import { tierWindows } from './tier-report.ts';
import type {
  Adapter,
  Auth,
  Candidate,
  Catalog,
  ChatEvent,
  ChatRequest,
  ChatResult,
  Cooldown,
  EndpointProblem,
  Fallback,
  KeyProblem,
  Protocol,
  ProviderSpec,
  QuotaLedger,
  RichRequest,
  RoutePlan,
  Timeouts,
  Usage,
  UsageRecord,
} from './types.ts';

export interface Credentials {
  /** Empty for a provider that takes no key (`auth` none). */
  apiKey: string;
  baseUrl: string;
  /** How the key travels; absent: the protocol's own way. */
  auth?: Auth;
}

export interface GatewayDeps {
  catalog: Catalog;
  ledger: QuotaLedger;
  /** Loaded on demand, so a process that only talks to one protocol never loads the other SDK. */
  adapterFor(protocol: Protocol): Promise<Adapter>;
  /** The key and base URL for a provider, or undefined when it needs a key and has none. Never logged. */
  credentials(provider: ProviderSpec): Credentials | undefined;
  /** Why a provider's key cannot be sent (then `credentials` gives none), or undefined. */
  keyProblem?(provider: ProviderSpec): KeyProblem | undefined;
  /** Why the provider's base URL (from the environment) cannot be used; undefined when it can. */
  endpointProblem?(provider: ProviderSpec): EndpointProblem | undefined;
  now(): number;
  newRequestId(): string;
  timeouts: Timeouts;
  allowPaid: boolean;
  longPromptTokens?: number;
  /** How long a reservation outlives a process that died holding it. */
  reservationTtlMs?: number;
  sleep?(ms: number, signal?: AbortSignal): Promise<void>;
}

export type GatewayEvent =
  | { type: 'attempt'; model: string; provider: string; attempt: number; billing: Candidate['billing'] }
  | { type: 'fallback'; fallback: Fallback }
  /** The answer as it streams (adapters' events, passed on as they arrive). */
  | Extract<
      ChatEvent,
      { type: 'text-delta' | 'reasoning-delta' | 'tool-call-start' | 'tool-call-delta' | 'tool-call-end' }
    >
  | { type: 'done'; result: ChatResult };

const DEFAULT_RESERVATION_TTL_MS = 15 * 60_000;

export function createGateway(deps: GatewayDeps) {
  const sleep = deps.sleep ?? defaultSleep;

  function plan(request: ChatRequest): RoutePlan {
    const now = deps.now();
    const snapshot = deps.ledger.snapshot(tierWindows(deps.catalog, now), now);
    return planRoute({
      catalog: deps.catalog,
      snapshot: { ...snapshot, cooldowns: snapshot.cooldowns.filter(forCurrentSetup) },
      keyedProviders: new Set([...deps.catalog.providers.values()].filter((p) => deps.credentials(p)).map((p) => p.id)),
      invalidKeys: invalidKeys(),
      endpointProblems: endpointProblems(),
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

  /** Providers whose key cannot be sent, and why: the router passes each over with its reason. */
  function invalidKeys(): Map<string, KeyProblem> {
    const invalid = new Map<string, KeyProblem>();
    for (const provider of deps.catalog.providers.values()) {
      const problem = deps.keyProblem?.(provider);
      if (problem) invalid.set(provider.id, problem);
    }
    return invalid;
  }

  /** Providers whose base URL variable cannot be used, and why: the router passes each over with its reason. */
  function endpointProblems(): Map<string, EndpointProblem> {
    const problems = new Map<string, EndpointProblem>();
    for (const p of deps.catalog.providers.values()) {
      const problem = deps.endpointProblem?.(p);
      if (problem) problems.set(p.id, problem);
    }
    return problems;
  }

  /**
   * Cooldowns tied to what earned them (a rejected key, a failing endpoint) hold while the same key and base URL
   * are in use, and not at all once the user has changed them; the router then sees them as the provider's or the
   * deployment's.
   */
  function forCurrentSetup(cooldown: Cooldown): boolean {
    if (cooldown.keyFingerprint === undefined && cooldown.endpointFingerprint === undefined) return true;
    const provider = deps.catalog.providers.get(cooldown.provider);
    return appliesTo(cooldown, provider && deps.credentials(provider));
  }

  async function* chat(request: ChatRequest): AsyncGenerator<GatewayEvent, ChatResult> {
    const route = plan(request);
    if (route.candidates.length === 0) throw noCandidateError(route);
    const inputEstimate = estimateRequestTokens(request);
    const fallbacks: Fallback[] = [];
    const errors: UpstreamError[] = [];
    // Providers whose key was rejected, or whose account cannot pay, in this run: their other models would fail too.
    const setAside = new Map<string, 'key_rejected' | 'billing'>();
    let minWindow = 0;

    for (const candidate of route.candidates) {
      const window = contextWindowOf(candidate.model, candidate.deployment);
      const passOver =
        window <= minWindow
          ? fallbackOf(candidate, 'context window no larger than the one that was too small', {
              code: 'context_too_small',
              contextWindow: window,
            })
          : setAside.has(candidate.provider.id)
            ? fallbackOf(candidate, setAsideReason(candidate.provider.id, setAside.get(candidate.provider.id)!), {
                code: setAside.get(candidate.provider.id)!,
              })
            : undefined;
      if (passOver) {
        fallbacks.push(passOver);
        yield { type: 'fallback', fallback: passOver };
        continue;
      }
      const credentials = deps.credentials(candidate.provider);
      if (!credentials) continue; // the plan only holds keyed providers; a key removed since is simply passed over
      const adapter = await deps.adapterFor(candidate.provider.protocol);
      for (let attempt = 1; ; attempt++) {
        const requestId = deps.newRequestId();
        // On a free tier the answer budget the reservation counts is the one sent: a provider left to answer as long
        // as it likes would spend past the reservation, and parallel calls past the tier.
        const maxTokens = candidate.tier ? answerBudget(candidate.provider, request.maxTokens) : request.maxTokens;
        if (!reserve(candidate, requestId, inputEstimate, maxTokens)) {
          const fallback = fallbackOf(candidate, 'free tier used up by other calls in flight', { code: 'exhausted' });
          fallbacks.push(fallback);
          yield { type: 'fallback', fallback };
          break;
        }
        // Kept whole, or its first `keepText` bytes when the caller shows the deltas and stores no more than that.
        const text = new AnswerText(request.keepText);
        let reasoning = ''; // thinking text: never shown as the answer, but billed and a first token all the same
        const toolCalls = new ToolCallCollector();
        let reported: Usage | undefined; // the last usage the provider reported mid-stream (cumulative)
        let held = true; // the reservation, until this attempt is settled or released
        // Any piece of an answer — text, reasoning, a tool call's first fragment — means the answer has begun.
        const begun = () => !text.empty || reasoning !== '' || toolCalls.started;
        const spent = (): Usage =>
          reported ?? {
            inputTokens: inputEstimate,
            outputTokens: text.tokensWith(reasoning + toolCalls.text()),
            estimated: true,
          };
        try {
          yield {
            type: 'attempt',
            model: candidate.model.id,
            provider: candidate.provider.id,
            attempt,
            billing: candidate.billing,
          };
          for await (const event of adapter.stream({
            provider: candidate.provider,
            baseUrl: credentials.baseUrl,
            apiKey: credentials.apiKey,
            ...(credentials.auth ? { auth: credentials.auth } : {}),
            upstreamModel: candidate.deployment.upstreamId,
            messages: request.messages,
            maxTokens,
            temperature: request.temperature,
            ...richFields(request),
            signal: request.signal,
            timeouts: deps.timeouts,
          })) {
            switch (event.type) {
              case 'text-delta':
                text.add(event.text);
                yield event;
                continue;
              case 'reasoning-delta':
                reasoning += event.text;
                yield event;
                continue;
              case 'tool-call-start':
              case 'tool-call-delta':
              case 'tool-call-end':
                toolCalls.take(event);
                yield event;
                continue;
              case 'usage':
                reported = event.usage;
                continue;
            }
            const usage = event.usage ?? spent();
            held = false; // settled now, or not at all: a failed settle is not tried again
            settle(candidate, requestId, usage, 'ok');
            const answer = {
              requestId,
              ...keptText(text),
              toolCalls: toolCalls.calls(),
              reasoning,
              usage,
              finishReason: event.reason,
              fallbacks,
            };
            const result = resultOf(candidate, answer, freeLeft(candidate));
            yield { type: 'done', result };
            return result;
          }
          throw new UpstreamError({
            provider: candidate.provider.id,
            kind: 'protocol',
            message: 'the stream ended without a finish',
          });
        } catch (err) {
          if (err instanceof UsageNotRecordedError) throw err;
          const error = asUpstreamError(candidate, err);
          if (begun()) {
            // After the first token (reasoning and tool-call fragments count: the provider billed them): keep what
            // arrived, record what it cost — the last usage the provider reported, else our estimate — and never
            // fall back silently. A tool call cut mid-arguments is dropped from the partial answer: half a call
            // cannot be run.
            const usage = spent();
            held = false;
            settle(candidate, requestId, usage, error.kind === 'aborted' ? 'aborted' : 'cut');
            const partial = {
              requestId,
              ...keptText(text),
              toolCalls: toolCalls.calls({ completeOnly: true }),
              reasoning,
              usage,
              finishReason: 'other' as const,
              fallbacks,
            };
            throw new PartialAnswerError(error, resultOf(candidate, partial, freeLeft(candidate)));
          }
          deps.ledger.release(requestId);
          held = false;
          if (error.kind === 'aborted') throw error;
          errors.push(error);
          const now = deps.now();
          const tier = freeTierOf(deps.catalog, candidate.deployment);
          const decision = decideOnFailure(error, candidate, attempt, now, tier, credentials);
          if (decision.cooldown?.keyFingerprint !== undefined) {
            // A rejected key or an account that cannot pay (failure-policy scopes both to the key in use).
            setAside.set(candidate.provider.id, error.kind === 'billing' ? 'billing' : 'key_rejected');
          }
          if (decision.cooldown) deps.ledger.setCooldown(decision.cooldown);
          if (decision.retryAfterMs !== undefined) {
            await sleep(decision.retryAfterMs, request.signal);
            continue;
          }
          const fallback = fallbackOf(candidate, error.message, upstreamFallback(error));
          fallbacks.push(fallback);
          yield { type: 'fallback', fallback };
          if (!decision.next) throw error;
          if (decision.needsLargerWindow) minWindow = Math.max(minWindow, window);
          break;
        } finally {
          // The consumer walked away mid-call (a closed pipe, a gone HTTP client): what was used is still recorded.
          if (held) {
            if (begun()) settle(candidate, requestId, spent(), 'aborted');
            else deps.ledger.release(requestId);
          }
        }
      }
    }
    throw allFailedError(fallbacks, errors);
  }

  function reserve(candidate: Candidate, requestId: string, input: number, maxTokens: number | undefined): boolean {
    const tier = candidate.tier && freeTierOf(deps.catalog, candidate.deployment);
    const now = deps.now();
    if (!candidate.tier || !tier) {
      // Nothing to hold, but the usage must be recordable: an unwritable ledger stops the run before it spends.
      deps.ledger.checkWritable(now);
      return true;
    }
    return deps.ledger.reserve({
      requestId,
      tierKey: candidate.tier.key,
      tokens: input + answerBudget(candidate.provider, maxTokens),
      limit: tier.tokens,
      windowStart: windowStart(tier, now),
      expiresAt: now + (deps.reservationTtlMs ?? DEFAULT_RESERVATION_TTL_MS),
      now,
    });
  }

  /**
   * The free tokens the ledger holds for the candidate's tier once this call is settled (other calls' usage and
   * reservations counted); undefined off a free tier, or when the ledger cannot be read now (the answer still stands).
   */
  function freeLeft(candidate: Candidate): number | undefined {
    const tier = candidate.tier && freeTierOf(deps.catalog, candidate.deployment);
    if (!candidate.tier || !tier) return undefined;
    const now = deps.now();
    try {
      const window = { key: candidate.tier.key, windowStart: windowStart(tier, now) };
      return remainingTokens(tier, deps.ledger.snapshot([window], now).usage.get(window.key));
    } catch {
      return undefined;
    }
  }

  function settle(candidate: Candidate, requestId: string, usage: Usage, outcome: UsageRecord['outcome']): void {
    try {
      record(candidate, requestId, usage, outcome);
    } catch (err) {
      throw err instanceof ConfigError ? new UsageNotRecordedError(err) : err;
    }
  }

  function record(candidate: Candidate, requestId: string, usage: Usage, outcome: UsageRecord['outcome']): void {
    deps.ledger.settle({
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

  return { plan, chat };
}

export type Gateway = ReturnType<typeof createGateway>;
export { PartialAnswerError };
export type { ChatResult, Fallback };

/** The request's tools, tool choice, response format and stop sequences, for the adapter. */
function richFields({ tools, toolChoice, parallelToolCalls, responseFormat, stop }: ChatRequest): RichRequest {
  return { tools, toolChoice, parallelToolCalls, responseFormat, stop };
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

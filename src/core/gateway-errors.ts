// How the gateway loop fails, in words a person can act on and with the exit code that fits: nothing could be
// tried (and why, model by model), everything tried failed, or an answer was cut after its first token.
import { AuthError, ExitCode, GatewayError, QuotaError, UpstreamError, UsageError } from './errors.ts';
import type { ChatResult, Fallback } from './gateway.ts';
import type { Candidate, RoutePlan, Skip } from './types.ts';

/** Raised when a stream fails after its first token: what arrived stays, and is carried here for the caller. */
export class PartialAnswerError extends GatewayError {
  constructor(
    readonly upstream: UpstreamError,
    readonly partial: ChatResult,
  ) {
    const where = `the answer from ${partial.model} (${partial.provider})`;
    const aborted = upstream.kind === 'aborted';
    super(aborted ? `interrupted: ${where} was stopped` : `${where} was cut off: ${upstream.message}`, aborted ? ExitCode.interrupted : ExitCode.failure);
  }
}

export function asUpstreamError(candidate: Candidate, err: unknown): UpstreamError {
  if (err instanceof UpstreamError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new UpstreamError({ provider: candidate.provider.id, kind: 'protocol', message: `${candidate.provider.id}: ${message}` });
}

/**
 * Nothing could even be tried: say why for each model, with the exit code of the cause that can be acted on first.
 * Any model held back only by quota (used up, expired, paid, rate-limited) makes it 5: waiting or --allow-paid
 * would help. Else missing or rejected keys make it 4; else failing providers 1; else the request itself (too
 * long, or asking for a capability nobody has) 2.
 */
export function noCandidateError(route: RoutePlan): GatewayError {
  const reasons = route.skipped.map((s) => `  ${s.model} (${s.provider}): ${s.detail}`).join('\n');
  const message = `no model can take this request (${route.target}):\n${reasons || '  the scenario lists no models'}`;
  if (route.skipped.length === 0) {
    const unknown = route.unknownModels?.length ? ` (it names ${route.unknownModels.join(', ')}, which no provider serves)` : '';
    return new UsageError(`${route.target} lists no usable models${unknown}`, 'fix that scenario in settings.json (`llm-gateway models` lists the ids), or name a model with -m');
  }
  const causes = new Set(route.skipped.map(causeOf));
  const hint = [...causes].map((cause) => HINTS[cause]).join('; ');
  if (causes.has('quota')) return new QuotaError(message, hint);
  if (causes.has('key')) return new AuthError(message, hint);
  if (causes.has('down')) return new GatewayError(message, ExitCode.failure, hint);
  return new UsageError(message, hint);
}

type Cause = 'quota' | 'key' | 'down' | 'request';

const HINTS: Record<Cause, string> = {
  quota: 'wait for a reset (`llm-gateway quota`), or allow paid models with --allow-paid',
  key: 'add a key: `llm-gateway providers add <provider> --api-key-stdin`, or set its environment variable',
  down: 'a failing provider is tried again when its cooldown ends',
  request: 'shorten the input, or name a model with a larger context window (`llm-gateway models`)',
};

function causeOf(skip: Skip): Cause {
  switch (skip.reason) {
    case 'exhausted':
    case 'expired':
    case 'paid_not_allowed':
      return 'quota';
    case 'cooling_down':
      return skip.cooldownKind === 'down' || skip.cooldownKind === 'auth' ? 'down' : 'quota';
    case 'no_key':
    case 'key_rejected':
      return 'key';
    case 'context_too_small':
    case 'missing_capability':
      return 'request';
  }
}

/** Every candidate failed before its first token: exit 5 when all were out of quota, 4 when all keys failed. */
export function allFailedError(fallbacks: Fallback[], errors: UpstreamError[]): GatewayError {
  const tried = fallbacks.map((f) => `  ${f.model} (${f.provider}): ${f.reason}`).join('\n');
  const message = `every candidate failed:\n${tried}`;
  const all = (...kinds: UpstreamError['kind'][]) => errors.every((e) => kinds.includes(e.kind));
  if (all('quota', 'rate_limit')) {
    return new QuotaError(message, 'wait for a reset or for the rate limit to pass (`llm-gateway quota`), or allow paid models with --allow-paid');
  }
  if (all('auth')) return new AuthError(message, 'check the keys with `llm-gateway providers list`');
  if (all('context_length')) return new UsageError(message, HINTS.request);
  return new GatewayError(message, 1);
}


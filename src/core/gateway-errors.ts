// How the gateway loop fails, in words a person can act on and with the exit code that fits: nothing could be
// tried (and why, model by model), everything tried failed, or an answer was cut after its first token.
import { AuthError, GatewayError, QuotaError, UpstreamError, UsageError } from './errors.ts';
import type { ChatResult, Fallback } from './gateway.ts';
import type { Candidate, RoutePlan } from './types.ts';

/** Raised when a stream fails after its first token: what arrived stays, and is carried here for the caller. */
export class PartialAnswerError extends GatewayError {
  constructor(
    readonly upstream: UpstreamError,
    readonly partial: ChatResult,
  ) {
    super(`the answer from ${partial.model} (${partial.provider}) was cut off: ${upstream.message}`, upstream.kind === 'aborted' ? 130 : 1);
  }
}

export function asUpstreamError(candidate: Candidate, err: unknown): UpstreamError {
  if (err instanceof UpstreamError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new UpstreamError({ provider: candidate.provider.id, kind: 'protocol', message: `${candidate.provider.id}: ${message}` });
}

/** Nothing could even be tried: say why for each model, with the exit code of the commonest cause. */
export function noCandidateError(route: RoutePlan): GatewayError {
  const reasons = route.skipped.map((s) => `  ${s.model} (${s.provider}): ${s.detail}`).join('\n');
  const onlyKeys = route.skipped.length > 0 && route.skipped.every((s) => s.reason === 'no_key' || s.reason === 'key_rejected');
  const message = `no model can take this request (${route.target}):\n${reasons || '  the scenario lists no models'}`;
  if (onlyKeys) return new AuthError(message, 'add a key: `llm-gateway providers add <provider> --api-key-stdin`, or set its environment variable');
  if (route.skipped.every((s) => s.reason === 'context_too_small' || s.reason === 'missing_capability')) {
    return new UsageError(message, 'shorten the input, or name a model with a larger context window (`llm-gateway models`)');
  }
  return new QuotaError(message, 'wait for a reset (`llm-gateway quota`), or allow paid models with --allow-paid');
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
  return new GatewayError(message, 1);
}


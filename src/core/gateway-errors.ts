// How the gateway loop fails, as codes and data: nothing could be tried (and why, model by model), everything
// tried failed, or an answer was cut after its first token (PartialAnswerError, in errors.ts). The messages are
// plain statements; each front end words the fix (src/cli/common/error-text.ts for the terminal).
import {
  GatewayError,
  UpstreamError,
  type AllFailedCode,
  type NoCandidateCause,
  type NoCandidateCode,
} from './errors.ts';
import type { Candidate, CooldownKind, Fallback, RoutePlan, Skip } from './types.ts';

export function asUpstreamError(candidate: Candidate, err: unknown): UpstreamError {
  if (err instanceof UpstreamError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new UpstreamError({
    provider: candidate.provider.id,
    kind: 'protocol',
    message: `${candidate.provider.id}: ${message}`,
  });
}

/** "no model can take this request (target):" and one line per skip, each worded by `detailOf`. */
export function noCandidateMessage(plan: RoutePlan, detailOf: (skip: Skip) => string = (s) => s.detail): string {
  const reasons = plan.skipped.map((s) => `  ${s.model} (${s.provider}): ${detailOf(s)}`).join('\n');
  return `no model can take this request (${plan.target}):\n${reasons}`;
}

/**
 * Nothing could even be tried. The code is the cause that can be acted on first: any model held back only by
 * quota (used up, expired, paid, rate-limited) makes it `no_candidate_quota` — waiting or paying would help; else
 * missing or rejected keys `no_candidate_key`; else failing providers `no_candidate_down`; else the request itself
 * (too long, or asking for a capability nobody has) `no_candidate_request`.
 */
export function noCandidateError(plan: RoutePlan): GatewayError {
  if (plan.skipped.length === 0) {
    const unknownModels = plan.unknownModels ?? [];
    const unknown = unknownModels.length ? ` (it names ${unknownModels.join(', ')}, which no provider serves)` : '';
    return new GatewayError(
      { code: 'no_models_listed', target: plan.target, unknownModels },
      `${plan.target} lists no usable models${unknown}`,
    );
  }
  const causes = [...new Set(plan.skipped.map(causeOf))];
  // Keys missing for providers never set up are not why a run fails when the one set up is failing and cooling
  // down: that is `down` (wait), not "no key" (exit 4). A key rejected or unusable is still the key's fault.
  const onlyMissingKeys = plan.skipped.every((s) => causeOf(s) !== 'key' || s.reason === 'no_key');
  const keyFirst = causes.includes('key') && !(onlyMissingKeys && causes.includes('down'));
  const code: NoCandidateCode = causes.includes('quota')
    ? 'no_candidate_quota'
    : keyFirst
      ? 'no_candidate_key'
      : causes.includes('config')
        ? 'no_candidate_config'
        : causes.includes('down')
          ? 'no_candidate_down'
          : 'no_candidate_request';
  return new GatewayError({ code, plan, causes }, noCandidateMessage(plan));
}

/** What waiting out a cooldown of each kind amounts to: a rate limit is quota; a failing provider is not. */
const COOLDOWN_CAUSE: { readonly [K in CooldownKind]: NoCandidateCause } = {
  rate_limited: 'quota',
  exhausted: 'quota',
  auth: 'down',
  down: 'down',
};

/** The cause behind one skip, as `noCandidateError` ranks them. */
export function causeOf(skip: Skip): NoCandidateCause {
  switch (skip.reason) {
    case 'exhausted':
    case 'expired':
    case 'paid_not_allowed':
      return 'quota';
    case 'cooling_down':
      return COOLDOWN_CAUSE[skip.cooldownKind];
    case 'endpoint_invalid':
      return 'config';
    case 'no_key':
    case 'key_invalid':
    case 'key_rejected':
      return 'key';
    case 'context_too_small':
    case 'over_rate_window':
    case 'missing_capability':
      return 'request';
  }
}

/**
 * Every candidate failed before its first token: `all_failed_quota` when all were out of quota, rate-limited or
 * refused for billing, `all_failed_auth` when every key was rejected, `all_failed_context` when the prompt fit
 * nowhere (a window or a deployment's rate window).
 */
export function allFailedError(fallbacks: Fallback[], errors: UpstreamError[]): GatewayError {
  const tried = fallbacks.map((f) => `  ${f.model} (${f.provider}): ${f.reason}`).join('\n');
  const all = (...kinds: UpstreamError['kind'][]) => errors.every((e) => kinds.includes(e.kind));
  if (errors.length > 0 && all('rate_limit')) {
    // A burst limit is never reported as a used-up quota: it lifts in seconds, and the caller is told when.
    const waits = errors.flatMap((e) => (e.retryAfterMs === undefined ? [] : [e.retryAfterMs]));
    const retryAfterMs = waits.length ? Math.min(...waits) : undefined;
    return new GatewayError(
      { code: 'all_failed_rate_limit', fallbacks, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) },
      `every candidate is rate-limited:\n${tried}`,
    );
  }
  const code: AllFailedCode = all('quota', 'rate_limit', 'billing')
    ? 'all_failed_quota'
    : all('auth')
      ? 'all_failed_auth'
      : all('context_length', 'too_large')
        ? 'all_failed_context'
        : 'all_failed';
  return new GatewayError({ code, fallbacks }, `every candidate failed:\n${tried}`);
}

// A candidate the gateway moved past, as the data and one line of prose every front end words in its own way.
import type { UpstreamError } from './errors.ts';
import type { Candidate, DistributiveOmit, Fallback } from './types.ts';

/** A fallback's code and data: everything but who and the prose. */
export type FallbackWhy = DistributiveOmit<Fallback, 'model' | 'provider' | 'reason'>;

export function fallbackOf(candidate: Candidate, reason: string, why: FallbackWhy): Fallback {
  return { model: candidate.model.id, provider: candidate.provider.id, reason, ...why };
}

export function setAsideReason(provider: string, why: 'key_rejected' | 'billing'): string {
  return why === 'billing'
    ? `${provider} reported an account billing problem a moment ago`
    : `${provider} rejected the key a moment ago`;
}

/** An upstream failure as a fallback's code. An abort ends the run before any fallback: it cannot reach here. */
export function upstreamFallback(error: UpstreamError): FallbackWhy {
  const code = error.kind === 'aborted' ? 'protocol' : error.kind; // (only to narrow the type)
  return error.status === undefined ? { code } : { code, status: error.status };
}

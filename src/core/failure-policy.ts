// What the gateway does about an upstream failure that came before the first token: try the same deployment
// again, move to the next candidate, or stop; and what cooldown every other process should see. One table,
// the one in docs/ARCHITECTURE.md:
//
//   signal                               same again            next candidate        cooldown
//   refused / reset / timeout            once                  yes                   short (30 s)
//   429, short Retry-After (<= 5 s)      after waiting         else yes              until Retry-After
//   429, longer Retry-After              no                    yes                   until Retry-After
//   429 quota-type                       no                    yes                   until its Retry-After, if it gave one;
//                                                                                    else until the tier resets (1 h if paid)
//   500/502/503/504/529, cut, no [DONE]  once, after backoff   yes                   1 min after the 2nd failure
//   401 / 403                            no                    yes                   the provider's key: 10 min
//   404 (model)                          no                    yes                   the deployment: 1 h
//   400 context length                   no                    a larger window only  none
//   other 400 / 422                      no                    no                    none
//   aborted by the caller                no                    no                    none
import type { UpstreamError } from './errors.ts';
import { nextReset } from './quota.ts';
import type { Candidate, Cooldown, FreeTier } from './types.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
export const SHORT_RETRY_AFTER_MS = 5 * SECOND;
export const SERVER_BACKOFF_MS = 400;

export interface FailureDecision {
  /** Wait this long and try the same deployment again. */
  retryAfterMs?: number;
  /** Move on to the next candidate (when false and no retry, the request fails). */
  next: boolean;
  /** Only candidates with a larger context window may follow. */
  needsLargerWindow?: boolean;
  cooldown?: Cooldown;
}

export function decideOnFailure(
  error: UpstreamError,
  candidate: Candidate,
  attempt: number,
  now: number,
  tier: FreeTier | undefined,
): FailureDecision {
  const scope = `${candidate.provider.id}:${candidate.model.id}`;
  const firstTry = attempt === 1;
  const cool = (kind: Cooldown['kind'], ms: number, reason: string, on = scope): Cooldown => ({ scope: on, kind, until: now + ms, reason });
  switch (error.kind) {
    case 'connection':
    case 'timeout':
      return firstTry ? { retryAfterMs: 0, next: true } : { next: true, cooldown: cool('down', 30 * SECOND, error.kind) };
    case 'rate_limit': {
      const wait = error.retryAfterMs ?? SHORT_RETRY_AFTER_MS;
      if (firstTry && wait <= SHORT_RETRY_AFTER_MS) return { retryAfterMs: wait, next: true };
      return { next: true, cooldown: cool('rate_limited', Math.max(wait, SECOND), `rate limited (${error.status ?? 429})`) };
    }
    case 'quota': {
      // A Retry-After is the upstream saying when to come back (a 429 asking for minutes is classed as quota too):
      // taking the tier's next reset instead would lock a monthly tier for weeks over a two-minute wait.
      // The tier's reset only helps a call the tier carried: a paid call (the tier expired or full) waits 1 h.
      const fallback = tier && candidate.billing === 'free-tier' ? nextReset(tier, now) : now + 60 * MINUTE;
      const until = error.retryAfterMs !== undefined ? now + Math.max(error.retryAfterMs, SECOND) : fallback;
      return { next: true, cooldown: { scope, kind: 'exhausted', until, reason: 'the provider says the quota is used up' } };
    }
    case 'server':
    case 'protocol':
      return firstTry
        ? { retryAfterMs: SERVER_BACKOFF_MS, next: true }
        : { next: true, cooldown: cool('down', MINUTE, `failing (${error.status ?? error.kind})`) };
    case 'auth':
      return { next: true, cooldown: cool('auth', 10 * MINUTE, `key rejected (${error.status ?? 401})`, candidate.provider.id) };
    case 'not_found':
      return { next: true, cooldown: cool('down', 60 * MINUTE, 'model not found (404)') };
    case 'context_length':
      return { next: true, needsLargerWindow: true };
    case 'bad_request':
    case 'aborted':
      return { next: false };
  }
}

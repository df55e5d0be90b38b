// What the gateway does about an upstream failure that came before the first token: try the same deployment
// again, move to the next candidate, or stop; and what cooldown every other process should see. One table,
// the one in docs/ARCHITECTURE.md:
//
//   signal                               same again            next candidate        cooldown
//   refused / reset / timeout            once                  yes                   short (30 s)
//   429, short Retry-After (<= 5 s)      after waiting         else yes              until Retry-After
//   429, longer Retry-After              no                    yes                   until Retry-After
//   quota used up on one deployment      no                    yes                   that deployment: until the stated time,
//   (429 quota-type, per-day limit,                                                  else until the tier resets (1 h if paid);
//   DashScope FreeTierOnly 403)                                                      the key and other models stay usable
//   account billing (credit too low,     no                    yes, not this         the provider's key: the stated time, else 1 h
//   arrears)                                                   provider
//   500/502/503/504/529, cut, no [DONE]  once, after backoff   yes                   1 min after the 2nd failure
//   401 / 403                            no                    yes                   the provider's key: 10 min
//   404 (model)                          no                    yes                   the deployment: 1 h
//   retired model (decommissioned)       no                    yes                   the deployment: 24 h
//   too large for the rate window (413)  no                    yes                   none
//   400 context length                   no                    a larger window only  none
//   other 400 / 422                      no                    no                    none
//   aborted by the caller                no                    no                    none
import { failingEndpointScope, rejectedKeyScope, type CallSetup } from './cooldown-scope.ts';
import type { UpstreamError } from './errors.ts';
import { tierNextReset } from './limits.ts';
import type { Candidate, Cooldown, CooldownScope, FreeTier } from './types.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
export const SHORT_RETRY_AFTER_MS = 5 * SECOND;
export const SERVER_BACKOFF_MS = 400;
/** The longest wait a provider's word can set (retry-after, reset headers): a day, the longest window any publishes. */
export const MAX_COOLDOWN_MS = 24 * 60 * MINUTE;

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
  /** The key and base URL the call used: a rejected key or a failing endpoint cools down only while in use. */
  setup: CallSetup,
): FailureDecision {
  // Each scope is built here, once, as data; nothing later rewrites or parses it.
  const deployment: CooldownScope = { provider: candidate.provider.id, model: candidate.model.id };
  const endpoint = failingEndpointScope(candidate.provider.id, candidate.model.id, setup);
  const firstTry = attempt === 1;
  const cool = (kind: Cooldown['kind'], ms: number, reason: string, on = deployment): Cooldown => ({
    ...on,
    kind,
    until: now + ms,
    reason,
  });
  // What the provider asked for, never more than a day (a `retry-after: 99999999999` is a broken server).
  const asked =
    error.retryAfterMs === undefined ? undefined : Math.min(Math.max(error.retryAfterMs, SECOND), MAX_COOLDOWN_MS);
  switch (error.kind) {
    case 'connection':
    case 'timeout':
      return firstTry
        ? { retryAfterMs: 0, next: true }
        : { next: true, cooldown: cool('down', 30 * SECOND, error.kind, endpoint) };
    case 'rate_limit': {
      const wait =
        error.retryAfterMs === undefined ? SHORT_RETRY_AFTER_MS : Math.min(error.retryAfterMs, MAX_COOLDOWN_MS);
      if (firstTry && wait <= SHORT_RETRY_AFTER_MS) return { retryAfterMs: wait, next: true };
      return {
        next: true,
        cooldown: cool('rate_limited', Math.max(wait, SECOND), `rate limited (${error.status ?? 429})`),
      };
    }
    case 'quota': {
      // A Retry-After is the upstream saying when to come back (a 429 asking for minutes is classed as quota too):
      // taking the tier's next reset instead would lock a monthly tier for weeks over a two-minute wait.
      // The tier's reset only helps a call the tier carried: a paid call (the tier expired or full) waits 1 h.
      const fallback = tier && candidate.billing === 'free-tier' ? tierNextReset(tier, now) : now + 60 * MINUTE;
      const until = asked !== undefined ? now + asked : fallback;
      return {
        next: true,
        cooldown: { ...deployment, kind: 'exhausted', until, reason: 'the provider says the quota is used up' },
      };
    }
    case 'billing': {
      // The account cannot pay: every model of the provider would answer the same, so its key is set aside (a new
      // key lifts it). Not "check your key": the key is fine, the balance is not.
      const reason = `account billing problem at ${candidate.provider.id}: top up or check billing with the provider`;
      return {
        next: true,
        cooldown: cool('exhausted', asked ?? 60 * MINUTE, reason, rejectedKeyScope(candidate.provider.id, setup)),
      };
    }
    case 'server':
    case 'protocol':
      return firstTry
        ? { retryAfterMs: SERVER_BACKOFF_MS, next: true }
        : { next: true, cooldown: cool('down', MINUTE, `failing (${error.status ?? error.kind})`, endpoint) };
    case 'auth':
      return {
        next: true,
        cooldown: cool(
          'auth',
          10 * MINUTE,
          `key rejected (${error.status ?? 401})`,
          rejectedKeyScope(candidate.provider.id, setup),
        ),
      };
    case 'not_found':
      return { next: true, cooldown: cool('down', 60 * MINUTE, 'model not found (404)', endpoint) };
    case 'retired':
      return { next: true, cooldown: cool('down', 24 * 60 * MINUTE, 'model retired by the provider', endpoint) };
    case 'too_large':
      // Too large for this deployment's per-minute window however long we wait: the next candidate, no cooldown.
      return { next: true };
    case 'context_length':
      return { next: true, needsLargerWindow: true };
    case 'bad_request':
    case 'aborted':
      return { next: false };
  }
}

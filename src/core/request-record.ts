// One request as a front end saw it end to end (chat and serve alike): what `llm-gateway log` lists and serve's
// dashboard shows live. Usage rows say what a call used; this says who asked, how long it took, how it ended and
// what was moved past on the way — a request that failed everywhere has no usage row, only this.
import type { Billing } from './catalog-types.ts';
import type { Outcome } from './ledger-types.ts';

/** How a request ended: as a call does (answered, cut, stopped by the caller), or with no answer at all. */
export type RequestOutcome = Outcome | 'failed';

export type RequestOrigin = 'chat' | 'serve';

export interface RequestRecord {
  /** The id the front end gave it: serve's x-request-id, chat's gateway request id. */
  id: string;
  /** Epoch milliseconds, when it started. */
  at: number;
  origin: RequestOrigin;
  /** serve: the route and the client's User-Agent; chat: `interactive` in a session. */
  client?: string;
  /** Who answered, or was tried last when nobody did. */
  model?: string;
  provider?: string;
  billing?: Billing;
  inputTokens: number;
  outputTokens: number;
  ms: number;
  outcome: RequestOutcome;
  /** The failure's code (`rate_limit`, `no_candidate`, …) when it did not end well. */
  error?: string;
  /** Each candidate moved past, in order. */
  fallbacks: Array<{ model: string; provider: string; code: string }>;
  conversationId?: string;
}

/**
 * The fallbacks a request took: each candidate it moved past to another. A failed request lists every candidate it
 * tried, the last one too, which nothing followed: that one is the failure, not a fallback.
 */
export function fallbacksTaken(e: RequestRecord): number {
  return e.outcome === 'failed' ? Math.max(0, e.fallbacks.length - 1) : e.fallbacks.length;
}

/** A recorded request, with its place in the log (`log --follow` reads the ones after the last it showed). */
export interface LoggedRequest extends RequestRecord {
  seq: number;
}

/** The shape scripts and the dashboard read (`log --json`, serve's live list): every field present, null when unset. */
export function requestJson(e: LoggedRequest) {
  return {
    time: new Date(e.at).toISOString(),
    id: e.id,
    origin: e.origin,
    client: e.client ?? null,
    model: e.model ?? null,
    provider: e.provider ?? null,
    billing: e.billing ?? null,
    inputTokens: e.inputTokens,
    outputTokens: e.outputTokens,
    ms: e.ms,
    outcome: e.outcome,
    error: e.error ?? null,
    fallbacks: e.fallbacks,
    conversationId: e.conversationId ?? null,
  };
}

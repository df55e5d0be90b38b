// The request log's statements and rows, the same text on SQLite (activity-store.ts, in each machine's ledger.db)
// and on PostgreSQL (postgres/pg-activity.ts, the shared ledger), as usage-daily.ts is for the usage report:
// `?` placeholders, which the PostgreSQL side turns into `$1, $2, …`. Both back the one port below.
import { fallbacksTaken, type LoggedRequest, type RequestRecord } from '../core/request-record.ts';
import type { DailyUsageRow } from '../core/usage-report.ts';
import { dayOf, type UsageRange } from './usage-daily.ts';

export interface RecentQuery {
  /** At most this many, the newest. */
  limit: number;
  /** Only those logged after this one, the oldest first (`log --follow`). */
  afterSeq?: number;
  conversationId?: string;
}

/** The request log and its daily totals, wherever they live: what `log`, `usage`, chat and serve use. */
export interface ActivityLog {
  /** Logs requests (a repeated id is ignored) and counts them in their days' totals, all in one transaction. */
  record(...entries: RequestRecord[]): Promise<void>;
  /** The newest `limit`, or with `afterSeq` the first `limit` after that one, in the order they were logged. */
  recent(query: RecentQuery): Promise<LoggedRequest[]>;
  /** Failures and fallbacks per day, deployment and billing kind, as usage report rows with no tokens. */
  dailyRequests(range: UsageRange): Promise<DailyUsageRow[]>;
}

/** Inserts nothing for an id already logged: the caller adds to the daily totals only when a row was inserted. */
export const INSERT_REQUEST = `INSERT INTO requests (id, at, origin, client, model, provider, billing, input_tokens,
    output_tokens, ms, outcome, error, fallbacks, conversation_id)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (id) DO NOTHING`;

export function requestValues(e: RequestRecord): Array<string | number | null> {
  return [
    e.id,
    e.at,
    e.origin,
    e.client ?? null,
    e.model ?? null,
    e.provider ?? null,
    e.billing ?? null,
    e.inputTokens,
    e.outputTokens,
    Math.max(0, Math.round(e.ms)),
    e.outcome,
    e.error ?? null,
    JSON.stringify(e.fallbacks),
    e.conversationId ?? null,
  ];
}

export const ADD_REQUEST_DAILY = `INSERT INTO requests_daily (day, provider, model, billing, outcome, requests, fallbacks)
  VALUES (?, ?, ?, ?, ?, 1, ?)
  ON CONFLICT (day, provider, model, billing, outcome) DO UPDATE SET
    requests = requests_daily.requests + 1, fallbacks = requests_daily.fallbacks + excluded.fallbacks`;

export function requestDailyValues(e: RequestRecord): Array<string | number> {
  return [dayOf(e.at), e.provider ?? '', e.model ?? '', e.billing ?? '', e.outcome, fallbacksTaken(e)];
}

/** The newest `limit` (parameters: conversation id twice, NULL for all; limit), oldest first. */
export const NEWEST_REQUESTS = `SELECT * FROM (
    SELECT * FROM requests WHERE (CAST(? AS TEXT) IS NULL OR conversation_id = ?) ORDER BY seq DESC LIMIT ?
  ) AS newest ORDER BY seq`;

/** The first `limit` after a seq (parameters: seq; conversation id twice; limit). */
export const REQUESTS_AFTER = `SELECT * FROM requests
  WHERE seq > ? AND (CAST(? AS TEXT) IS NULL OR conversation_id = ?) ORDER BY seq LIMIT ?`;

export function recentValues(query: RecentQuery): Array<string | number | null> {
  const cid = query.conversationId ?? null;
  return query.afterSeq === undefined ? [cid, cid, query.limit] : [query.afterSeq, cid, cid, query.limit];
}

/**
 * What requests_daily adds to the usage report within the range (usage-daily.ts' dailyReportValues are its
 * parameters): failures and fallbacks, with no tokens (those come from the quota's daily totals). Quoted aliases
 * keep their case on PostgreSQL.
 */
export const DAILY_REQUESTS = `
  SELECT day, provider, model, billing, 0 AS "calls", 0 AS "inputTokens", 0 AS "outputTokens",
    0 AS "reasoningTokens", 0 AS "cacheReadTokens", 0 AS "cacheWriteTokens", sum(fallbacks) AS "fallbacks",
    sum(CASE WHEN outcome = 'failed' THEN requests ELSE 0 END) AS "failures"
  FROM requests_daily
  WHERE day >= ? AND day <= ? AND (CAST(? AS TEXT) IS NULL OR model = ?) AND (CAST(? AS TEXT) IS NULL OR provider = ?)
  GROUP BY day, provider, model, billing`;

/** A row of `requests` as either database returns it (PostgreSQL's BIGINTs already read as numbers). */
export interface RequestRow {
  seq: number;
  id: string;
  at: number;
  origin: RequestRecord['origin'];
  client: string | null;
  model: string | null;
  provider: string | null;
  billing: RequestRecord['billing'] | null;
  input_tokens: number;
  output_tokens: number;
  ms: number;
  outcome: RequestRecord['outcome'];
  error: string | null;
  fallbacks: string;
  conversation_id: string | null;
}

export function requestOf(row: RequestRow): LoggedRequest {
  return {
    seq: row.seq,
    id: row.id,
    at: row.at,
    origin: row.origin,
    ...(row.client !== null ? { client: row.client } : {}),
    ...(row.model !== null ? { model: row.model } : {}),
    ...(row.provider !== null ? { provider: row.provider } : {}),
    ...(row.billing !== null ? { billing: row.billing } : {}),
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    ms: row.ms,
    outcome: row.outcome,
    ...(row.error !== null ? { error: row.error } : {}),
    fallbacks: JSON.parse(row.fallbacks) as RequestRecord['fallbacks'],
    ...(row.conversation_id !== null ? { conversationId: row.conversation_id } : {}),
  };
}

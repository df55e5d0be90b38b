// What was done, for people to look at: the request log (one row per request, chat and serve alike: `log`, serve's
// live list) and its daily totals (requests_daily: failures and fallbacks), which the usage report reads beside the
// quota ledger's usage_daily (tokens, calls) — so a year of calls costs a few thousand rows to read, never the
// million detailed ones. It lives in each machine's ledger.db, also when the quota is in a shared database.
// The methods answer with promises, as a ledger in a shared database would; SQLite answers at once.
import type Database from 'better-sqlite3';
import type { LoggedRequest, RequestRecord } from '../core/request-record.ts';
import type { DailyUsageRow } from '../core/usage-report.ts';
import { asLedgerError } from './ledger-file.ts';
import { statementCache } from './statements.ts';
import { dailyReportValues, dayOf, type UsageRange } from './usage-daily.ts';

export type { UsageRange };

export interface RecentQuery {
  /** At most this many, the newest. */
  limit: number;
  /** Only those logged after this one, the oldest first (`log --follow`). */
  afterSeq?: number;
  conversationId?: string;
}

interface RequestRow {
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

export class ActivityStore {
  private readonly sql: (text: string) => Database.Statement;
  private readonly recordTx: Database.Transaction<(entries: RequestRecord[]) => void>;

  constructor(
    db: Database.Database,
    private readonly path: string,
  ) {
    this.sql = statementCache(db);
    this.recordTx = db.transaction((entries: RequestRecord[]) => {
      for (const entry of entries) this.recordInside(entry);
    });
  }

  private guard<T>(run: () => T): T {
    try {
      return run();
    } catch (err) {
      throw asLedgerError(err, this.path);
    }
  }

  /**
   * Logs requests (a repeated id is ignored) and counts them in their days' totals, all in one transaction: serve
   * writes what finished in the last moment at once, so a busy server pays one commit for many requests.
   */
  async record(...entries: RequestRecord[]): Promise<void> {
    this.guard(() => this.recordTx.immediate(entries));
  }

  private recordInside(e: RequestRecord): void {
    const inserted = this.sql(
      `INSERT OR IGNORE INTO requests (id, at, origin, client, model, provider, billing, input_tokens, output_tokens,
         ms, outcome, error, fallbacks, conversation_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
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
    ).changes;
    if (inserted === 0) return;
    this.sql(
      `INSERT INTO requests_daily (day, provider, model, billing, outcome, requests, fallbacks) VALUES (?, ?, ?, ?, ?, 1, ?)
       ON CONFLICT (day, provider, model, billing, outcome) DO UPDATE SET
         requests = requests + 1, fallbacks = fallbacks + excluded.fallbacks`,
    ).run(dayOf(e.at), e.provider ?? '', e.model ?? '', e.billing ?? '', e.outcome, e.fallbacks.length);
  }

  /**
   * Requests in the order they were logged: the newest `limit`, or with `afterSeq` the first `limit` after that one
   * (`log --follow` reads on from where it was, so a burst is read in order, none skipped).
   */
  async recent(query: RecentQuery): Promise<LoggedRequest[]> {
    const cid = query.conversationId ?? null;
    const rows = this.guard(() =>
      query.afterSeq === undefined
        ? this.sql(
            `SELECT * FROM (
               SELECT * FROM requests WHERE (? IS NULL OR conversation_id = ?) ORDER BY seq DESC LIMIT ?
             ) ORDER BY seq`,
          ).all(cid, cid, query.limit)
        : this.sql(
            'SELECT * FROM requests WHERE seq > ? AND (? IS NULL OR conversation_id = ?) ORDER BY seq LIMIT ?',
          ).all(query.afterSeq, cid, cid, query.limit),
    ) as RequestRow[];
    return rows.map(requestOf);
  }

  /**
   * What requests_daily adds to the usage report within the range: failures and fallbacks per day, deployment and
   * billing kind, as report rows with no tokens (the tokens come from the quota ledger's daily totals).
   */
  async dailyRequests(range: UsageRange): Promise<DailyUsageRow[]> {
    return this.guard(
      () =>
        this.sql(
          `SELECT day, provider, model, billing, 0 AS calls, 0 AS inputTokens, 0 AS outputTokens, 0 AS reasoningTokens,
             0 AS cacheReadTokens, 0 AS cacheWriteTokens, sum(fallbacks) AS fallbacks,
             sum(CASE WHEN outcome = 'failed' THEN requests ELSE 0 END) AS failures
           FROM requests_daily
           WHERE day >= ? AND day <= ? AND (? IS NULL OR model = ?) AND (? IS NULL OR provider = ?)
           GROUP BY day, provider, model, billing`,
        ).all(...dailyReportValues(range)) as DailyUsageRow[],
    );
  }
}

function requestOf(row: RequestRow): LoggedRequest {
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

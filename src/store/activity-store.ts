// What was done, for people to look at: the request log (one row per request, chat and serve alike: `log`, serve's
// live list) and its daily totals (requests_daily: failures and fallbacks), which the usage report reads beside the
// quota ledger's usage_daily (tokens, calls) — so a year of calls costs a few thousand rows to read, never the
// million detailed ones. This is the SQLite side, in each machine's ledger.db; with a shared database the log lives
// there instead (postgres/pg-activity.ts), with the same statements (request-log.ts).
// The methods answer with promises, as the shared database does; SQLite answers at once.
import type Database from 'better-sqlite3';
import type { LoggedRequest, RequestRecord } from '../core/request-record.ts';
import type { DailyUsageRow } from '../core/usage-report.ts';
import { asLedgerError } from './ledger-file.ts';
import {
  ADD_REQUEST_DAILY,
  type ActivityLog,
  DAILY_REQUESTS,
  INSERT_REQUEST,
  NEWEST_REQUESTS,
  type RecentQuery,
  REQUESTS_AFTER,
  type RequestRow,
  recentValues,
  requestDailyValues,
  requestOf,
  requestValues,
} from './request-log.ts';
import { statementCache } from './statements.ts';
import { dailyReportValues, type UsageRange } from './usage-daily.ts';

export type { ActivityLog, RecentQuery, UsageRange };

export class ActivityStore implements ActivityLog {
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
    if (this.sql(INSERT_REQUEST).run(...requestValues(e)).changes === 0) return;
    this.sql(ADD_REQUEST_DAILY).run(...requestDailyValues(e));
  }

  /**
   * Requests in the order they were logged: the newest `limit`, or with `afterSeq` the first `limit` after that one
   * (`log --follow` reads on from where it was, so a burst is read in order, none skipped).
   */
  async recent(query: RecentQuery): Promise<LoggedRequest[]> {
    const text = query.afterSeq === undefined ? NEWEST_REQUESTS : REQUESTS_AFTER;
    const rows = this.guard(() => this.sql(text).all(...recentValues(query))) as RequestRow[];
    return rows.map(requestOf);
  }

  /**
   * What requests_daily adds to the usage report within the range: failures and fallbacks per day, deployment and
   * billing kind, as report rows with no tokens (the tokens come from the quota ledger's daily totals).
   */
  async dailyRequests(range: UsageRange): Promise<DailyUsageRow[]> {
    return this.guard(() => this.sql(DAILY_REQUESTS).all(...dailyReportValues(range)) as DailyUsageRow[]);
  }
}

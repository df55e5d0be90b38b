// The request log on the shared database: the ActivityLog of activity-store.ts with the same statements
// (request-log.ts), so `log`, `log --follow`, `usage` and serve's live list on any host show every host's requests.
// A write takes a lock first (held until its transaction ends): seq is drawn from a sequence, and two hosts writing
// at once could otherwise commit seq 8 after a reader had seen seq 9 and read on from there, so `--follow` would
// never show 8. Under the lock, rows become visible in seq order. Writes are small and serve batches them, so the
// queue is short.
import type { LoggedRequest, RequestRecord } from '../../core/request-record.ts';
import type { DailyUsageRow } from '../../core/usage-report.ts';
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
} from '../request-log.ts';
import { dailyReportValues, type UsageRange } from '../usage-daily.ts';
import { dollarParams, type PgConnection } from './pg-connection.ts';

/** The request log's write lock: "llmgwl" in ASCII, apart from the migration, tier and prune locks. */
const REQUEST_LOG_LOCK = 0x6c6c6d67776c;

const INSERT = dollarParams(INSERT_REQUEST);
const ADD_DAILY = dollarParams(ADD_REQUEST_DAILY);
const NEWEST = dollarParams(NEWEST_REQUESTS);
const AFTER = dollarParams(REQUESTS_AFTER);
const DAILY = dollarParams(DAILY_REQUESTS);

export class PgActivity implements ActivityLog {
  constructor(private readonly connection: PgConnection) {}

  async record(...entries: RequestRecord[]): Promise<void> {
    await this.copyIn(entries);
  }

  /** Logs requests as `record` does; resolves to how many were new (`ledger copy` reports it). */
  async copyIn(entries: RequestRecord[]): Promise<number> {
    if (entries.length === 0) return 0;
    return this.connection.guard(() =>
      this.connection.transaction(async (client) => {
        await client.query('SELECT pg_advisory_xact_lock($1)', [REQUEST_LOG_LOCK]);
        let added = 0;
        for (const e of entries) {
          const { rowCount } = await client.query(INSERT, requestValues(e));
          if (!rowCount) continue;
          await client.query(ADD_DAILY, requestDailyValues(e));
          added++;
        }
        return added;
      }),
    );
  }

  async recent(query: RecentQuery): Promise<LoggedRequest[]> {
    return this.connection.guard(async () => {
      const text = query.afterSeq === undefined ? NEWEST : AFTER;
      const { rows } = await this.connection.pool.query<RequestRow>(text, recentValues(query));
      return rows.map(requestOf);
    });
  }

  async dailyRequests(range: UsageRange): Promise<DailyUsageRow[]> {
    return this.connection.guard(async () => {
      const { rows } = await this.connection.pool.query<DailyUsageRow>(DAILY, dailyReportValues(range));
      return rows;
    });
  }
}

// Keeping the ledger small: a year of scripted use is a million usage rows, and cooldowns and reservations are
// left behind by every rate limit and every killed process. Totals per day and deployment (usage-daily.ts) are
// kept for ever — they are what windows and reports read — so detailed rows are needed only for a while: for the
// rest of a day a manual reset started mid-way (within the longest window, a month), for idempotency of a late
// settle, and to join an answer in a conversation to its token counts. Past DETAIL_DAYS they are deleted, with
// expired cooldowns and reservations, in one transaction, at most once a day: the last run is recorded in the file
// for every process, and each process reads it once, so settling a call costs one comparison. A ledger used for a
// long time before this existed has a backlog (a year of scripted use: ~750K rows, ~10 s to delete at once on a busy
// machine): it goes a batch per settle, so no single call pays for all of it, and the day counts from the last batch.
// The clock a settle carries may run ahead of the real one (LLM_GATEWAY_NOW=2099-… in a test or a demo): pruning by
// it would delete real rows and record a prune in 2099, after which real-time runs would never prune again. So a
// prune never goes past the wall clock — min(now, wall clock) for the cutoff, the expiries and the recorded time —
// and a recorded prune later than the wall clock (left by an older version) is stale: the next settle prunes.
import type Database from 'better-sqlite3';
import { DAY_MS, dayOf } from './usage-daily.ts';

/** Days of detailed usage rows kept, counted back from the start of today (UTC). Far more than a month's window. */
export const DETAIL_DAYS = 90;
/** Detailed rows deleted by one prune at most (~1 s on a busy machine). */
export const PRUNE_BATCH = 50_000;
const LAST_RUN = 'pruned_at';

export interface Pruned {
  usage: number;
  requests: number;
  cooldowns: number;
  reservations: number;
}

export class LedgerPruner {
  /** When the next prune is due, as this process last learned it; undefined until read from the file. */
  private dueAt: number | undefined;
  private readonly pruneTx: Database.Transaction<(now: number, wall: number) => Pruned | undefined>;

  constructor(
    db: Database.Database,
    private readonly sql: (text: string) => Database.Statement,
    /** The real time; injectable so tests of a clock running ahead do not depend on today's date. */
    private readonly wallClock: () => number = Date.now,
  ) {
    this.pruneTx = db.transaction((now: number, wall: number) => this.pruneInside(now, wall));
  }

  /** Prunes when a day has passed since the last prune by any process; otherwise does nothing (and reads nothing). */
  maybePrune(now: number): Pruned | undefined {
    const wall = this.wallClock();
    const at = Math.min(now, wall);
    this.dueAt ??= this.nextDue(wall);
    if (at < this.dueAt) return undefined;
    return this.pruneTx.immediate(at, wall);
  }

  private nextDue(wall: number): number {
    const last = this.sql('SELECT value FROM ledger_meta WHERE name = ?').pluck().get(LAST_RUN) as number | undefined;
    return last === undefined || last > wall ? Number.NEGATIVE_INFINITY : last + DAY_MS;
  }

  /** `now` is already no later than `wall`. */
  private pruneInside(now: number, wall: number): Pruned | undefined {
    // Another process may have pruned since we read the time: the write lock is ours now, so this read is final.
    this.dueAt = this.nextDue(wall);
    if (now < this.dueAt) return undefined;
    const cutoff = dayOf(now) - DETAIL_DAYS * DAY_MS;
    const pruned = {
      usage: this.sql(
        `DELETE FROM usage WHERE rowid IN (SELECT rowid FROM usage WHERE at < ? ORDER BY at LIMIT ${PRUNE_BATCH})`,
      ).run(cutoff).changes,
      // The request log goes with the usage rows; its daily totals (requests_daily) stay, as usage_daily does.
      requests: this.sql(
        `DELETE FROM requests WHERE seq IN (SELECT seq FROM requests WHERE at < ? ORDER BY at LIMIT ${PRUNE_BATCH})`,
      ).run(cutoff).changes,
      cooldowns: this.sql('DELETE FROM cooldowns WHERE until <= ?').run(now).changes,
      reservations: this.sql('DELETE FROM reservations WHERE expires_at <= ?').run(now).changes,
    };
    if (pruned.usage === PRUNE_BATCH || pruned.requests === PRUNE_BATCH) {
      // More to go: the next settle, here or in any process (the recorded time is left as it was), takes the next batch.
      this.dueAt = now;
      return pruned;
    }
    this.sql(
      'INSERT INTO ledger_meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
    ).run(LAST_RUN, now);
    this.dueAt = now + DAY_MS;
    return pruned;
  }
}

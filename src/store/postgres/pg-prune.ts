// The daily prune of ledger-prune.ts on the shared database: the same rules (detailed rows kept DETAIL_DAYS, at most
// PRUNE_BATCH a run, never past the wall clock, a recorded time in the future is stale), the same `pruned_at` in
// ledger_meta, so the first settling process of the day on any host prunes for all of them. Two hosts due at once
// queue on an advisory lock and the second finds the prune done.
import { DAY_MS, dayOf } from '../usage-daily.ts';
import { DETAIL_DAYS, PRUNE_BATCH, type Pruned } from '../ledger-prune.ts';
import type { PgConnection } from './pg-connection.ts';

const LAST_RUN = 'pruned_at';
/** The prune's lock: "llmgwp" in ASCII, apart from the migration lock. */
const PRUNE_LOCK = 0x6c6c6d677770;

export class PgPruner {
  /** When the next prune is due, as this process last learned it; undefined until read from the database. */
  private dueAt: number | undefined;

  constructor(
    private readonly connection: PgConnection,
    private readonly wallClock: () => number = Date.now,
  ) {}

  async maybePrune(now: number): Promise<Pruned | undefined> {
    const wall = this.wallClock();
    const at = Math.min(now, wall);
    this.dueAt ??= await this.nextDue(this.connection.pool, wall);
    if (at < this.dueAt) return undefined;
    return this.connection.transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [PRUNE_LOCK]);
      // Another process may have pruned since we read the time: the lock is ours now, so this read is final.
      this.dueAt = await this.nextDue(client, wall);
      if (at < this.dueAt) return undefined;
      const cutoff = dayOf(at) - DETAIL_DAYS * DAY_MS;
      const pruned: Pruned = {
        usage:
          (
            await client.query(
              `DELETE FROM usage WHERE request_id IN
                 (SELECT request_id FROM usage WHERE at < $1 ORDER BY at LIMIT ${PRUNE_BATCH})`,
              [cutoff],
            )
          ).rowCount ?? 0,
        // The request log goes with the usage rows; its daily totals (requests_daily) stay, as usage_daily does.
        requests:
          (
            await client.query(
              `DELETE FROM requests WHERE seq IN
                 (SELECT seq FROM requests WHERE at < $1 ORDER BY at LIMIT ${PRUNE_BATCH})`,
              [cutoff],
            )
          ).rowCount ?? 0,
        cooldowns: (await client.query('DELETE FROM cooldowns WHERE until <= $1', [at])).rowCount ?? 0,
        reservations: (await client.query('DELETE FROM reservations WHERE expires_at <= $1', [at])).rowCount ?? 0,
      };
      if (pruned.usage === PRUNE_BATCH || pruned.requests === PRUNE_BATCH) {
        this.dueAt = at; // more to go: the next settle, here or on any host, takes the next batch
        return pruned;
      }
      await client.query(
        `INSERT INTO ledger_meta (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
        [LAST_RUN, at],
      );
      this.dueAt = at + DAY_MS;
      return pruned;
    });
  }

  private async nextDue(client: Pick<PgConnection['pool'], 'query'>, wall: number): Promise<number> {
    const { rows } = await client.query('SELECT value FROM ledger_meta WHERE name = $1', [LAST_RUN]);
    const last = rows[0]?.value as number | undefined;
    return last === undefined || last > wall ? Number.NEGATIVE_INFINITY : last + DAY_MS;
  }
}

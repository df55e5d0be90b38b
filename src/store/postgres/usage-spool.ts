// Usage a call earned while the shared database was unreachable: the call was already made (its reservation was
// taken before the database went away), so its tokens are kept on this machine, one JSON line each in
// `pending-usage.jsonl` (0600, in the private config directory), and settled in the database by the next operation
// that reaches it. A replay is exactly once: the database keys usage by request id and ignores a repeat, so a line
// replayed twice (two processes, or a crash between the replay and the removal) still counts once.
import { appendFileSync, existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { UsageRecord } from '../../core/types.ts';
import { ensurePrivateDir } from '../files.ts';

export class UsageSpool {
  constructor(readonly path: string) {}

  /** Keeps a record for later. Throws when even this machine cannot write it (then the usage is reported lost). */
  keep(record: UsageRecord): void {
    ensurePrivateDir(dirname(this.path));
    appendFileSync(this.path, `${JSON.stringify(record)}\n`, { mode: 0o600 });
  }

  get pending(): boolean {
    return existsSync(this.path);
  }

  /**
   * Hands every kept record to `settle`, then forgets them. The file is first renamed to one of this process's own,
   * so records kept meanwhile go to a new file and wait for the next replay; a failed settle leaves the renamed
   * file to be picked up again.
   */
  async replay(settle: (records: UsageRecord[]) => Promise<void>): Promise<number> {
    if (!this.pending) return 0;
    const mine = `${this.path}.${process.pid}`;
    if (!existsSync(mine)) {
      try {
        renameSync(this.path, mine);
      } catch {
        return 0; // another process took it first
      }
    }
    const records = readFileSync(mine, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as UsageRecord];
        } catch {
          return []; // a line cut by a crash mid-write: the rest still counts
        }
      });
    await settle(records);
    rmSync(mine, { force: true });
    return records.length;
  }
}

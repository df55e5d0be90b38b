// Usage a call earned while the shared database was unreachable: the call was already made (its reservation was
// taken before the database went away), so its tokens are kept on this machine, one JSON line each in
// `pending-usage.jsonl` (0600, in the private config directory), and settled in the database by the next operation
// that reaches it.
//
// Never lost: a record is appended, and the file renamed away for a replay, only under the config directory's lock
// (config-lock.ts). Without it a process could open the file to append, another rename it, read it, settle it and
// delete it, and the first one's line would land in the deleted file. Under the lock, a renamed file is complete
// and nobody writes to it again; a replay that cannot have the lock at once skips its turn (a writer holds it for an
// instant) rather than keep the call waiting. Exactly once: the database keys usage by request id and ignores a
// repeat, so a renamed file replayed twice (two processes, or a crash between the replay and the removal) still
// counts once; and one a process left behind (it died, or the database went away again mid-replay) is found by the
// next process that opens the ledger, whatever its pid.
import { appendFileSync, existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import type { UsageRecord } from '../../core/types.ts';
import { withConfigLock } from '../config-lock.ts';
import { ensurePrivateDir } from '../files.ts';

/** How long a replay waits for the lock before leaving the records to the next one (ms). */
const REPLAY_LOCK_WAIT_MS = 200;

export class UsageSpool {
  private readonly dir: string;
  /** Files renamed for a replay and not yet settled: this process's own, and any found left by another. */
  private readonly renamed = new Set<string>();

  constructor(
    readonly path: string,
    private readonly options: { replayLockWaitMs?: number } = {},
  ) {
    this.dir = dirname(path);
    const prefix = `${basename(path)}.`;
    try {
      for (const name of readdirSync(this.dir)) if (name.startsWith(prefix)) this.renamed.add(join(this.dir, name));
    } catch {
      // no config directory yet: nothing was kept
    }
  }

  /** Keeps a record for later. Throws when even this machine cannot write it (then the usage is reported lost). */
  keep(record: UsageRecord): void {
    ensurePrivateDir(this.dir);
    withConfigLock(this.dir, () => appendFileSync(this.path, `${JSON.stringify(record)}\n`, { mode: 0o600 }));
  }

  get pending(): boolean {
    return this.renamed.size > 0 || existsSync(this.path);
  }

  /**
   * Hands every kept record to `settle`, file by file, forgetting each file once settled. A failed settle leaves
   * its file for the next replay. Resolves to how many records were settled.
   */
  async replay(settle: (records: UsageRecord[]) => Promise<void>): Promise<number> {
    if (existsSync(this.path)) this.takeSpool();
    let settled = 0;
    for (const file of [...this.renamed]) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        this.renamed.delete(file); // another process replayed it and removed it
        continue;
      }
      const records = parseLines(text);
      await settle(records);
      rmSync(file, { force: true });
      this.renamed.delete(file);
      settled += records.length;
    }
    return settled;
  }

  /** Renames the spool to a name of this replay's own, under the lock; records kept from now on go to a new one. */
  private takeSpool(): void {
    const mine = `${this.path}.${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      withConfigLock(
        this.dir,
        () => {
          if (existsSync(this.path)) {
            renameSync(this.path, mine);
            this.renamed.add(mine);
          }
        },
        { waitMs: this.options.replayLockWaitMs ?? REPLAY_LOCK_WAIT_MS },
      );
    } catch {
      // Locked (a writer is appending), or the lock or the rename failed: the records wait for the next replay.
    }
  }
}

function parseLines(text: string): UsageRecord[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as UsageRecord];
      } catch {
        return []; // a line cut by a crash mid-write: the rest still counts
      }
    });
}

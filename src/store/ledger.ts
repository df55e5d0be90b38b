// ledger.db: one SQLite file holding three stores, each its own concept and file — the quota (quota-store.ts: usage,
// reservations, cooldowns, resets; the core's QuotaLedger), the conversations (conversation-store.ts) and the
// activity (activity-store.ts: the request log and the usage report). They
// share the file so that one copy backs up, and one `doctor --repair` moves aside, the whole state; and the
// connection, so that a command using both opens the file once. A new store goes beside them: its tables as a
// named migration in ledger-schema.ts, its class taking the connection, a field here.
import type Database from 'better-sqlite3';
import { ActivityStore } from './activity-store.ts';
import { ConversationStore } from './conversation-store.ts';
import { asLedgerError, openDatabase, quarantineLedger } from './ledger-file.ts';
import { QuotaStore } from './quota-store.ts';

export { quarantineLedger };
export type { QuotaStore } from './quota-store.ts';
export type { ConversationStore, StoredMessage } from './conversation-store.ts';
export type { ActivityStore, RecentQuery, UsageRange } from './activity-store.ts';

export interface Ledger {
  readonly path: string;
  readonly quota: QuotaStore;
  readonly conversations: ConversationStore;
  /** The request log and the usage report's daily totals. */
  readonly activity: ActivityStore;
  /** Problems `PRAGMA quick_check` finds (empty when sound). Reads every page: for `doctor`, not every start. */
  quickCheck(): string[];
  /** A consistent copy of the whole file at `path` (which must not exist), taken while others may write. */
  copyTo(path: string): void;
  close(): void;
}

/** Opens (creating if needed) the ledger at `path`; a file that is not a sound ledger is a ConfigError, untouched. */
/** `busyTimeoutMs`: how long a write waits for another process's lock before it fails as `locked`. */
export function openLedger(path: string, options: { busyTimeoutMs?: number } = {}): Ledger {
  const db = openDatabase(path, options.busyTimeoutMs);
  return {
    path,
    quota: new QuotaStore(db, path),
    conversations: new ConversationStore(db, path),
    activity: new ActivityStore(db, path),
    quickCheck: () => quickCheck(db, path),
    copyTo: (target) => {
      try {
        db.prepare('VACUUM INTO ?').run(target);
      } catch (err) {
        throw asLedgerError(err, path);
      }
    },
    close: () => {
      if (db.open) db.close();
    },
  };
}

function quickCheck(db: Database.Database, path: string): string[] {
  try {
    const result = db.pragma('quick_check', { simple: false }) as Array<{ quick_check: string }>;
    return result.map((row) => row.quick_check).filter((line) => line !== 'ok');
  } catch (err) {
    throw asLedgerError(err, path);
  }
}

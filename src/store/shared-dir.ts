// Is the config directory shared with things that are not llm-gateway's? `doctor --repair` makes the directory 0700;
// done to /tmp (LLM_GATEWAY_HOME=/tmp) that took the sticky 1777 /tmp away from every other user, and done to a
// populated directory it locks others out of files that were never ours. So a directory with the sticky bit, or
// holding entries the store did not make, is not chmod'ed: the user is told to point LLM_GATEWAY_HOME elsewhere.
import { readdirSync, type Stats } from 'node:fs';
import { LOCK_NAME } from './config-lock.ts';
import { SERVER_KEY_FILE } from './paths.ts';

/** Every name the store puts in its directory (paths.ts, the ledger's SQLite sidecars, the lock, serve's key). */
const OWN_NAMES = new Set([
  'settings.json',
  'keys.json',
  'ledger.db',
  'ledger.db-wal',
  'ledger.db-shm',
  'ledger.db-journal',
  'chat-history',
  LOCK_NAME,
  SERVER_KEY_FILE,
]);
/** Names derived from those: moved-aside copies, atomic-write temps, a stale lock set aside, migrate's backups. */
const OWN_DERIVED = /^(?:before-migrate-.*|.+\.(?:corrupt|tmp|stale)-.*)$/;

const STICKY = 0o1000;

/** A mode in full octal, special bits included: 1777, not 777 (which hides the sticky bit). */
export function octalMode(mode: number): string {
  return (mode & 0o7777).toString(8);
}

/** Why `dir` looks shared rather than llm-gateway's own, or undefined when it does not. */
export function sharedDirReason(dir: string, stat: Stats): string | undefined {
  if (stat.mode & STICKY)
    return `it has the sticky bit (mode ${octalMode(stat.mode)}), as shared directories such as /tmp do`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return undefined; // unreadable: the trust checks and the reads say so
  }
  const foreign = names.filter((name) => !OWN_NAMES.has(name) && !OWN_DERIVED.test(name));
  if (!foreign.length) return undefined;
  const shown = foreign
    .slice(0, 3)
    .map((n) => JSON.stringify(n))
    .join(', ');
  return `it holds ${foreign.length} entr${foreign.length === 1 ? 'y' : 'ies'} llm-gateway did not make (${shown}${foreign.length > 3 ? ', …' : ''})`;
}

/** What to do when the config directory is shared: never chmod it, use a directory of one's own. */
export function sharedDirHint(dir: string): string {
  return `set LLM_GATEWAY_HOME to a private directory of your own (e.g. mkdir -m 700 ~/.llm-gateway); ${dir} is left as it is, as its other users need it`;
}

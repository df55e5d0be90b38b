// A cross-process lock around every read-modify-write of settings.json and keys.json. Without it two commands
// that edit at once (twelve `providers add` in a script) each read the old files and the last rename wins: the
// others' providers and keys are lost while each run says "stored".
//
// An advisory lock file created with O_EXCL (`wx`), holding the holder's pid, start time and a random token. It is
// stale when its holder is no longer alive or it is older than STALE_MS (an edit takes milliseconds; a lock that old
// was left by a crash, a pid reused, or a machine that shares the directory). A stale lock is broken by renaming it
// to a name of our own first: only one process can win that rename, and the winner checks it took the stale lock it
// judged (not a fresh one created meanwhile) before deleting it. Synchronous on purpose: editing two small files
// is quick, and a synchronous critical section cannot interleave with anything else in this process. Waiting is
// bounded whatever the file system answers, and any error but EEXIST (a read-only disk, a symbolic link where the
// lock should be) ends it at once as a ConfigError naming the path.
import { closeSync, linkSync, lstatSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ConfigError } from '../core/errors.ts';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from './files.ts';
import { errnoCode, fsFailure } from './fs-failure.ts';

export const LOCK_NAME = 'config.lock';
const STALE_MS = 30_000;
const WAIT_MS = 20_000;

interface Holder {
  pid: number;
  at: number;
  token: string;
}

export interface LockOptions {
  /** How long to wait for another holder before giving up (tests shorten it). */
  waitMs?: number;
  staleMs?: number;
}

/** Runs `critical` while holding the config directory's lock; the lock is released however it ends. */
export function withConfigLock<T>(dir: string, critical: () => T, options: LockOptions = {}): T {
  ensurePrivateDir(dir);
  const path = join(dir, LOCK_NAME);
  const token = acquire(path, options.waitMs ?? WAIT_MS, options.staleMs ?? STALE_MS);
  try {
    return critical();
  } finally {
    release(path, token);
  }
}

function acquire(path: string, waitMs: number, staleMs: number): string {
  const mine: Holder = { pid: process.pid, at: Date.now(), token: randomBytes(8).toString('hex') };
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (tryCreate(path, mine)) return mine.token;
    const holder = readHolder(path, staleMs);
    if (holder === 'stale' || (holder !== 'gone' && isStale(holder, staleMs))) {
      breakStale(path, holder === 'stale' ? undefined : holder.token);
    } else if (holder !== 'gone') {
      if (Date.now() > deadline) throw lockedBy(holder, path);
      sleep(5 + Math.random() * 20);
      mine.at = Date.now();
      continue;
    }
    // The other ways round the loop are bounded too, whatever the file system answers: never a spin past the deadline.
    if (Date.now() > deadline) {
      throw new ConfigError(
        `could not take the lock file ${path} within ${Math.round(waitMs / 1000)} s (it kept appearing and vanishing)`,
        `if no other llm-gateway command is running, delete ${path}`,
        path,
      );
    }
  }
}

function lockedBy(holder: Holder, path: string): ConfigError {
  return new ConfigError(
    `settings are locked by process ${holder.pid} since ${new Date(holder.at).toISOString()} (${path})`,
    `wait for that llm-gateway command to finish; if none is running, delete ${path}`,
    path,
  );
}

/** Creates the lock file holding `holder`; false when one exists. A lock we could not fill in is removed again. */
function tryCreate(path: string, holder: Holder): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', PRIVATE_FILE_MODE);
  } catch (err) {
    if (errnoCode(err) === 'EEXIST') return false;
    throw fsFailure(err, path, 'create the lock file');
  }
  try {
    try {
      writeFileSync(fd, JSON.stringify(holder));
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    try {
      unlinkSync(path); // an empty lock would hold every other command off until it is judged stale
    } catch {
      // the write's failure is the one to report
    }
    throw fsFailure(err, path, 'write the lock file');
  }
  return true;
}

/**
 * The holder named in the lock file; 'gone' when it vanished while we looked; 'stale' when it cannot be read a
 * moment after it was made (empty content is normal for an instant: its creator has not written yet). Anything
 * but a regular file there (a symbolic link, a directory) was not made by us and is reported, not waited for.
 */
function readHolder(path: string, staleMs: number): Holder | 'gone' | 'stale' {
  let text: string;
  let age: number;
  try {
    const stat = lstatSync(path);
    if (!stat.isFile()) {
      throw new ConfigError(
        `the lock file ${path} is not a file llm-gateway made (it is ${stat.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'})`,
        `if no llm-gateway command is running, delete ${path}`,
        path,
      );
    }
    age = Date.now() - stat.mtimeMs;
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return 'gone';
    throw fsFailure(err, path, 'read the lock file');
  }
  try {
    const holder = JSON.parse(text) as Holder;
    if (Number.isInteger(holder.pid) && Number.isFinite(holder.at) && typeof holder.token === 'string') return holder;
  } catch {
    // half-written or not ours: judged by age below
  }
  // Its creator writes right after creating it: content still missing a moment later never comes (it died between
  // the two, or something else wrote the file), and waiting on it would end naming this very process as the holder.
  return age > Math.min(staleMs, UNWRITTEN_GRACE_MS) ? 'stale' : { pid: process.pid, at: Date.now(), token: '' };
}

/** How long a lock file may stay empty or unreadable while its creator writes it. */
const UNWRITTEN_GRACE_MS = 1_000;

function isStale(holder: Holder, staleMs: number): boolean {
  if (holder.token === '') return false; // being written right now
  return Date.now() - holder.at > staleMs || !alive(holder.pid);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // it exists, it is just not ours to signal
  }
}

/** Moves the stale lock out of the way; puts it back if what we moved turns out to be a fresh one. */
function breakStale(path: string, staleToken: string | undefined): void {
  const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(path, aside);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return; // another process broke it first
    throw fsFailure(err, path, 'move aside the stale lock file');
  }
  let moved: Holder | undefined;
  try {
    moved = JSON.parse(readFileSync(aside, 'utf8')) as Holder;
  } catch {
    moved = undefined;
  }
  const judged = staleToken === undefined ? moved === undefined : moved?.token === staleToken;
  if (!judged) {
    try {
      linkSync(aside, path); // a live holder's lock: give it back (fails only if yet another was created)
    } catch {
      // EEXIST: someone holds a new lock already; the moved one is dropped below
    }
  }
  try {
    unlinkSync(aside);
  } catch (err) {
    throw fsFailure(err, aside, 'remove the stale lock file');
  }
}

function release(path: string, token: string): void {
  try {
    const holder = JSON.parse(readFileSync(path, 'utf8')) as Holder;
    if (holder.token === token) unlinkSync(path); // never remove a lock that another process took over as stale
  } catch {
    // already gone
  }
}

const SLEEPER = new Int32Array(new SharedArrayBuffer(4));
function sleep(ms: number): void {
  Atomics.wait(SLEEPER, 0, 0, ms);
}

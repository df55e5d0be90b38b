// A cross-process lock around every read-modify-write of settings.json and keys.json. Without it two commands
// that edit at once (twelve `providers add` in a script) each read the old files and the last rename wins: the
// others' providers and keys are lost while each run says "stored".
//
// An advisory lock file created with O_EXCL (`wx`), holding the holder's pid, start time and a random token. It is
// stale when its holder is no longer alive or it is older than STALE_MS (an edit takes milliseconds; a lock that old
// was left by a crash, a pid reused, or a machine that shares the directory). A stale lock is broken by renaming it
// to a name of our own first: only one process can win that rename, and the winner checks it took the stale lock it
// judged (not a fresh one created meanwhile) before deleting it. Synchronous on purpose: editing two small files
// is quick, and a synchronous critical section cannot interleave with anything else in this process.
import { closeSync, linkSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ConfigError } from '../core/errors.ts';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from './files.ts';

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
    if (holder === 'gone') continue;
    if (holder === 'stale' || isStale(holder, staleMs)) {
      breakStale(path, holder === 'stale' ? undefined : holder.token);
      continue;
    }
    if (Date.now() > deadline) {
      throw new ConfigError(
        `settings are locked by process ${holder.pid} since ${new Date(holder.at).toISOString()} (${path})`,
        `wait for that llm-gateway command to finish; if none is running, delete ${path}`,
        path,
      );
    }
    sleep(5 + Math.random() * 20);
    mine.at = Date.now();
  }
}

function tryCreate(path: string, holder: Holder): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', PRIVATE_FILE_MODE);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    throw new ConfigError(
      `cannot create the lock file ${path} (${code ?? (err as Error).message})`,
      'check that the config directory belongs to you and the disk is writable',
      path,
    );
  }
  try {
    writeSync(fd, JSON.stringify(holder));
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * The holder named in the lock file; 'gone' when it vanished while we looked; 'stale' when it cannot be read and is
 * older than the stale limit (empty content is normal for an instant: its creator has not written yet).
 */
function readHolder(path: string, staleMs: number): Holder | 'gone' | 'stale' {
  let text: string;
  let age: number;
  try {
    age = Date.now() - statSync(path).mtimeMs;
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw err;
  }
  try {
    const holder = JSON.parse(text) as Holder;
    if (Number.isInteger(holder.pid) && Number.isFinite(holder.at) && typeof holder.token === 'string') return holder;
  } catch {
    // half-written or not ours: judged by age below
  }
  return age > staleMs ? 'stale' : { pid: process.pid, at: Date.now(), token: '' };
}

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
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // another process broke it first
    throw err;
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
  unlinkSync(aside);
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

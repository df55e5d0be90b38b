// Disk faults for end-to-end tests of the real binary: an injected errno at one `node:fs` call (always available,
// also as root: fs-fault-preload.cjs), and a real tiny tmpfs (full, or read-only) where this process may mount one.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PRELOAD = fileURLToPath(new URL('./fs-fault-preload.cjs', import.meta.url));

export interface FsFault {
  call: 'writeFileSync' | 'writeSync' | 'fsyncSync' | 'openSync' | 'renameSync' | 'mkdirSync' | 'copyFileSync';
  code: 'ENOSPC' | 'EROFS' | 'EACCES' | 'EIO';
  /** Text in the path (or in the path the file descriptor was opened on) that makes the call fail. */
  match: string;
}

/** The environment that makes the binary's `fault.call` fail with `fault.code` for matching paths. */
export function faultEnv(fault: FsFault): Record<string, string> {
  return { NODE_OPTIONS: `--require ${PRELOAD}`, LLMGW_TEST_FS_FAULT: JSON.stringify(fault) };
}

/** Names in `dir` left by an atomic write (`settings.json.tmp-<pid>-<time>`). */
export function tempFilesIn(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.includes('.tmp-'));
}

export interface Tmpfs {
  dir: string;
  /** Makes the mount read-only (every write then fails with EROFS, also for root). */
  readOnly(): void;
}

/**
 * Runs `body` with a fresh tmpfs of `sizeKb` mounted, and unmounts it after; returns false without running it where
 * this process cannot mount (not root, no CAP_SYS_ADMIN, not Linux), so the test can say it was skipped.
 */
export async function withTmpfs(sizeKb: number, body: (fs: Tmpfs) => Promise<void>): Promise<boolean> {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const dir = mkdtempSync(join(tmpdir(), 'llmgw-tmpfs-'));
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k,mode=0700`, 'tmpfs', dir]).status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return false;
  }
  try {
    await body({
      dir,
      readOnly: () => {
        const remount = spawnSync('mount', ['-o', 'remount,ro', dir]);
        if (remount.status !== 0) throw new Error(`remount read-only failed: ${remount.stderr}`);
      },
    });
  } finally {
    spawnSync('umount', ['-l', dir]);
    rmSync(dir, { recursive: true, force: true });
  }
  return true;
}

/**
 * Fills the file system holding `dir` until it has no room left (ENOSPC), or only about `leaveBytes`, with one file
 * named `filler`.
 */
export function fillDisk(dir: string, leaveBytes = 0): void {
  const fd = openSync(join(dir, 'filler'), 'w');
  const block = Buffer.alloc(4096, 1);
  try {
    if (leaveBytes > 0) {
      const { bavail, bsize } = statfsSync(dir);
      for (let left = bavail * bsize - leaveBytes; left > 0; left -= block.length) writeSync(fd, block);
      return;
    }
    for (;;) writeSync(fd, block);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
}

// How a long-running process notices that another one changed a file: one stat, compared with the one taken
// when the file was read. Every write of ours replaces the file by rename, so the inode alone would do; size and
// mtime also catch a hand edit made in place.
import { statSync } from 'node:fs';

/** A short fingerprint of a file's identity and last change; 'missing' when it does not exist. */
export function fileStamp(path: string): string {
  try {
    // A missing file is the common case (no keys.json yet): no exception built for it, on every request of serve.
    const s = statSync(path, { throwIfNoEntry: false });
    return s ? `${s.ino}:${s.size}:${s.mtimeMs}` : 'missing';
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // Unreadable is a state too: reading the file will say what is wrong with it.
    return code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : `error ${code ?? ''}`;
  }
}

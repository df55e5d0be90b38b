// A file-system call on the config directory that failed for a reason outside our code — a read-only mount, a full
// disk, a directory that cannot be created, permissions — is the user's to fix, not a bug: it becomes a ConfigError
// (exit 3) that names the path, says what failed in words, and says what to do. An error without an errno code is
// returned unchanged: that one is ours.
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from '../core/errors.ts';

/** What the system said, in words; the code follows in brackets for a search. */
const REASONS: Record<string, string> = {
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large for this file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'it is a directory',
  EEXIST: 'something else is already there',
  ENOENT: 'a directory on the way does not exist',
  ENAMETOOLONG: 'the path is too long',
  ELOOP: 'too many symbolic links on the way',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EBUSY: 'the file is busy',
  ETXTBSY: 'the file is busy',
};

/** The highest path above `path` that exists and is not a directory: what ENOTDIR is about. */
function fileOnTheWay(path: string): string | undefined {
  let found: string | undefined;
  for (let p = dirname(path); p !== dirname(p); p = dirname(p)) {
    try {
      if (!statSync(p).isDirectory()) found = p;
    } catch {
      // missing or unreadable: not the file in the way
    }
  }
  return found;
}

/** What a user can do about each, keyed as REASONS; the fallback is about ownership and modes. */
export function hintFor(code: string, path: string): string {
  const elsewhere = 'or set LLM_GATEWAY_HOME to a directory of your own on a writable disk';
  switch (code) {
    case 'EISDIR':
      return `${path} is a directory where a file belongs: move it out of the way (it is not read)`;
    case 'ENOTDIR': {
      const file = fileOnTheWay(path);
      if (file) return `${file} is a file where a directory belongs: move it, ${elsewhere}`;
      return `check the path (LLM_GATEWAY_HOME, XDG_CONFIG_HOME or HOME), ${elsewhere}`;
    }
    case 'ENOSPC':
    case 'EDQUOT':
    case 'EFBIG':
      return `free some space on the disk holding ${dirname(path)} and run the command again (nothing was changed)`;
    case 'EROFS':
      return `${dirname(path)} is on a read-only mount: remount it writable, ${elsewhere}`;
    case 'ENOENT':
    case 'ENAMETOOLONG':
    case 'ELOOP':
      return `check the path (LLM_GATEWAY_HOME, XDG_CONFIG_HOME or HOME), ${elsewhere}`;
    case 'EIO':
      return 'the disk reported an error: check it (dmesg) before trusting what is on it';
    case 'EMFILE':
    case 'ENFILE':
      return 'close some programs and run the command again';
    default:
      return `check that ${dirname(path)} belongs to you and is writable (mode 0700), ${elsewhere}`;
  }
}

/** The errno code of a Node error (`ENOSPC`), if it has one. */
export function errnoCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

/** `no space left on the device (ENOSPC)`: the system's reason in words. */
export function describeErrno(code: string): string {
  return REASONS[code] ? `${REASONS[code]} (${code})` : code;
}

/**
 * `err` from `action` (`write`, `create the directory`) on `path` as a ConfigError naming both; an error that is not
 * a system call's is returned unchanged.
 */
export function fsFailure(err: unknown, path: string, action: string): unknown {
  if (err instanceof ConfigError) return err;
  const code = errnoCode(err);
  if (code === undefined) return err;
  const full = code === 'ENOSPC' || code === 'EDQUOT';
  return new ConfigError(
    `cannot ${action} ${path}: ${describeErrno(code)}`,
    hintFor(code, path),
    path,
    full ? 'disk_full' : undefined,
  );
}

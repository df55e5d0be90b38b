// Small, careful file primitives for the config directory: private modes, atomic replacement, and reads that
// tell "missing" apart from "broken". Nothing here ever deletes or truncates a file it could not parse. A write the
// system refuses (read-only, full, not ours) is a ConfigError naming the path (fs-failure.ts), never a bug.
import {
  chmodSync,
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readlinkSync,
  readSync,
  realpathSync,
  renameSync,
  rmSync,
  type Stats,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { ConfigError } from '../core/errors.ts';
import { MAX_JSON_DEPTH, tooDeepAt } from '../lib/json-depth.ts';
import { findJsonError, lineColumn } from '../lib/json-error.ts';
import { visibleLine } from '../lib/visible-text.ts';
import { describeErrno, errnoCode, fsFailure, hintFor } from './fs-failure.ts';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Creates the directory (and parents) owner-only. An existing directory keeps its mode. Not `mkdirSync(…,
 * {recursive: true})`: Node's loops forever when mkdir answers ENOENT under a parent that exists (`/proc/1/x`), which
 * spun at 100% CPU for ten minutes. Here each level is made once, parents first; any failure but a racing creator's
 * EEXIST is a ConfigError naming the level that could not be made.
 */
export function ensurePrivateDir(dir: string): void {
  const missing: string[] = [];
  for (let at = resolve(dir); ; at = dirname(at)) {
    const kind = pathKind(at);
    if (kind === 'directory') break;
    if (kind === 'other') throw notADirectory(at);
    missing.push(at);
    if (dirname(at) === at) break; // the root itself is missing: mkdir below says why
  }
  for (const level of missing.reverse()) {
    try {
      mkdirSync(level, { mode: PRIVATE_DIR_MODE });
    } catch (err) {
      if (errnoCode(err) === 'EEXIST' && pathKind(level) === 'directory') continue; // another process made it
      if (errnoCode(err) === 'ENOENT') {
        // The parent exists (made or found above), so the file system itself refuses: /proc, a vanished mount.
        throw new ConfigError(
          `cannot create the directory ${level}: the file system does not allow it (ENOENT)`,
          'set LLM_GATEWAY_HOME to a directory of your own on a writable disk',
          level,
        );
      }
      throw fsFailure(err, level, 'create the directory');
    }
  }
}

function pathKind(path: string): 'directory' | 'other' | 'missing' {
  try {
    return statSync(path).isDirectory() ? 'directory' : 'other';
  } catch (err) {
    // ENOTDIR: a file sits higher up; walking on up finds it and names it.
    if (errnoCode(err) === 'ENOENT' || errnoCode(err) === 'ENOTDIR') return 'missing';
    throw fsFailure(err, path, 'look at');
  }
}

function notADirectory(path: string): ConfigError {
  return new ConfigError(
    `${path} is not a directory, but the config directory must be (or be inside) one`,
    'move that file out of the way, or set LLM_GATEWAY_HOME to a directory of your own',
    path,
  );
}

/**
 * The most a file of the config directory may hold. settings.json and keys.json were read whole, with no limit: a
 * 30 MB file of `[` took 3 s and 1.4 GB of memory, 300 MB took 77 s and 21 GB. Real ones are a few kB.
 */
export const MAX_CONFIG_FILE_BYTES = 4 * 1024 * 1024;

/** The file's text, or undefined when it does not exist. Any other failure is a ConfigError naming the path. */
export function readTextIfExists(path: string): string | undefined {
  const fd = openIfExists(path);
  if (fd === undefined) return undefined;
  try {
    return readBoundedText(fd, path);
  } catch (err) {
    throw err instanceof ConfigError ? err : cannotRead(err, path);
  } finally {
    closeSync(fd);
  }
}

/** A descriptor for reading `path`, or undefined when there is no such file; any other failure names the path. */
export function openIfExists(path: string): number | undefined {
  try {
    return openSync(path, 'r');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw cannotRead(err, path);
  }
}

/** A config file that exists but cannot be read: exit 3 naming it, with the usual cause. */
export function cannotRead(err: unknown, path: string): ConfigError {
  const code = errnoCode(err);
  const permissions = code === undefined || code === 'EACCES' || code === 'EPERM';
  return new ConfigError(
    `cannot read ${path}: ${code ? describeErrno(code) : (err as Error).message}`,
    permissions
      ? 'check the file and directory permissions (they should belong to you, modes 0600 and 0700)'
      : hintFor(code, path),
    path,
  );
}

/**
 * The text of the open file `fd`, refused (a ConfigError naming the file and its size) when it is larger than
 * `limit`: first by its size on the handle, before anything is read, then by the read itself, which stops at
 * `limit` + 1 bytes, for files whose size lies (/proc reports 0).
 */
export function readBoundedText(fd: number, path: string, limit = MAX_CONFIG_FILE_BYTES): string {
  const size = fstatSync(fd).size;
  if (size > limit) throw tooLarge(path, size, limit);
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(64 * 1024, limit + 1 - total));
    const n = readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) break;
    chunks.push(chunk.subarray(0, n));
    total += n;
    if (total > limit) throw tooLarge(path, undefined, limit);
  }
  return Buffer.concat(chunks, total).toString('utf8');
}

function tooLarge(path: string, size: number | undefined, limit: number): ConfigError {
  const what = { 'settings.json': 'a settings file', 'keys.json': 'a keys file' }[basename(path)] ?? 'such a file';
  const MiB = 1024 * 1024;
  const limitText = limit % MiB === 0 ? `${limit / MiB} MiB` : `${limit} bytes`;
  const is = size === undefined ? 'is' : `is ${(size / 1e6).toFixed(1)} MB,`;
  return new ConfigError(
    `${path} ${is} more than the ${limitText} ${what} can be; is it the right file?`,
    `move it away (or set LLM_GATEWAY_HOME to the directory that holds your own settings); nothing was read from it`,
    path,
  );
}

/**
 * Replaces a file atomically with owner-only permissions: write a temp file beside it, fsync, rename. A crash
 * leaves either the old file or the new one, never half of each; a failure (a full disk, a read-only mount) leaves
 * the old file and no temp file, and is a ConfigError naming the path and the reason.
 */
export function writePrivateFileAtomic(path: string, text: string): void {
  ensurePrivateDir(dirname(path));
  const target = linkTarget(path) ?? path;
  const temp = `${target}.tmp-${process.pid}-${Date.now()}`;
  let fd: number;
  try {
    fd = openSync(temp, 'wx', PRIVATE_FILE_MODE);
  } catch (err) {
    throw fsFailure(err, path, 'write');
  }
  try {
    try {
      writeFileSync(fd, text); // loops over short writes: writeSync alone may write part and return its count
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
  } catch (err) {
    removeTemp(temp); // a full disk must not leave a half-written temp file behind
    throw fsFailure(err, path, 'write');
  }
}

/**
 * The file a symbolic link at `path` points to, which a write replaces instead of the link (undefined: `path` is
 * no link). Renaming over the link would turn it into a regular file and leave the file it pointed to — a dotfiles
 * checkout, say — silently out of date; so the write goes through, atomically, beside the target. Only to a regular
 * file of our own: a link to another user's file (or to nothing) is refused with what to do, never followed.
 */
export function linkTarget(path: string, me = process.getuid?.()): string | undefined {
  let link: Stats;
  try {
    link = lstatSync(path);
  } catch {
    return undefined; // nothing there yet: the write creates a regular file
  }
  if (!link.isSymbolicLink()) return undefined;
  const pointsTo = readlinkSync(path);
  const fix = `replace the link with a file of your own (rm ${path}; the next change writes a regular file there)`;
  let target: string;
  let stat: Stats;
  try {
    target = realpathSync(path);
    stat = statSync(target);
  } catch {
    throw new ConfigError(`${path} is a symbolic link to ${pointsTo}, which does not exist`, fix, path);
  }
  if (!stat.isFile())
    throw new ConfigError(`${path} is a symbolic link to ${target}, which is not a regular file`, fix, path);
  if (me !== undefined && stat.uid !== me)
    throw new ConfigError(
      `${path} is a symbolic link to ${target}, which belongs to uid ${stat.uid}, not to you (uid ${me}): llm-gateway does not write another user's file`,
      fix,
      path,
    );
  return target;
}

/**
 * What to do about a file another user owns. Never `chown` a symbolic link's path: chown follows it and would take
 * the other user's file it points to.
 */
export function foreignOwnerHint(path: string, me: number): string {
  let isLink = false;
  try {
    isLink = lstatSync(path).isSymbolicLink();
  } catch {
    // gone meanwhile: the plain hint will do
  }
  if (isLink) {
    return `${path} is a symbolic link to another user's file: do not chown it (that would take their file); replace the link with a file of your own, or set LLM_GATEWAY_HOME to a directory of your own`;
  }
  return `have it made yours (sudo chown ${me} ${path}), or set LLM_GATEWAY_HOME to a directory of your own`;
}

/** Best effort: the write's own failure is what the user must hear about, not a second one removing its temp file. */
function removeTemp(temp: string): void {
  try {
    rmSync(temp, { force: true });
  } catch {
    // nothing more we can do; the name says what it is
  }
}

/** Removes a file; one that is already gone is fine. */
export function removeFile(path: string): void {
  rmSync(path, { force: true });
}

/** Epoch-ms-stamped name beside a broken file, for moving it aside without losing it. */
export function quarantineName(path: string, now: number): string {
  return `${path}.corrupt-${new Date(now).toISOString().replace(/[:.]/g, '-')}`;
}

/**
 * Moves a broken file aside, private, under a name no earlier copy has: nothing is ever overwritten. Its `sidecars`
 * (suffixes such as SQLite's `-wal`) that exist go with it under the same new name, so the set still belongs together.
 * Returns the file's new path.
 */
export function moveAside(path: string, now: number, sidecars: readonly string[] = []): string {
  const taken = (name: string) => [name, ...sidecars.map((s) => name + s)].some((p) => existsSync(p));
  let target = quarantineName(path, now);
  for (let n = 1; taken(target); n++) target = `${quarantineName(path, now)}.${n}`;
  renameSync(path, target);
  chmodSync(target, PRIVATE_FILE_MODE); // a copy of keys.json is as secret as keys.json
  for (const suffix of sidecars) {
    if (existsSync(path + suffix)) renameSync(path + suffix, target + suffix);
  }
  return target;
}

export function fileMode(path: string): number | undefined {
  try {
    return statSync(path).mode & 0o777;
  } catch {
    return undefined;
  }
}

/** One character as a person reads it in an error: a line break or the file's end by name, an invisible one as U+. */
function charName(char: string | undefined): string {
  if (char === undefined) return 'the end of the file';
  if (char === '\n' || char === '\r') return 'a line break';
  return `'${visibleLine(char)}'`;
}

/**
 * Parses JSON, or throws a ConfigError that says where it broke and how to repair it. No file is ever quoted: the
 * parser's message carries an excerpt of the text, which in keys.json is a key (and may be one anywhere); `secret`
 * files get only the line.
 */
export function parseJsonFile(path: string, text: string, what: string, secret = false): unknown {
  let value: unknown;
  // A BOM left by a Windows editor is not an error (JSON.parse refuses it as an invisible "unexpected token").
  const body = text.replace(/^\uFEFF/, '');
  try {
    value = JSON.parse(body);
  } catch {
    // Our own scanner's words, never the parser's: they name the place and the fault, and quote no text.
    const found = findJsonError(body) ?? { offset: 0, what: 'not valid JSON' };
    const { line, column } = lineColumn(body, found.offset);
    const where = `line ${line}, column ${column}`;
    const detail = secret ? where : `${where}: ${found.what} (found ${charName(body[found.offset])})`;
    throw new ConfigError(
      `${what} ${path} is not valid JSON: ${detail}`,
      `fix it by hand, or run \`llm-gateway doctor --repair\`, which keeps it as ${path}.corrupt-<time> and starts afresh`,
      path,
    );
  }
  // Checked without recursion before anything walks it: 2,000 levels (18 KB) overflowed the stack of every command.
  const deep = tooDeepAt(value);
  if (deep !== undefined) {
    throw new ConfigError(
      `${what} ${path} nests more than ${MAX_JSON_DEPTH} levels deep (at ${deep || 'the top'}); no setting needs that many`,
      `fix it by hand, or run \`llm-gateway doctor --repair\`, which keeps it as ${path}.corrupt-<time> and starts afresh`,
      path,
    );
  }
  return value;
}

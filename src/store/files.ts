// Small, careful file primitives for the config directory: private modes, atomic replacement, and reads that
// tell "missing" apart from "broken". Nothing here ever deletes or truncates a file it could not parse.
import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from '../core/errors.ts';
import { visibleText } from '../core/visible-text.ts';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates the directory (and parents) owner-only. An existing directory keeps its mode. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/** The file's text, or undefined when it does not exist. Any other failure is a ConfigError naming the path. */
export function readTextIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(
      `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      'check the file and directory permissions (they should belong to you, modes 0600 and 0700)',
      path,
    );
  }
}

/**
 * Replaces a file atomically with owner-only permissions: write a temp file beside it, fsync, rename. A crash
 * leaves either the old file or the new one, never half of each.
 */
export function writePrivateFileAtomic(path: string, text: string): void {
  ensurePrivateDir(dirname(path));
  const temp = `${path}.tmp-${process.pid}-${Date.now()}`;
  const fd = openSync(temp, 'wx', PRIVATE_FILE_MODE);
  try {
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true }); // a full disk must not leave a half-written temp file behind
    throw err;
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

/** The line the parser stopped on, from the position its message gives (1 when it gives none). */
function lineOfError(err: Error, text: string): number {
  const position = Number(/position (\d+)/.exec(err.message)?.[1] ?? 0);
  return text.slice(0, position).split('\n').length;
}

export function fileMode(path: string): number | undefined {
  try {
    return statSync(path).mode & 0o777;
  } catch {
    return undefined;
  }
}

/**
 * The parser's words without its quote of the text (`Unexpected token 's', "…sk-live-…"... is not valid JSON`):
 * a key pasted into settings.json by mistake must not reach the terminal from its error either.
 */
function unquotedReason(err: Error): string {
  return err.message.replace(/,\s*(\.\.\.)?".*"(\.\.\.)?\s*is not valid JSON$/s, '');
}

/**
 * Parses JSON, or throws a ConfigError that says where it broke and how to repair it. No file is ever quoted: the
 * parser's message carries an excerpt of the text, which in keys.json is a key (and may be one anywhere); `secret`
 * files get only the line.
 */
export function parseJsonFile(path: string, text: string, what: string, secret = false): unknown {
  try {
    // A BOM left by a Windows editor is not an error (JSON.parse refuses it as an invisible "unexpected token").
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    const line = `line ${lineOfError(err as Error, text)}`;
    const detail = secret ? line : `${line}: ${visibleText(unquotedReason(err as Error))}`;
    throw new ConfigError(
      `${what} ${path} is not valid JSON: ${detail}`,
      `fix it by hand, or run \`llm-gateway doctor --repair\`, which keeps it as ${path}.corrupt-<time> and starts afresh`,
      path,
    );
  }
}

// Opening the ledger file without ever harming it. A broken ledger must be reported, never "fixed": SQLite would
// happily write a journal, a WAL or a new header next to or into a file it does not understand, so the 100-byte
// header is checked with plain fs calls before SQLite touches the file. That check is cheap enough for every CLI
// start; a full `PRAGMA quick_check` is not (it reads every page), so deeper damage is caught when SQLite hits it
// and turned into the same ConfigError by `asLedgerError`.
import { closeSync, existsSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname } from 'node:path';
import type Database from 'better-sqlite3';
import { ConfigError } from '../core/errors.ts';
import { groupThousands } from '../lib/numbers.ts';
import { ensurePrivateDir, moveAside } from './files.ts';
import { fsFailure } from './fs-failure.ts';
import { migrate, missingTables, SCHEMA_VERSION, userVersion } from './ledger-schema.ts';
import { NewerSchemaError } from './migrations.ts';

/**
 * The native driver, loaded the first time a ledger is opened rather than at start-up: commands that never touch
 * the ledger (`--version`, `providers list`) should not pay for loading an addon. The build bundles the driver's
 * JavaScript (the literal `require` below is what esbuild follows; ~5 ms saved over a dozen CommonJS files) and
 * hands it the addon by path where `npm ci` compiles it. Unbundled (tests under tsx), or with the addon elsewhere
 * (a prebuilt binary), the installed package loads as usual.
 */
let driver: { Database: typeof Database; nativeBinding?: string } | undefined;
function loadDriver() {
  if (driver) return driver;
  const nodeRequire = createRequire(import.meta.url);
  try {
    const nativeBinding = nodeRequire.resolve('better-sqlite3/build/Release/better_sqlite3.node');
    const bundled = typeof require === 'function' ? (require('better-sqlite3') as typeof Database) : undefined;
    driver = { Database: bundled ?? (nodeRequire('better-sqlite3') as typeof Database), nativeBinding };
  } catch {
    driver = { Database: nodeRequire('better-sqlite3') as typeof Database };
  }
  return driver;
}

const MAGIC = 'SQLite format 3\0';
const HEADER_BYTES = 100;
const BUSY_TIMEOUT_MS = 10_000;
/** The files SQLite keeps beside a database; they belong to it and move with it. */
const SIDECARS = ['-wal', '-shm', '-journal'];

function repairHint(path: string): string {
  return (
    `run \`llm-gateway doctor --repair\`: it moves the broken file aside to ${basename(path)}.corrupt-<timestamp> ` +
    `(nothing is deleted) and starts a fresh ledger`
  );
}

function broken(path: string, what: string, hint = repairHint(path)): ConfigError {
  return new ConfigError(`quota ledger ${path} ${what}`, hint, path);
}

/**
 * Damage found while reading the conversation history: said as a conversation problem (the quota counts may be
 * fine), with what still works meanwhile.
 */
export function asConversationError(err: unknown, path: string): unknown {
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('SQLITE_CORRUPT')) {
    return new ConfigError(
      `the conversation history in ${path} is corrupt (${(err as Error).message})`,
      `\`chat --no-log\` works meanwhile; ${repairHint(path)} (its quota counts go with it)`,
      path,
    );
  }
  return asLedgerError(err, path);
}

/** SQLite's own complaints about the file, as a ConfigError; anything else is returned unchanged. */
export function asLedgerError(err: unknown, path: string): unknown {
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string') return err;
  if (code === 'SQLITE_NOTADB') return broken(path, 'is not a SQLite database');
  if (code.startsWith('SQLITE_CORRUPT')) return broken(path, `is corrupt (${(err as Error).message})`);
  if (code === 'SQLITE_FULL') {
    // "database or disk is full": the disk (or a quota) has no room for the next page. Nothing half-written stays:
    // the transaction that needed the room is rolled back.
    return new ConfigError(
      `cannot write the quota ledger ${path}: no space left on the device (${(err as Error).message})`,
      `free some space on the disk holding ${dirname(path)} and run the command again`,
      path,
      'disk_full',
    );
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    // Another process (sqlite3's BEGIN EXCLUSIVE, a backup tool) held the file past our busy timeout: nothing is
    // wrong with it, and nothing was written.
    return new ConfigError(
      `the quota ledger ${path} is locked by another process; try again`,
      'another program (sqlite3, a backup tool) is holding it: run the command again once it lets go (nothing was sent or written)',
      path,
      'locked',
    );
  }
  if (code.startsWith('SQLITE_IOERR')) {
    return new ConfigError(
      `cannot read or write the quota ledger ${path}: input/output error (${code})`,
      'the disk reported an error: check it (dmesg) and that it is not full or read-only',
      path,
    );
  }
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_READONLY') || code === 'SQLITE_PERM') {
    return new ConfigError(
      `quota ledger ${path} cannot be opened for writing: read-only file system or permission denied (${code})`,
      'check that the file and its directory belong to you (modes 0600 and 0700) and the disk is not read-only',
      path,
    );
  }
  return err;
}

/** A WAL or rollback journal beside the file may hold pages not yet copied into it. */
function journalPending(path: string): boolean {
  try {
    if (statSync(`${path}-wal`).size > 0) return true;
  } catch {
    // no WAL
  }
  return existsSync(`${path}-journal`);
}

/**
 * Throws a ConfigError when the file cannot be a ledger we may open; returns false when it does not exist.
 * Reads at most 100 bytes and writes nothing.
 */
function inspect(path: string): boolean {
  // Looked at before the header as well as after: a checkpoint writes page 1 before it grows the file, and the WAL
  // lives until the checkpoint is done, so seeing no WAL on either side means no checkpoint ran in between.
  const pendingBefore = journalPending(path);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return false;
    throw new ConfigError(
      `quota ledger ${path} cannot be read (${code ?? (err as Error).message})`,
      'check that the file and its directory belong to you (modes 0600 and 0700)',
      path,
    );
  }
  const header = Buffer.alloc(HEADER_BYTES);
  let size: number;
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw broken(path, 'is not a regular file', 'move it out of the way');
    size = stat.size;
    readSync(fd, header, 0, HEADER_BYTES, 0);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw broken(path, `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  } finally {
    closeSync(fd);
  }
  // An empty file is one we (or a racing process) created a moment ago and SQLite has not written yet.
  if (size === 0) return true;
  if (size < HEADER_BYTES || header.toString('latin1', 0, 16) !== MAGIC) {
    throw broken(path, 'is not a SQLite database (its first bytes are not a SQLite header)');
  }
  const rawPageSize = header.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  const formatOk = [1, 2].includes(header[18]!) && [1, 2].includes(header[19]!);
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0 || !formatOk) {
    throw broken(path, 'has a damaged SQLite header');
  }
  const version = header.readInt32BE(60);
  if (version > SCHEMA_VERSION) throw newerSchema(path, version);
  // The header's page count is trustworthy only when its two change counters agree. With a journal pending the
  // file may legitimately be shorter, and the size check is left to SQLite.
  const pages = header.readUInt32BE(28);
  const countValid = pages > 0 && header.readUInt32BE(24) === header.readUInt32BE(92);
  const short = size < pageSize || (countValid && size < pages * pageSize);
  if (short && !pendingBefore && !journalPending(path)) {
    throw broken(path, `is truncated (${size} bytes; its header says ${countValid ? pages * pageSize : pageSize})`);
  }
  return true;
}

function newerSchema(path: string, version: number): ConfigError {
  return new ConfigError(
    `quota ledger ${path} was written by a newer llm-gateway (${new NewerSchemaError(version, SCHEMA_VERSION).message})`,
    `upgrade llm-gateway; or, to give up its history, ${repairHint(path)}`,
    path,
  );
}

/**
 * For `doctor`: a ledger file with no tables although a WAL lies beside it. SQLite replays a WAL into the file it
 * belongs to, so tables missing after that mean the WAL is some other copy's — what happens when a ledger.db
 * backed up alone (its recent pages were in the WAL) is copied back over a newer one. The next command would start
 * an empty schema over it, so doctor says so first. Opens read-only and writes nothing.
 */
export function tablelessBesideWal(path: string): ConfigError | undefined {
  let walBytes: number;
  try {
    walBytes = statSync(`${path}-wal`).size;
  } catch {
    return undefined;
  }
  if (walBytes === 0 || !existsSync(path)) return undefined;
  let tables: number;
  let db: Database.Database | undefined;
  try {
    const { Database: Driver, nativeBinding } = loadDriver();
    db = new Driver(path, { readonly: true, fileMustExist: true, nativeBinding });
    tables = db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table'").pluck().get() as number;
  } catch {
    return undefined; // not readable as a database at all: openDatabase says why
  } finally {
    db?.close();
  }
  if (tables > 0) return undefined;
  return broken(
    path,
    `has no tables, yet a WAL file (${groupThousands(walBytes)} bytes) is beside it: the WAL is not this file's ` +
      '(a ledger.db copied back without its -wal?), and what it held is not in the ledger',
  );
}

/** Validates, creates if needed, applies PRAGMAs and migrations. The caller owns the returned handle. */
export function openDatabase(path: string, busyTimeoutMs = BUSY_TIMEOUT_MS): Database.Database {
  if (!inspect(path)) {
    ensurePrivateDir(dirname(path));
    // Created empty with the right mode before SQLite sees it: SQLite gives its -wal and -shm the same mode.
    // 'wx' fails if a racing process created it first, which is fine: its file is as good as ours.
    try {
      closeSync(openSync(path, 'wx', 0o600));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw asCreateError(err, path);
    }
  }
  let db: Database.Database | undefined;
  try {
    const { Database: Driver, nativeBinding } = loadDriver();
    db = new Driver(path, { fileMustExist: true, timeout: busyTimeoutMs, nativeBinding });
    validate(db, path);
    enableWal(db);
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db);
    return db;
  } catch (err) {
    db?.close();
    // A newer release migrating the file between our check and our migration: refused all the same.
    throw err instanceof NewerSchemaError ? newerSchema(path, err.version) : asLedgerError(err, path);
  }
}

/**
 * Reads only, so a file that is not ours is refused before journal_mode or a migration writes to it. One read
 * transaction: a process migrating a new ledger beside us must not be seen half done (its tables without its
 * version), which would look like some other program's database.
 */
function validate(db: Database.Database, path: string): void {
  db.transaction(() => {
    const version = userVersion(db);
    if (version > SCHEMA_VERSION) throw newerSchema(path, version);
    const names = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[];
    const tables = new Set(names.filter((name) => !name.startsWith('sqlite_')));
    if (version === 0 && tables.size > 0) {
      throw broken(path, 'is a SQLite database of some other program (it has tables but no ledger schema)');
    }
    const missing = missingTables(version, tables);
    if (missing.length > 0) throw broken(path, `lacks the table(s) ${missing.join(', ')} its schema version needs`);
  })();
}

/**
 * WAL is a property of the file, set once in its life; later opens only read it. Setting it takes a shared lock and
 * then upgrades, and SQLite answers SQLITE_BUSY at once, without waiting, when another process holds the lock we
 * upgrade past (waiting could deadlock). That happens when processes create a new ledger together, so we retry.
 */
function enableWal(db: Database.Database): void {
  if (db.pragma('journal_mode', { simple: true }) === 'wal') return;
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw err;
      Atomics.wait(SLEEPER, 0, 0, 5 + Math.random() * 20); // a blocking sleep: openLedger is synchronous
    }
  }
}
const SLEEPER = new Int32Array(new SharedArrayBuffer(4));

function asCreateError(err: unknown, path: string): unknown {
  return fsFailure(err, path, 'create the quota ledger');
}

/**
 * Moves a broken ledger and its -wal/-shm/-journal aside to `<name>.corrupt-<timestamp>` (keeping the suffixes, so
 * the set still opens together) and returns the new path of the database file. Never deletes or overwrites: if the
 * name is taken, a counter is added.
 */
export function quarantineLedger(path: string, now: number): string {
  if (!existsSync(path)) {
    throw new ConfigError(`quota ledger ${path} does not exist; nothing to move aside`, undefined, path);
  }
  // The sidecars must go too: a stale WAL left beside a fresh database would be replayed into it.
  return moveAside(path, now, SIDECARS);
}

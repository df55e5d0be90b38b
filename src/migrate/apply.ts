// Writing a validated plan: first a copy of settings, keys and ledger.db aside (so the user can go back), then the
// usage rows in one transaction — into the quota ledger the commands use: ledger.db, or the shared database when a
// URL is set (no copy is taken there; the rows carry `migrated:` request ids, so a second run replaces them, never
// adds) — then keys, then settings. Each file is replaced atomically; if one write still
// fails (a full disk), the error says which were written and where the copies are.
import { chmodSync, constants, copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../core/errors.ts';
import { editConfig } from '../store/config-edit.ts';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, ensurePrivateDir } from '../store/files.ts';
import { fsFailure } from '../store/fs-failure.ts';
import type { Ledger } from '../store/ledger.ts';
import type { QuotaBackend } from '../store/quota-backend.ts';
import type { StorePaths } from '../store/paths.ts';
import type { StoredKeys } from '../store/keys.ts';
import type { Settings } from '../store/settings.ts';
import type { MigrationPlan } from './plan.ts';

export interface ApplyOptions {
  paths: StorePaths;
  /** Opens (creating if needed) the ledger file, to copy it aside. */
  ledger(): Ledger;
  /** The quota ledger the usage goes to: ledger.db's, or the shared database's. */
  quota(): Promise<QuotaBackend>;
  now: number;
}

/**
 * Copies whichever of settings, keys and ledger exist into a new private directory; undefined when none do. A copy
 * the disk refuses (full, read-only) is a ConfigError naming the directory, and the partial copy is removed: a
 * backup that is not whole must not pass for one.
 */
export function backUp({ paths, ledger, now }: ApplyOptions): string | undefined {
  const present = [paths.settings, paths.keys, paths.ledger].filter((p) => existsSync(p));
  if (present.length === 0) return undefined;
  ensurePrivateDir(paths.dir);
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
  let dir = join(paths.dir, `before-migrate-${stamp}`);
  for (let n = 1; existsSync(dir); n++) dir = join(paths.dir, `before-migrate-${stamp}.${n}`);
  try {
    mkdirSync(dir, { mode: PRIVATE_DIR_MODE });
  } catch (err) {
    throw fsFailure(err, dir, 'create the backup directory');
  }
  try {
    copyInto(dir, paths, ledger);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw fsFailure(err, dir, 'copy settings, keys and ledger into');
  }
  return dir;
}

function copyInto(dir: string, paths: StorePaths, ledger: () => Ledger): void {
  for (const file of [paths.settings, paths.keys]) {
    if (!existsSync(file)) continue;
    const copy = join(dir, file.slice(paths.dir.length + 1));
    copyFileSync(file, copy, constants.COPYFILE_EXCL);
    chmodSync(copy, PRIVATE_FILE_MODE); // a copy of keys.json is as secret as keys.json
  }
  // SQLite's own copy: consistent even with the WAL beside it and other processes writing.
  if (existsSync(paths.ledger)) {
    const copy = join(dir, 'ledger.db');
    ledger().copyTo(copy);
    chmodSync(copy, PRIVATE_FILE_MODE);
  }
}

/** The settings and keys a plan was made from. */
export interface PlannedFrom {
  settings: Settings;
  keys: StoredKeys;
}

/**
 * Writes the plan. `plannedFrom` is what the plan was computed against: if another process changed settings or
 * keys since (a `providers add` in another terminal), the plan would silently undo that change, so nothing is
 * written to them and the user is asked to run migrate again (it then plans against the new files).
 */
export async function writePlan(
  plan: MigrationPlan,
  { paths, quota }: ApplyOptions,
  backup: string | undefined,
  plannedFrom: PlannedFrom,
): Promise<void> {
  const written: string[] = [];
  try {
    if (plan.usage.length > 0) {
      const ledger = await quota();
      await ledger.importUsage(
        plan.usage.map((u) => ({
          requestId: u.requestId,
          provider: u.provider,
          model: u.model,
          tierKey: u.tierKey,
          billing: 'free-tier' as const,
          inputTokens: u.tokens,
          outputTokens: 0,
          estimated: false,
          outcome: 'ok' as const,
          at: u.at,
        })),
      );
      written.push(ledger.location);
    }
    // Through the one writer of both files: under the config lock, keys then settings, the old keys put back if
    // the settings cannot be written.
    if (plan.keysChanged || plan.settingsChanged) {
      editConfig(paths, (draft) => {
        if (!sameData(draft.settings, plannedFrom.settings) || !sameData(draft.keys, plannedFrom.keys)) {
          throw new ConfigError(
            'settings or keys were changed by another llm-gateway process while the migration was being planned',
            'run `llm-gateway migrate` again: it plans against the files as they are now',
            paths.settings,
          );
        }
        if (plan.keysChanged) draft.keys = plan.keys;
        if (plan.settingsChanged) draft.settings = plan.settings;
      });
      if (plan.keysChanged) written.push(paths.keys);
      if (plan.settingsChanged) written.push(paths.settings);
    }
  } catch (err) {
    const done = written.length ? `already written: ${written.join(', ')}` : 'nothing was written';
    const undo = backup ? `; the copies from before are in ${backup}` : '';
    const what = err instanceof Error ? err.message : String(err);
    throw new ConfigError(
      `the migration stopped part way (${done}): ${what}`,
      `fix the cause and run \`llm-gateway migrate\` again (it only adds what is missing)${undo}`,
      err instanceof ConfigError ? err.path : undefined,
    );
  }
}

/** Two parsed settings or key objects hold the same data (both come from the same parser, so key order matches). */
function sameData(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

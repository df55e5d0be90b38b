// The shape of settings.json changes between releases; a file written by an older release must still load, and one
// written by a newer release must not be half understood. So the file carries `schemaVersion`, and a change of
// shape is a named migration appended here (never edited: files in the field went through the old ones), the way
// the ledger's schema moves (ledger-schema.ts). A file without the field predates versioning: it is version 1.
//
// Reading migrates in memory only — a read never writes. The next edit (config-edit.ts) saves the file in the
// current shape, under the lock.
import { ConfigError } from '../core/errors.ts';

export interface SettingsMigration {
  name: string;
  /** Takes a file of version N (its index + 1) to N + 1. Gets and returns plain parsed JSON. */
  up(raw: Record<string, unknown>): Record<string, unknown>;
}

/** Migration i takes version i + 1 to i + 2. Empty today: version 1 is the shape every release so far wrote. */
export const SETTINGS_MIGRATIONS: readonly SettingsMigration[] = [];

export const SETTINGS_SCHEMA_VERSION = 1 + SETTINGS_MIGRATIONS.length;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The parsed file brought to the current version (a new object; `raw` is not touched). Anything that is not an
 * object is returned as it is, for validation to name. A version this release does not know is a ConfigError.
 */
export function upgradeSettings(
  raw: unknown,
  path: string,
  migrations: readonly SettingsMigration[] = SETTINGS_MIGRATIONS,
): unknown {
  if (!isObject(raw)) return raw;
  const latest = 1 + migrations.length;
  const version = raw.schemaVersion ?? 1;
  if (!Number.isInteger(version) || (version as number) < 1) {
    throw new ConfigError(
      `settings file ${path} is invalid: schemaVersion must be a whole number from 1 (got ${JSON.stringify(version)})`,
      `set it to ${latest}, or remove the field`,
      path,
    );
  }
  if ((version as number) > latest) {
    throw new ConfigError(
      `settings file ${path} was written by a newer llm-gateway (schema ${version}; this version knows up to ${latest})`,
      'upgrade llm-gateway; the file is left as it is',
      path,
    );
  }
  let current: Record<string, unknown> = structuredClone(raw);
  for (const migration of migrations.slice((version as number) - 1)) current = migration.up(current);
  return { ...current, schemaVersion: latest };
}

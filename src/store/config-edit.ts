// The one place that changes settings.json and keys.json. Every edit — `providers add/remove`, `quota set`,
// `migrate` — is a function of the files as they are on disk at that moment, run under the config lock:
//
//   editConfig(paths, (draft) => {
//     draft.settings.providers = { ...draft.settings.providers, zhipu: { baseUrl } };
//     draft.keys.zhipu = key;
//   });
//
// Inside the lock both files are read afresh (never a copy cached before the lock: that is how concurrent adds
// lost each other's providers), the edit mutates or replaces the draft, the result is validated, and only what
// changed is written: keys first, then settings. If writing settings fails, the old keys file is put back, so the
// two change together or not at all. Throwing from the edit writes nothing. Returns what the edit returns.
import { ConfigError } from '../core/errors.ts';
import { withConfigLock, type LockOptions } from './config-lock.ts';
import { readTrustedText } from './config-trust.ts';
import { removeFile, writePrivateFileAtomic } from './files.ts';
import { keysText, parseKeys, type StoredKeys } from './keys.ts';
import type { StorePaths } from './paths.ts';
import { parseSettings, settingsText, validateSettings, type Settings } from './settings.ts';

export interface ConfigDraft {
  /** The settings as on disk, in the current schema; mutate or replace. */
  settings: Settings;
  /** Stored keys by provider id; mutate or replace. */
  keys: StoredKeys;
}

export type ConfigPaths = Pick<StorePaths, 'dir' | 'settings' | 'keys'>;

export function editConfig<T>(paths: ConfigPaths, edit: (draft: ConfigDraft) => T, lock?: LockOptions): T {
  return withConfigLock(
    paths.dir,
    () => {
      // Read only from a private directory (config-trust.ts): keys are never stored beside files others can replace.
      const oldSettingsText = readTrustedText(paths.settings);
      const oldKeysText = readTrustedText(paths.keys);
      // Both parsed before anything is written: a broken file stops the edit with nothing changed.
      const draft: ConfigDraft = {
        settings: parseSettings(oldSettingsText, paths.settings),
        keys: { ...parseKeys(oldKeysText, paths.keys) },
      };
      const result = edit(draft);
      const newSettingsText = settingsText(checked(draft.settings, paths.settings));
      const newKeysText = keysText(draft.keys);
      const keysChanged = newKeysText !== (oldKeysText ?? keysText({}));
      if (keysChanged) writePrivateFileAtomic(paths.keys, newKeysText);
      if (newSettingsText !== (oldSettingsText ?? settingsText({}))) {
        try {
          writePrivateFileAtomic(paths.settings, newSettingsText);
        } catch (err) {
          if (keysChanged) restore(paths.keys, oldKeysText);
          throw err;
        }
      }
      return result;
    },
    lock,
  );
}

/** What an edit produced goes through the same validation a read does; a slip in our own code must not be saved. */
function checked(settings: Settings, path: string): Settings {
  try {
    return validateSettings(JSON.parse(JSON.stringify(settings)), path);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    throw new Error(`refusing to save settings that would not load: ${err.message}`);
  }
}

function restore(path: string, text: string | undefined): void {
  if (text === undefined) removeFile(path);
  else writePrivateFileAtomic(path, text);
}

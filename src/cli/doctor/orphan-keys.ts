// doctor's check for keys without a provider: a kill between the keys.json and settings.json renames of
// `providers add` (or a hand edit) leaves a key no provider uses. --repair takes them out of keys.json, keeping
// the file as it was in a private copy beside it, so nothing secret is lost.
import { ConfigError } from '../../core/errors.ts';
import { editConfig } from '../../store/config-edit.ts';
import { copyFileSync, chmodSync, constants } from 'node:fs';
import { quarantineName } from '../../store/files.ts';
import { loadKeys, type StoredKeys } from '../../store/keys.ts';
import type { StorePaths } from '../../store/paths.ts';
import { visibleLine } from '../../lib/visible-text.ts';
import type { Catalog } from '../../core/types.ts';
import type { Check } from './check.ts';

const orphansOf = (keys: StoredKeys, catalog: Catalog) => Object.keys(keys).filter((id) => !catalog.providers.has(id));

/** Keys in keys.json whose provider the catalog does not know, if any; undefined when every key has one. */
export function orphanKeysCheck(paths: StorePaths, catalogOf: () => Catalog, now: number): Check | undefined {
  let keys: StoredKeys;
  let catalog: Catalog;
  try {
    keys = loadKeys(paths.keys);
    catalog = catalogOf();
  } catch (err) {
    if (err instanceof ConfigError) return undefined; // a broken file: the parse check reports it
    throw err;
  }
  const found = orphansOf(keys, catalog);
  if (found.length === 0) return undefined;
  const named = found.map(visibleLine).join(', ');
  return {
    path: paths.keys,
    problem: `holds keys for providers that are not configured: ${named}`,
    repair: () => {
      const kept = quarantineName(paths.keys, now);
      editConfig(paths, (draft) => {
        // The whole file as it was, private, before anything leaves it: keys are never lost.
        copyFileSync(paths.keys, kept, constants.COPYFILE_EXCL);
        chmodSync(kept, 0o600);
        for (const id of orphansOf(draft.keys, catalog)) delete draft.keys[id];
      });
      return `removed the keys of ${named}, kept in ${kept} (\`providers add\` takes one back)`;
    },
  };
}

// doctor's check of what settings.json names: a default model, an alias target or a scenario entry that no provider
// serves (left by an older `providers remove`, or edited by hand). `chat` fails on such a default model with exit 3,
// so doctor must see it too; --repair removes exactly those references, under the config lock, and says which.
import { editConfig } from '../../store/config-edit.ts';
import type { StorePaths } from '../../store/paths.ts';
import {
  danglingReferences,
  describeReference,
  describeRemoval,
  withoutReferences,
} from '../../runtime/settings-references.ts';
import { settingsIfParsed, type Check } from './check.ts';

/** The problem with settings.json's references, if any; undefined when they all resolve or the file is broken. */
export function danglingReferencesCheck(paths: StorePaths): Check | undefined {
  const settings = settingsIfParsed(paths);
  const found = settings ? danglingReferences(settings) : [];
  if (found.length === 0) return undefined;
  return {
    path: paths.settings,
    problem: `names models no provider serves: ${found.map(describeReference).join(', ')}`,
    repair: () => {
      // Found again inside the lock: the file may have changed since it was read above.
      const removed = editConfig(paths, (draft) => {
        const now = danglingReferences(draft.settings);
        const said = describeRemoval(draft.settings, now);
        draft.settings = withoutReferences(draft.settings, now);
        return said;
      });
      return removed.length ? `removed ${removed.join(', ')}` : 'nothing left to remove';
    },
  };
}

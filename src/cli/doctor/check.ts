// One finding of `doctor`, shared by its checks (privacy, parsing, …) so each can live in its own file.
import { ConfigError } from '../../core/errors.ts';
import type { StorePaths } from '../../store/paths.ts';
import { loadSettings, type Settings } from '../../store/settings.ts';

export interface Check {
  path: string;
  /** What is wrong; absent when the path is fine. */
  problem?: string;
  /** What --repair does about it, returning what it did. */
  repair?: () => string;
  /** Why --repair cannot fix it and what the user can do, for a problem without `repair`. */
  cannotRepair?: string;
}

/**
 * settings.json as a check of its contents reads it, or undefined when it is broken: the parse check reports that,
 * and a second finding about the same broken file would only repeat it.
 */
export function settingsIfParsed(paths: StorePaths): Settings | undefined {
  try {
    return loadSettings(paths.settings);
  } catch (err) {
    if (err instanceof ConfigError) return undefined;
    throw err;
  }
}

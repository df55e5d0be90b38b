// doctor's check that every provider settings.json adds has a base URL (runtime/providers-without-url.ts says why).
// Not repairable: only the user knows the URL, so the fix is the command that sets it.
import { ConfigError } from '../core/errors.ts';
import type { StorePaths } from '../store/paths.ts';
import { loadSettings } from '../store/settings.ts';
import { providersWithoutBaseUrl } from '../runtime/providers-without-url.ts';
import type { Check } from './commands/doctor-check.ts';

export function providerUrlsCheck(paths: StorePaths): Check | undefined {
  let missing: string[];
  try {
    missing = providersWithoutBaseUrl(loadSettings(paths.settings));
  } catch (err) {
    if (err instanceof ConfigError) return undefined; // a broken file is the parse check's to report
    throw err;
  }
  if (missing.length === 0) return undefined;
  return {
    path: paths.settings,
    problem: missing.map((id) => `provider ${id} has no base URL`).join(', '),
    cannotRepair: `set it: ${missing.map((id) => `llm-gateway providers add ${id} --replace --base-url URL`).join('; ')}`,
  };
}

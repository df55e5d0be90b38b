// doctor's check that every provider settings.json adds has a base URL (providers-without-url.ts says why).
// Not repairable: only the user knows the URL, so the fix is the command that sets it.
import type { StorePaths } from '../../store/paths.ts';
import { providersWithoutBaseUrl } from './providers-without-url.ts';
import { settingsIfParsed, type Check } from './check.ts';

export function providerUrlsCheck(paths: StorePaths): Check | undefined {
  const settings = settingsIfParsed(paths);
  const missing = settings ? providersWithoutBaseUrl(settings) : [];
  if (missing.length === 0) return undefined;
  return {
    path: paths.settings,
    problem: missing.map((id) => `provider ${id} has no base URL`).join(', '),
    cannotRepair: `set it: ${missing.map((id) => `llm-gateway providers add ${id} --replace --base-url URL`).join('; ')}`,
  };
}

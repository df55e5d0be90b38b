// doctor's check for keys that are there but cannot be sent: a variable holding a space (`GROQ_API_KEY="gsk_… x"`)
// or a stored key with a line break. `providers list` and `chat --explain` name them, and every call passes the
// provider over; doctor said "ok" all the same. It now reports each, the way `providers list` does. Nothing here is
// for --repair: the environment is not ours to change, and a stored key is replaced with `providers add`.
import { ConfigError } from '../../core/errors.ts';
import { describeKeyProblem } from '../../core/router-detail.ts';
import type { Catalog } from '../../core/types.ts';
import { isInvalidKey, loadKeys, resolveKey, type StoredKeys } from '../../store/keys.ts';
import type { StorePaths } from '../../store/paths.ts';
import type { Check } from './check.ts';

export function unusableKeysChecks(paths: StorePaths, catalogOf: () => Catalog, env: NodeJS.ProcessEnv): Check[] {
  let keys: StoredKeys;
  let catalog: Catalog;
  try {
    keys = loadKeys(paths.keys);
    catalog = catalogOf();
  } catch (err) {
    if (err instanceof ConfigError) return []; // a broken file: the parse check reports it
    throw err;
  }
  const checks: Check[] = [];
  for (const provider of catalog.providers.values()) {
    const key = resolveKey(provider, env, keys);
    if (!isInvalidKey(key)) continue;
    const { variable } = key.invalid;
    checks.push({
      path: variable ? `environment variable ${variable}` : paths.keys,
      problem: `${provider.id}'s key is unusable: ${describeKeyProblem(key.invalid)}, so every call passes ${provider.id} over`,
      cannotRepair: variable
        ? `doctor does not change your environment: set ${variable} to the key alone (no spaces or line breaks), or unset it`
        : `store the key again: llm-gateway providers add ${provider.id} --api-key-stdin < key.txt`,
    });
  }
  return checks;
}

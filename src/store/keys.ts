// Provider keys: kept in keys.json (0600), apart from settings so that settings can be shared or shown freely.
// A key is resolved in one place, with one precedence: a key given for this run, then the environment (so a script
// can override without touching the store), then the stored key. Keys are only ever displayed masked.
import { AuthError, ConfigError } from '../core/errors.ts';
import type { ProviderSpec } from '../core/types.ts';
import { parseJsonFile, readTextIfExists, writePrivateFileAtomic } from './files.ts';

export type StoredKeys = Record<string, string>;

export interface ResolvedKey {
  key: string;
  /** Where it came from, safe to print: `this run`, `env GROQ_API_KEY`, `stored`. */
  source: string;
  /** Anthropic's `*_AUTH_TOKEN` variables hold bearer tokens; every other key is an API key. */
  authStyle: 'api-key' | 'bearer';
}

export function loadKeys(path: string): StoredKeys {
  const text = readTextIfExists(path);
  if (text === undefined) return {};
  const raw = parseJsonFile(path, text, 'key file', true);
  const keys = (raw as { keys?: unknown } | null)?.keys;
  if (typeof keys !== 'object' || keys === null || Array.isArray(keys) || Object.values(keys).some((k) => typeof k !== 'string')) {
    throw new ConfigError(
      `key file ${path} is invalid: expected {"keys": {"<provider>": "<key>"}}`,
      `fix it by hand, or run \`llm-gateway doctor --repair\`, which keeps it as ${path}.corrupt-<time>; then add the keys again with \`llm-gateway providers add\``,
      path,
    );
  }
  return keys as StoredKeys;
}

export function saveKeys(path: string, keys: StoredKeys): void {
  writePrivateFileAtomic(path, `${JSON.stringify({ keys }, null, 2)}\n`);
}

/** One line of printable ASCII: anything else cannot travel in an HTTP header, and is a paste gone wrong. */
export function isKeyShaped(value: string): boolean {
  return /^[\x21-\x7e]+$/.test(value);
}

export function resolveKey(
  provider: ProviderSpec,
  env: NodeJS.ProcessEnv,
  stored: StoredKeys,
  runKeys: ReadonlyMap<string, string> = new Map(),
): ResolvedKey | undefined {
  const run = runKeys.get(provider.id);
  if (run) return { key: run, source: 'this run', authStyle: 'api-key' };
  for (const name of provider.keyEnv) {
    const value = env[name]?.trim();
    if (!value) continue;
    if (!isKeyShaped(value)) {
      throw new AuthError(`${name} does not hold a key: it has a space, a line break or a character keys never have`, `set it again, e.g. export ${name}="$(cat key.txt)"`);
    }
    return { key: value, source: `env ${name}`, authStyle: name.endsWith('_AUTH_TOKEN') ? 'bearer' : 'api-key' };
  }
  const saved = stored[provider.id];
  if (saved) return { key: saved, source: 'stored', authStyle: 'api-key' };
  return undefined;
}

/** At most the last four characters, and none of a short key: `••••abcd`. */
export function maskKey(key: string): string {
  return key.length >= 12 ? `••••${key.slice(-4)}` : '••••';
}

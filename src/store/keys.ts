// Provider keys: kept in keys.json (0600), apart from settings so that settings can be shared or shown freely.
// A key is resolved in one place, with one precedence: a key given for this run, then the environment (so a script
// can override without touching the store), then the stored key. Keys are only ever displayed masked.
import { ConfigError } from '../core/errors.ts';
import { keyProblem } from '../core/key-shape.ts';
import type { Auth, KeyProblem, ProviderSpec } from '../core/types.ts';
import { readTrustedText } from './config-trust.ts';
import { parseJsonFile } from './files.ts';

/**
 * One stored key. keys.json writes a plain string for a key added by hand (the only form older files have) and an
 * object when there is more to say: where the key came from (`migrated from /path/.env`, shown in `providers list`
 * until the key is replaced) and whether it is a bearer token (Anthropic's `*_AUTH_TOKEN`).
 */
export interface StoredKey {
  key: string;
  source?: string;
  authStyle?: 'bearer';
  /** The organisation the user said the key belongs to (`--org NAME`): its keys share one window. */
  org?: string;
  /**
   * A key pool's further keys (`providers add --pool`), each with its own windows. keys.json writes a pool as a
   * list, first key first; a file with one key per provider reads and writes exactly as before.
   */
  pool?: StoredKey[];
}

export type StoredKeys = Record<string, StoredKey>;

export interface ResolvedKey {
  key: string;
  /** Where it came from, safe to print: `this run`, `env GROQ_API_KEY`, `stored`. */
  source: string;
  /** For a stored key brought in from elsewhere: `migrated from /path/.env`. */
  origin?: string;
  /**
   * Set when where the key came from decides how it travels: Anthropic's `*_AUTH_TOKEN` variables (and keys stored
   * with `authStyle: "bearer"`) hold bearer tokens. Otherwise the provider's own way applies.
   */
  auth?: Auth;
}

/** The source of a provider that takes no key (`auth` none): usable, with nothing to send. */
export const NO_KEY_NEEDED = 'not needed';
const BEARER: Auth = { kind: 'bearer' };

export function loadKeys(path: string): StoredKeys {
  return parseKeys(readTrustedText(path), path);
}

/** The keys in `text` (the file's content, undefined when there is none). */
export function parseKeys(text: string | undefined, path: string): StoredKeys {
  if (text === undefined) return {};
  const raw = parseJsonFile(path, text, 'key file', true);
  const keys = (raw as { keys?: unknown } | null)?.keys;
  if (typeof keys !== 'object' || keys === null || Array.isArray(keys) || !Object.values(keys).every(isEntry)) {
    throw new ConfigError(
      `key file ${path} is invalid: expected {"keys": {"<provider>": "<key>"}}`,
      `fix it by hand, or run \`llm-gateway doctor --repair\`, which keeps it as ${path}.corrupt-<time>; then add the keys again with \`llm-gateway providers add\``,
      path,
    );
  }
  return Object.fromEntries(
    Object.entries(keys as Record<string, KeyEntry | KeyEntry[]>).map(([id, k]) => [id, storedKey(k)]),
  );
}

type KeyEntry = string | Omit<StoredKey, 'pool'>;

function storedKey(entry: KeyEntry | KeyEntry[]): StoredKey {
  if (!Array.isArray(entry)) return typeof entry === 'string' ? { key: entry } : entry;
  const [first, ...rest] = entry.map((k) => storedKey(k));
  return rest.length ? { ...first!, pool: rest } : first!;
}

/** One key, or a pool: a non-empty list of keys. */
function isEntry(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 && value.every(isStoredKey) : isStoredKey(value);
}

/** A key as a string (every keys.json so far), or {key, source?, authStyle?}. */
function isStoredKey(value: unknown): boolean {
  if (typeof value === 'string') return true;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { key, source, authStyle, org, ...rest } = value as Record<string, unknown>;
  return (
    typeof key === 'string' &&
    (source === undefined || typeof source === 'string') &&
    (org === undefined || (typeof org === 'string' && org.length > 0)) &&
    (authStyle === undefined || authStyle === 'bearer') &&
    Object.keys(rest).length === 0
  );
}

/** The file's text for `keys`. Written only by config-edit.ts. */
export function keysText(keys: StoredKeys): string {
  // A key with nothing more to say stays a plain string: the file reads as it always did.
  const entries = Object.entries(keys).map(([id, { pool, ...first }]) => [
    id,
    pool?.length ? [first, ...pool].map(keyEntry) : keyEntry(first),
  ]);
  return `${JSON.stringify({ keys: Object.fromEntries(entries) }, null, 2)}\n`;
}

function keyEntry(k: StoredKey): KeyEntry {
  const { pool: _pool, ...rest } = k;
  return rest.source || rest.authStyle || rest.org ? rest : rest.key;
}

/** Every stored key of `provider`, pool order: the first is the one a provider without a pool uses. */
export function poolKeys(stored: StoredKeys, provider: string): StoredKey[] {
  const first = Object.hasOwn(stored, provider) ? stored[provider] : undefined;
  if (!first) return [];
  const { pool, ...one } = first;
  return [one, ...(pool ?? [])];
}

/**
 * The key a provider would use is there but cannot be sent (a space in its variable, a line break in the key
 * file): the provider is passed over with this reason, and only it — one bad variable breaks no other provider.
 */
export interface InvalidKey {
  invalid: KeyProblem;
  /** Where it came from, as for ResolvedKey: `env OPENAI_API_KEY`, `stored`. */
  source: string;
}

/** The key `provider` uses now: usable, unusable with the reason, or none (undefined). */
export function resolveKey(
  provider: ProviderSpec,
  env: NodeJS.ProcessEnv,
  stored: StoredKeys,
  runKeys: ReadonlyMap<string, string> = new Map(),
): ResolvedKey | InvalidKey | undefined {
  if (provider.auth?.kind === 'none') return { key: '', source: NO_KEY_NEEDED, auth: provider.auth };
  const run = runKeys.get(provider.id);
  if (run) return { key: run, source: 'this run' }; // checked as it was read
  for (const name of provider.keyEnv) {
    const value = env[name]?.trim();
    if (!value) continue;
    // The variable the user set is what they mean to use: an unusable one is reported, not passed over for the
    // stored key.
    const problem = keyProblem(value);
    if (problem) return { invalid: { variable: name, problem }, source: `env ${name}` };
    return { key: value, source: `env ${name}`, ...(name.endsWith('_AUTH_TOKEN') ? { auth: BEARER } : {}) };
  }
  const saved = Object.hasOwn(stored, provider.id) ? stored[provider.id] : undefined;
  if (saved?.key) {
    const problem = keyProblem(saved.key.trim());
    if (problem) return { invalid: { problem }, source: 'stored' };
    return {
      key: saved.key,
      source: 'stored',
      ...(saved.authStyle === 'bearer' ? { auth: BEARER } : {}),
      ...(saved.source ? { origin: saved.source } : {}),
    };
  }
  return undefined;
}

export function isInvalidKey(key: ResolvedKey | InvalidKey | undefined): key is InvalidKey {
  return key !== undefined && 'invalid' in key;
}

/** At most the last four characters, and none of a short key: `••••abcd`. */
export function maskKey(key: string): string {
  return key.length >= 12 ? `••••${key.slice(-4)}` : '••••';
}

// `.env` into the key store: each key to the provider that reads its variable (a config.json provider's
// `apiKeyEnv` first, then the catalog's variables), `*_BASE_URL` values into base URLs. Template placeholders,
// empty values and anything that cannot be a key are skipped with the reason. A different key already stored is
// kept (a conflict) unless --force. Keys appear masked to their last four characters, nowhere else.
import { own } from '../lib/own.ts';
import type { ProviderSpec } from '../core/types.ts';
import { baseUrlEnvNames, baseUrlProblem } from '../store/endpoints.ts';
import { keyProblem } from '../core/key-shape.ts';
import { maskKey, type StoredKey } from '../store/keys.ts';
import type { OldConfig } from './config-file.ts';
import { sameBaseUrl, type Draft } from './draft.ts';
import type { EnvEntry } from './env-file.ts';
import { setBaseUrl } from './plan-catalog.ts';

export function planEnv(d: Draft, entries: EnvEntry[], config: OldConfig | undefined, file: string): void {
  const catalog = d.catalog();
  const readers = keyReaders([...catalog.providers.values()], config);
  const urlReaders = new Map<string, ProviderSpec>();
  for (const p of catalog.providers.values()) for (const name of baseUrlEnvNames(p)) urlReaders.set(name, p);

  const candidates = new Map<string, EnvEntry[]>();
  for (const e of entries) {
    const where = `line ${e.line}`;
    const urlOf = urlReaders.get(e.name);
    if (urlOf) {
      planBaseUrl(d, urlOf, e, file);
      continue;
    }
    const providers = readers.get(e.name);
    if (!providers) {
      const keyish = /(_API_KEY|_AUTH_TOKEN|_KEY|_TOKEN)$/.test(e.name);
      const why = keyish
        ? 'no provider reads this variable (add the provider, then migrate again)'
        : 'not a provider key or base URL';
      d.skip('variable', e.name, `${why} (${where})`, file);
      continue;
    }
    const problem = notAKey(e.value);
    if (problem) {
      d.skip('key', e.name, `${problem} (${where})`, file);
      continue;
    }
    for (const id of providers) candidates.set(id, [...(candidates.get(id) ?? []), e]);
  }

  for (const [id, found] of candidates) {
    // The provider's own order decides between two variables for it (ANTHROPIC_API_KEY before ANTHROPIC_AUTH_TOKEN).
    const order = [...(config ? apiKeyEnvOf(config, id) : []), ...catalog.providers.get(id)!.keyEnv];
    const rank = (e: EnvEntry) => (order.includes(e.name) ? order.indexOf(e.name) : order.length);
    const [chosen, ...others] = [...found].sort((a, b) => rank(a) - rank(b));
    for (const e of others)
      d.skip('key', e.name, `${chosen!.name} is imported for ${id} instead (line ${e.line})`, file);
    importKey(d, id, chosen!, file);
  }
}

/** Variable -> the providers that read it: those config.json names it for, else the catalog's. */
function keyReaders(providers: ProviderSpec[], config: OldConfig | undefined): Map<string, string[]> {
  const readers = new Map<string, string[]>();
  const known = new Set(providers.map((p) => p.id));
  for (const item of config?.providers ?? []) {
    if (!('value' in item) || !known.has(item.value.id)) continue;
    for (const name of item.value.apiKeyEnv)
      readers.set(name, [...new Set([...(readers.get(name) ?? []), item.value.id])]);
  }
  const named = new Set(readers.keys());
  for (const p of providers) {
    for (const name of p.keyEnv) if (!named.has(name)) readers.set(name, [...(readers.get(name) ?? []), p.id]);
  }
  return readers;
}

function apiKeyEnvOf(config: OldConfig, id: string): string[] {
  return config.providers.flatMap((item) => ('value' in item && item.value.id === id ? item.value.apiKeyEnv : []));
}

/** Why a value cannot be a key, or undefined when it can. Never says what the value is. */
export function notAKey(value: string): string | undefined {
  if (value === '') return 'empty';
  if (isPlaceholder(value)) return 'a template placeholder, not a key';
  const problem = keyProblem(value);
  return problem ? `not a key: it ${problem}` : undefined;
}

/**
 * `sk-your-aliyun-key-here`, `your-groq-key-here`, `your-moonshot-key`, `<your key>`, `xxx`, `changeme`.
 * A value that starts with `your-` (after an optional `sk-`/`gsk_`) is a template's, whatever its ending: a key
 * issued by a provider never starts so, and storing one only turns into a 401 later.
 */
export function isPlaceholder(value: string): boolean {
  return (
    (/(^|[-_])your[-_]/i.test(value) && /[-_]here$/i.test(value)) ||
    /^(sk-|gsk_)?your[-_]/i.test(value) ||
    /^<.*>$/.test(value) ||
    /^(sk-)?(x{3,}|\.{3,}|\*{4,}|changeme|change-me|placeholder|todo|none|null)$/i.test(value)
  );
}

function importKey(d: Draft, provider: string, e: EnvEntry, file: string): void {
  const entry: StoredKey = {
    key: e.value,
    source: `migrated from ${file}`,
    ...(e.name.endsWith('_AUTH_TOKEN') ? { authStyle: 'bearer' as const } : {}),
  };
  const what = `${maskKey(e.value)} from ${e.name} (line ${e.line})${entry.authStyle ? ', sent as a bearer token' : ''}`;
  const stored = own(d.keys, provider);
  if (stored?.key === e.value) {
    d.same('key', provider, `${maskKey(e.value)} already stored`, file);
    return;
  }
  if (stored && !d.conflict('key', provider, `stored ${maskKey(stored.key)}`, what, file)) return;
  d.keys[provider] = entry;
  d.add('key', provider, what, file);
}

function planBaseUrl(d: Draft, provider: ProviderSpec, e: EnvEntry, file: string): void {
  const where = `line ${e.line}`;
  if (e.value === '') return d.skip('base URL', e.name, `empty (${where})`, file);
  const problem = baseUrlProblem(e.value);
  if (problem) return d.skip('base URL', e.name, `${problem} (${where})`, file);
  if (sameBaseUrl(e.value, provider.baseUrl, provider.protocol)) {
    return d.same('base URL', provider.id, `${e.name} is the URL already used (${where})`, file);
  }
  setBaseUrl(d, provider, e.value, `${e.name}, ${where}`, file);
}

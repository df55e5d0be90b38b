// The runtime every front end shares (the CLI today, the HTTP server next): the config directory and the clock,
// settings, keys (stored, from the environment, and given for this run), the catalog they make, the quota ledger,
// and the gateway built on them. Files are loaded on first use, so `models --json` never opens the ledger.
// A process that lives long calls `refresh()` before each unit of work (a request, a chat turn): it sees what
// another process wrote since (`providers add`, a new key), and within the unit everything reads one state.
import builtInCatalog from '../catalog/builtin.json' with { type: 'json' };
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildCatalog, type CatalogData } from '../core/catalog.ts';
import { ConfigError } from '../core/errors.ts';
import type { Gateway } from '../core/gateway.ts';
import { tierWindows } from '../core/tier-report.ts';
import type { Catalog, KeyProblem, LedgerSnapshot, ProviderSpec, Timeouts } from '../core/types.ts';
import { keysReadableByOthers } from '../store/config-trust.ts';
import { isInvalidKey, loadKeys, resolveKey, type ResolvedKey, type StoredKeys } from '../store/keys.ts';
import { openLedger, type Ledger } from '../store/ledger.ts';
import { databaseUrlOf, databaseUrlProblem, databaseUrlSource, DATABASE_URL_ENV } from '../store/database-url.ts';
import { type QuotaBackend, sqliteQuota } from '../store/quota-backend.ts';
import type { ActivityLog } from '../store/request-log.ts';
import { configDir, storePaths, type StorePaths } from '../store/paths.ts';
import { loadSettings, settingsCatalogLayer, type Settings } from '../store/settings.ts';
import { clockFromEnv } from './clock.ts';
import { fileStamp } from './file-stamp.ts';
import type { GatewayOptions } from './gateway-factory.ts';
import { timeoutsFor } from './timeouts.ts';

export interface Runtime {
  readonly env: NodeJS.ProcessEnv;
  readonly paths: StorePaths;
  now(): number;
  settings(): Settings;
  catalog(): Catalog;
  /** The local ledger file: conversations, and the quota and request log when no shared database is configured. */
  ledger(): Ledger;
  /** The shared database's URL (LLM_GATEWAY_DATABASE_URL, else settings' `database.url`), or undefined. */
  databaseUrl(): string | undefined;
  /** The quota ledger: the one in ledger.db, or the shared database's; opened on first use. */
  quota(): Promise<QuotaBackend>;
  /** The request log (and its daily totals): in ledger.db, or the shared database's; opened with the quota. */
  activity(): Promise<ActivityLog>;
  /** Whether there is a ledger to read: the file exists, or it is open, or it is the shared database. */
  hasLedger(): boolean;
  /** Free-tier usage and cooldowns now; empty (and nothing created) when no ledger exists yet. */
  snapshot(): Promise<LedgerSnapshot>;
  storedKeys(): StoredKeys;
  /** Keys given for this run only (`--api-key-stdin` / `--api-key-file`), by provider id. */
  readonly runKeys: Map<string, string>;
  /** The usable key for `provider`, or undefined (none, or an unusable one: see `keyProblem`). */
  keyFor(provider: ProviderSpec): ResolvedKey | undefined;
  /** Why the key `provider` would use cannot be sent (its variable holds a space, …), or undefined. */
  keyProblem(provider: ProviderSpec): KeyProblem | undefined;
  /** Providers with a usable key. */
  keyedProviders(): Set<string>;
  timeouts(timeoutSeconds?: number): Timeouts;
  /** A gateway over the state loaded now (see `refresh`); its code is loaded on the first call. */
  gateway(options: GatewayOptions): Promise<Gateway>;
  /** Forget the loaded settings and keys: this process has just written them. */
  invalidate(): void;
  /**
   * Forget what changed on disk since it was read (one stat per loaded file); true when anything did. The ledger
   * needs no refresh: SQLite shows every process's writes.
   */
  refresh(): boolean;
  /** Closes the ledger, if it was opened. */
  close(): void;
}

export interface RuntimeOptions {
  env?: NodeJS.ProcessEnv;
  now?: () => number;
  /** Where a warning goes (a keys.json others can read); default: a `warning:` line on stderr. */
  warn?: (message: string) => void;
}

/** A loaded file and the stamp it had just before it was read. */
interface Loaded<T> {
  value: T;
  stamp: string;
}

export function createRuntime(options: RuntimeOptions = {}): Runtime {
  const env = options.env ?? process.env;
  const paths = storePaths(configDir(env));
  const now = options.now ?? clockFromEnv(env);
  const warn = options.warn ?? ((message: string) => process.stderr.write(`warning: ${message}\n`));
  let warnedKeysExposed = false;
  // Said once per process, however often the keys are read again: nobody else could have changed them, but anyone
  // may have read them.
  const readKeys = (path: string): StoredKeys => {
    const stored = loadKeys(path);
    const mode = warnedKeysExposed ? undefined : keysReadableByOthers(path);
    if (mode !== undefined) {
      warnedKeysExposed = true;
      warn(
        `${path} can be read by other users (mode ${mode.toString(8)}): run \`llm-gateway doctor --repair\` to make it 0600`,
      );
    }
    return stored;
  };
  let settings: Loaded<Settings> | undefined;
  let keys: Loaded<StoredKeys> | undefined;
  // Each provider's key, resolved once per state of the settings (a new catalog: new ProviderSpec objects), the
  // keys file and this run's keys — not once per call and per question asked of it (the router asks every provider).
  let resolved = new WeakMap<ProviderSpec, ReturnType<typeof resolveKey>>();
  const forgetKeys = () => {
    resolved = new WeakMap();
  };
  const resolve = (provider: ProviderSpec) => {
    if (resolved.has(provider)) return resolved.get(provider);
    const key = resolveKey(provider, env, runtime.storedKeys(), runtime.runKeys);
    resolved.set(provider, key);
    return key;
  };
  let catalog: Catalog | undefined;
  let ledger: Ledger | undefined;
  let shared: Promise<SharedStores> | undefined;
  // Stamp first, then read: a change in between shows as a changed stamp at the next refresh, never as a missed one.
  const load = <T>(path: string, read: (path: string) => T): Loaded<T> => {
    const stamp = fileStamp(path);
    return { stamp, value: read(path) };
  };
  const forgetSettings = () => {
    settings = undefined;
    catalog = undefined;
  };

  const openShared = () => {
    // A failed open is not kept: a server whose database was down at one request connects again at the next.
    shared ??= openSharedStores(runtime).catch((err) => {
      shared = undefined;
      throw err;
    });
    return shared;
  };

  const runtime: Runtime = {
    env,
    paths,
    now,
    settings: () => (settings ??= load(paths.settings, loadSettings)).value,
    catalog: () => (catalog ??= buildCatalog(builtInCatalog as CatalogData, settingsCatalogLayer(runtime.settings()))),
    ledger: () => (ledger ??= openLedger(paths.ledger)),
    databaseUrl: () => databaseUrlOf(env, () => runtime.settings().database?.url),
    quota: async () => (await openShared()).quota,
    activity: async () => (await openShared()).activity,
    hasLedger: () =>
      shared !== undefined || ledger !== undefined || runtime.databaseUrl() !== undefined || existsSync(paths.ledger),
    snapshot: async () =>
      runtime.hasLedger()
        ? (await runtime.quota()).snapshot(tierWindows(runtime.catalog(), now()), now())
        : { usage: new Map(), cooldowns: [] },
    storedKeys: () => (keys ??= load(paths.keys, readKeys)).value,
    runKeys: new RunKeys(forgetKeys),
    keyFor(provider) {
      const key = resolve(provider);
      return isInvalidKey(key) ? undefined : key;
    },
    keyProblem(provider) {
      const key = resolve(provider);
      return isInvalidKey(key) ? key.invalid : undefined;
    },
    keyedProviders: () =>
      new Set([...runtime.catalog().providers.values()].filter((p) => runtime.keyFor(p)).map((p) => p.id)),
    timeouts: (timeoutSeconds) => timeoutsFor(runtime.settings(), timeoutSeconds),
    gateway: async (gatewayOptions) => (await import('./gateway-factory.ts')).buildGateway(runtime, gatewayOptions),
    invalidate() {
      forgetSettings();
      keys = undefined;
      forgetKeys();
    },
    refresh() {
      let changed = false;
      if (settings && fileStamp(paths.settings) !== settings.stamp) {
        forgetSettings();
        changed = true;
      }
      if (keys && fileStamp(paths.keys) !== keys.stamp) {
        keys = undefined;
        forgetKeys();
        changed = true;
      }
      return changed;
    },
    close() {
      ledger?.close();
      ledger = undefined;
      void shared?.then((s) => s.quota.close?.()).catch(() => undefined);
      shared = undefined;
    },
  };
  return runtime;
}

/** What several machines share when a database URL is set; on one machine, both live in ledger.db. */
interface SharedStores {
  quota: QuotaBackend;
  activity: ActivityLog;
}

/**
 * The quota ledger and request log this run uses: the shared database when a URL is set (its driver loaded only
 * now, so commands that never touch the ledger never load it), else ledger.db.
 */
async function openSharedStores(runtime: Runtime): Promise<SharedStores> {
  const url = runtime.databaseUrl();
  if (url === undefined) {
    const ledger = runtime.ledger();
    return { quota: sqliteQuota(ledger.quota, runtime.paths.ledger), activity: ledger.activity };
  }
  const problem = databaseUrlProblem(url);
  if (problem !== undefined)
    throw new ConfigError(
      `the shared quota ledger's URL cannot be used: ${problem}`,
      `set ${DATABASE_URL_ENV} (or \`database.url\` in settings.json) to postgres://user:password@host:port/database`,
    );
  const spool = join(runtime.paths.dir, 'pending-usage.jsonl');
  return (await import('../store/postgres/open.ts')).openPgLedger(url, {
    spool,
    source: databaseUrlSource(runtime.env),
  });
}

/** This run's keys; a change forgets the keys resolved so far. */
class RunKeys extends Map<string, string> {
  constructor(private readonly onChange: () => void) {
    super();
  }

  override set(provider: string, key: string): this {
    this.onChange?.();
    return super.set(provider, key);
  }

  override delete(provider: string): boolean {
    this.onChange?.();
    return super.delete(provider);
  }

  override clear(): void {
    this.onChange?.();
    super.clear();
  }
}

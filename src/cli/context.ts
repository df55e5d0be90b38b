// What a command runs against: the environment, the config directory and its files, the clock and the output.
// Everything is loaded on first use, so `models --json` never opens what it does not read.
import builtInCatalog from '../catalog/builtin.json' with { type: 'json' };
import { buildCatalog, type CatalogData } from '../core/catalog.ts';
import { UsageError } from '../core/errors.ts';
import { existsSync } from 'node:fs';
import { tierWindows } from '../core/tier-report.ts';
import type { Catalog, LedgerSnapshot, ProviderSpec } from '../core/types.ts';
import { loadKeys, resolveKey, type ResolvedKey, type StoredKeys } from '../store/keys.ts';
import { openLedger, type Ledger } from '../store/ledger.ts';
import { configDir, storePaths, type StorePaths } from '../store/paths.ts';
import { loadSettings, settingsCatalogLayer, type Settings } from '../store/settings.ts';
import { createOutput, type Output, type Stream } from './output.ts';

export interface Context {
  env: NodeJS.ProcessEnv;
  paths: StorePaths;
  out: Output;
  stdin: NodeJS.ReadStream;
  now(): number;
  settings(): Settings;
  catalog(): Catalog;
  ledger(): Ledger;
  /** Free-tier usage and cooldowns now; empty (and nothing created) when no ledger exists yet. */
  snapshot(): LedgerSnapshot;
  storedKeys(): StoredKeys;
  /** Keys given for this run only (`--api-key-stdin` / `--api-key-file`), by provider id. */
  runKeys: Map<string, string>;
  keyFor(provider: ProviderSpec): ResolvedKey | undefined;
  keyedProviders(): Set<string>;
  /** Forget cached files after a command changed them. */
  invalidate(): void;
  /** Aborted when whoever reads stdout has gone (`… | head`): stop working for them, quietly. */
  outputClosed: AbortSignal;
}

export interface ContextOptions {
  env?: NodeJS.ProcessEnv;
  stdout?: Stream;
  stderr?: Stream;
  stdin?: NodeJS.ReadStream;
  now?: () => number;
}

export function createContext(options: ContextOptions = {}): Context {
  const env = options.env ?? process.env;
  const paths = storePaths(configDir(env));
  const now = options.now ?? clockFromEnv(env);
  let settings: Settings | undefined;
  let catalog: Catalog | undefined;
  let ledger: Ledger | undefined;
  let keys: StoredKeys | undefined;
  const stdout = options.stdout ?? process.stdout;
  const context: Context = {
    env,
    paths,
    out: createOutput(stdout, options.stderr ?? process.stderr, env),
    stdin: options.stdin ?? process.stdin,
    now,
    settings: () => (settings ??= loadSettings(paths.settings)),
    catalog: () => (catalog ??= buildCatalog(builtInCatalog as CatalogData, settingsCatalogLayer(context.settings()))),
    ledger: () => (ledger ??= openLedger(paths.ledger)),
    snapshot: () =>
      ledger || existsSync(paths.ledger)
        ? context.ledger().snapshot(tierWindows(context.catalog(), now()), now())
        : { usage: new Map(), cooldowns: [] },
    storedKeys: () => (keys ??= loadKeys(paths.keys)),
    runKeys: new Map(),
    keyFor: (provider) => resolveKey(provider, env, context.storedKeys(), context.runKeys),
    keyedProviders: () =>
      new Set([...context.catalog().providers.values()].filter((p) => context.keyFor(p)).map((p) => p.id)),
    invalidate() {
      settings = undefined;
      catalog = undefined;
      keys = undefined;
    },
    outputClosed: watchOutput(stdout),
  };
  return context;
}

/**
 * A closed pipe on stdout (EPIPE) arrives as an 'error' event; unhandled, it would end the process with a stack
 * trace. Nothing more can be written after any such error, so every one of them stops the work.
 */
function watchOutput(stdout: Stream): AbortSignal {
  const closed = new AbortController();
  (stdout as Partial<NodeJS.WritableStream>).on?.('error', () => closed.abort());
  return closed.signal;
}

/**
 * `LLM_GATEWAY_NOW` (an ISO time) fixes the clock, so tests and demos can show a given day's windows. It is a
 * test hook, documented as such; without it the real clock runs.
 */
function clockFromEnv(env: NodeJS.ProcessEnv): () => number {
  if (!env.LLM_GATEWAY_NOW) return Date.now;
  const fixed = Date.parse(env.LLM_GATEWAY_NOW);
  return () => {
    if (Number.isNaN(fixed)) throw new UsageError(`LLM_GATEWAY_NOW must be an ISO time such as 2026-11-26T04:00:00Z, got "${env.LLM_GATEWAY_NOW}"`);
    return fixed;
  };
}

// Builds the gateway core for one run (a CLI command, an interactive turn, a server request) from what the
// runtime has loaded: its catalog, ledger and keys, the adapters, and the timeouts from settings or the caller.
// The runtime imports this file only when a gateway is asked for: `--version` and `models` never load the core's
// router and gateway loop.
import { randomUUID } from 'node:crypto';
import { createGateway, RATE_WAIT_MS, type Gateway } from '../core/gateway.ts';
import type { Catalog, KeyProblem, ProviderSpec, QuotaLedger } from '../core/types.ts';
import { loadAdapter } from '../providers/registry.ts';
import { baseUrlEnvProblem, resolveBaseUrl } from '../store/endpoints.ts';
import type { ResolvedKey } from '../store/keys.ts';
import type { Settings } from '../store/settings.ts';
import { sleepFromEnv } from './clock.ts';
import { timeoutsFor } from './timeouts.ts';

export interface GatewayOptions {
  /** Paid models may be used this time (settings' `allowPaid` allows them always). */
  allowPaid: boolean;
  /** Seconds; overrides both timeouts for this run. */
  timeoutSeconds?: number;
}

/** What a gateway is built from: the part of the runtime it reads (named here so the runtime can import this file). */
export interface GatewaySources {
  readonly env: NodeJS.ProcessEnv;
  now(): number;
  settings(): Settings;
  catalog(): Catalog;
  quota(): Promise<QuotaLedger>;
  keyFor(provider: ProviderSpec): ResolvedKey | undefined;
  keyProblem(provider: ProviderSpec): KeyProblem | undefined;
}

/**
 * The gateway holds the catalog it was built with: build one per run, after `runtime.refresh()` in a process
 * that lives long, so each run sees the providers and keys on disk when it starts.
 */
export async function buildGateway(runtime: GatewaySources, options: GatewayOptions): Promise<Gateway> {
  const settings = runtime.settings();
  const sleep = sleepFromEnv(runtime.env);
  const catalog = runtime.catalog();
  return createGateway({
    catalog,
    ledger: await runtime.quota(),
    adapterFor: loadAdapter,
    // Once per provider for this gateway (its catalog, keys and environment do not change under it): the router
    // asks every provider on every call, and each answer reads the environment.
    credentials: once((provider) => {
      const key = runtime.keyFor(provider);
      if (!key) return undefined;
      const auth = key.auth ?? provider.auth; // undefined: the protocol's own way
      return { apiKey: key.key, baseUrl: resolveBaseUrl(provider, runtime.env), ...(auth ? { auth } : {}) };
    }),
    keyProblem: (provider) => runtime.keyProblem(provider),
    // A bad `<PROVIDER>_BASE_URL` passes that provider over (named in the plan); the others are planned as usual.
    endpointProblem: once((provider) => baseUrlEnvProblem(provider, runtime.env)),
    now: runtime.now,
    newRequestId: randomUUID,
    timeouts: timeoutsFor(settings, options.timeoutSeconds),
    allowPaid: options.allowPaid || settings.allowPaid === true,
    longPromptTokens: settings.longPromptTokens,
    // A rate limit on the last candidate is waited out up to a minute, never past this run's --timeout.
    maxRateWaitMs: Math.min(RATE_WAIT_MS, (options.timeoutSeconds ?? Infinity) * 1000),
    ...(sleep ? { sleep } : {}),
  });
}

/** `f` answered once per provider. */
function once<T>(f: (provider: ProviderSpec) => T): (provider: ProviderSpec) => T {
  const answers = new Map<ProviderSpec, T>();
  return (provider) => {
    if (!answers.has(provider)) answers.set(provider, f(provider));
    return answers.get(provider) as T;
  };
}

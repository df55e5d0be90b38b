// Wires the gateway core to this process: the ledger and keys from the config directory, the adapters loaded on
// first use (a run that only talks to Groq never loads the Anthropic SDK), timeouts from settings or flags.
import { randomUUID } from 'node:crypto';
import { createGateway, type Gateway } from '../core/gateway.ts';
import type { Timeouts } from '../core/types.ts';
import { loadAdapter } from '../providers/registry.ts';
import { resolveBaseUrl } from '../store/endpoints.ts';
import type { Context } from './context.ts';

export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 30_000, idleMs: 120_000 };

export interface RuntimeOptions {
  allowPaid: boolean;
  /** Seconds; overrides both timeouts for this run. */
  timeoutSeconds?: number;
}

export function timeoutsFor(context: Context, timeoutSeconds?: number): Timeouts {
  if (timeoutSeconds) return { connectMs: timeoutSeconds * 1000, idleMs: timeoutSeconds * 1000 };
  const configured = context.settings().timeouts;
  return {
    connectMs: configured?.connectMs ?? DEFAULT_TIMEOUTS.connectMs,
    idleMs: configured?.idleMs ?? DEFAULT_TIMEOUTS.idleMs,
  };
}

export function createCliGateway(context: Context, options: RuntimeOptions): Gateway {
  return createGateway({
    catalog: context.catalog(),
    ledger: context.ledger(),
    adapterFor: loadAdapter,
    credentials(provider) {
      const key = context.keyFor(provider);
      if (!key) return undefined;
      const auth = key.auth ?? provider.auth; // undefined: the protocol's own way
      return { apiKey: key.key, baseUrl: resolveBaseUrl(provider, context.env), ...(auth ? { auth } : {}) };
    },
    now: context.now,
    newRequestId: randomUUID,
    timeouts: timeoutsFor(context, options.timeoutSeconds),
    allowPaid: options.allowPaid || context.settings().allowPaid === true,
    longPromptTokens: context.settings().longPromptTokens,
  });
}

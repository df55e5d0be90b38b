// What the gateway loop is built from (the catalog, the ledger, keys and adapters the runtime hands it) and what it
// yields while it runs. Apart from gateway.ts so that the attempt and the planner can read the same deps.
import type {
  Adapter,
  Auth,
  Candidate,
  Catalog,
  ChatEvent,
  ChatResult,
  EndpointProblem,
  Fallback,
  KeyProblem,
  Protocol,
  ProviderSpec,
  QuotaLedger,
  Timeouts,
} from './types.ts';

export interface Credentials {
  /** Empty for a provider that takes no key (`auth` none). */
  apiKey: string;
  baseUrl: string;
  /** How the key travels; absent: the protocol's own way. */
  auth?: Auth;
}

export interface GatewayDeps {
  catalog: Catalog;
  ledger: QuotaLedger;
  /** Loaded on demand, so a process that only talks to one protocol never loads the other SDK. */
  adapterFor(protocol: Protocol): Promise<Adapter>;
  /** The key and base URL for a provider, or undefined when it needs a key and has none. Never logged. */
  credentials(provider: ProviderSpec): Credentials | undefined;
  /** Why a provider's key cannot be sent (then `credentials` gives none), or undefined. */
  keyProblem?(provider: ProviderSpec): KeyProblem | undefined;
  /** Why the provider's base URL (from the environment) cannot be used; undefined when it can. */
  endpointProblem?(provider: ProviderSpec): EndpointProblem | undefined;
  now(): number;
  newRequestId(): string;
  timeouts: Timeouts;
  allowPaid: boolean;
  longPromptTokens?: number;
  /** How long a reservation outlives a process that died holding it. */
  reservationTtlMs?: number;
  /**
   * The longest rate-limit wait worth sitting out on the last candidate (see RATE_WAIT_MS); a request's own
   * `maxRateWaitMs` (a client's patience) narrows it further.
   */
  maxRateWaitMs?: number;
  sleep?(ms: number, signal?: AbortSignal): Promise<void>;
}

export type GatewayEvent =
  | { type: 'attempt'; model: string; provider: string; attempt: number; billing: Candidate['billing'] }
  | { type: 'fallback'; fallback: Fallback }
  /** The last candidate is rate-limited for `ms`: the gateway waits that long, then asks it again. */
  | { type: 'wait'; model: string; provider: string; ms: number; reason: string }
  /** The answer as it streams (adapters' events, passed on as they arrive). */
  | Extract<
      ChatEvent,
      { type: 'text-delta' | 'reasoning-delta' | 'tool-call-start' | 'tool-call-delta' | 'tool-call-end' }
    >
  | { type: 'done'; result: ChatResult };

/**
 * A rate limit on the last candidate that lifts within this long is waited out, then asked again, rather than failed:
 * a per-minute window (RPM, TPM) never needs more, and a caller would rather wait 20 s than get an error.
 */
export const RATE_WAIT_MS = 60_000;

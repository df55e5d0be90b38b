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
  sleep?(ms: number, signal?: AbortSignal): Promise<void>;
}

export type GatewayEvent =
  | { type: 'attempt'; model: string; provider: string; attempt: number; billing: Candidate['billing'] }
  | { type: 'fallback'; fallback: Fallback }
  /** The answer as it streams (adapters' events, passed on as they arrive). */
  | Extract<
      ChatEvent,
      { type: 'text-delta' | 'reasoning-delta' | 'tool-call-start' | 'tool-call-delta' | 'tool-call-end' }
    >
  | { type: 'done'; result: ChatResult };

// Routing: what a request asks of the router, the candidates it plans and why it passed over the others.
import type { Billing, Capability, Deployment, ModelSpec, Price, ProviderSpec } from './catalog-types.ts';
import type { CooldownKind } from './ledger-types.ts';

export interface RouteRequest {
  /** A model id, an alias, or `auto` (the default). */
  model?: string;
  /** `default`, `code`, `reasoning`, `long_context`, or one the user defined. Ignored when a model is named. */
  scenario?: string;
  /** Estimated prompt size (system + messages). */
  inputTokens: number;
  /** The answer budget the caller asked for, if any. */
  maxOutputTokens?: number;
  capabilities?: Capability[];
  allowPaid: boolean;
}

export interface Candidate {
  model: ModelSpec;
  deployment: Deployment;
  provider: ProviderSpec;
  billing: Billing;
  /** Present when billing is 'free-tier'. */
  tier?: { key: string; remaining: number; nextReset: number; expires?: number };
}

/** Why the base URL a variable gives a provider cannot be used: the variable's name and the problem, never its value. */
export interface EndpointProblem {
  variable: string;
  problem: string;
}

/**
 * Why the key a provider would use is unusable: which variable holds it (none: the stored key) and what is wrong
 * with it ("contains a space", from core/key-shape.ts). Never the key itself.
 */
export interface KeyProblem {
  variable?: string;
  problem: string;
}

/**
 * Why the router passed over a deployment, with the data a front end needs to word it and the fix. `detail` is a
 * plain statement of the same (no flag or command: those are each front end's own words).
 */
export type Skip = {
  model: string;
  provider: string;
  /** One line, e.g. "free tier used up (1,000,000 of 1,000,000), resets 2026-12-15". */
  detail: string;
} & (
  | {
      /** No key for the provider. `configured`: false when the provider itself is unknown (a stale catalog entry). */
      reason: 'no_key';
      configured: boolean;
      /** Environment variables that would give it a key, first found wins. */
      keyEnv: string[];
    }
  | {
      /** The key the provider would use cannot be sent (a space in its variable, …): passed over, never called. */
      reason: 'key_invalid';
      keyProblem: KeyProblem;
    }
  | {
      /**
       * The base URL the environment gives the provider cannot be used (`GROQ_BASE_URL=not a url`): `variable` names
       * it, `problem` says why (never its value, which may hold credentials). Only this provider is passed over.
       */
      reason: 'endpoint_invalid';
      variable: string;
      problem: string;
    }
  | {
      /** The provider rejected the key in use (a live `auth` cooldown); `until`: when it is tried again (epoch ms). */
      reason: 'key_rejected';
      providerName: string;
      keyEnv: string[];
      until: number;
      /** What the upstream said, as recorded with the cooldown ('' if nothing). */
      cooldownReason: string;
    }
  | {
      /**
       * Quota used up: the free tier lacks room for this call, or the upstream said so (then `until`, epoch ms, is
       * when it is tried again). `payable`: allowing paid use would make it a candidate at its paid price.
       */
      reason: 'exhausted';
      payable: boolean;
      until?: number;
      /** The tier's limit that has no room for this call (`rpd`, `tpm`, `tokens/month`). */
      limit?: string;
      /** Of that limit, what calls in flight (or killed ones, until their holds expire) hold; absent when none. */
      held?: number;
    }
  | {
      /** The free tier ended on `expires` (YYYY-MM-DD); `payable` as for `exhausted`. */
      reason: 'expired';
      expires: string;
      payable: boolean;
    }
  | {
      /** A live cooldown on `scope` (the deployment or its provider) of this kind, until epoch ms `until`. */
      reason: 'cooling_down';
      cooldownKind: CooldownKind;
      scope: string;
      until: number;
    }
  | {
      /** Prompt plus answer budget (`neededTokens`) is larger than the deployment's `contextWindow`. */
      reason: 'context_too_small';
      neededTokens: number;
      /** The answer budget within `neededTokens`: when the prompt alone fits, lowering it is the fix. */
      answerTokens: number;
      contextWindow: number;
    }
  | {
      /** Prompt plus answer budget (`neededTokens`) is larger than the deployment's `tokensPerMinute` limit. */
      reason: 'over_rate_window';
      neededTokens: number;
      tokensPerMinute: number;
    }
  | {
      /** The model lacks these required capabilities. */
      reason: 'missing_capability';
      missing: Capability[];
    }
  | {
      /** Paid (no free tier to carry the call) and paid use not allowed; `price` null when unknown. */
      reason: 'paid_not_allowed';
      price: Price | null;
    }
);

export type SkipReason = Skip['reason'];
/** A skip's reason, data and detail: everything but which deployment it is about. */
export type SkipWhy = DistributiveOmit<Skip, 'model' | 'provider'>;

/** `Omit` applied to each member of a union, so the result is still a union a `switch` can narrow. */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export interface RoutePlan {
  /** The moment the plan was made (epoch ms): the `now` its waits and resets are counted from. */
  at: number;
  /** What was asked for, after alias resolution: a model id or `scenario:<name>`. */
  target: string;
  scenario?: string;
  candidates: Candidate[];
  skipped: Skip[];
  /** Scenario entries that name no model in the catalog (a stale settings.json). */
  unknownModels?: string[];
}

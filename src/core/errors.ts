// The small error family. Every expected failure carries a `Failure`: a code plus the data a front end needs to
// say it in its own words and to pick its own status — the CLI an exit code and a hint (src/cli/common/error-text.ts,
// src/cli/common/exit-codes.ts), the server an HTTP status and an error object. The core never words a fix: no flag, no
// command, no file to edit; its messages are plain statements for logs and for front ends that have nothing better.
// Anything that is not a GatewayError reaching a front end is a bug.
// Error text never contains a key: build messages from names, never from secret values.
//
// THE CODES (the CLI's exit column is checked by test/unit/error-codes.test.ts; the server's HTTP statuses and words live
// in src/server/, in a map typed over every code the same way)
//
//   code                   raised by        data                                    CLI exit
//   invalid_input          cli, server      —                                       2
//   config                 store, cli       path?, cause?                           3
//   interrupted            core, cli        model?, provider?                       130
//   unknown_model          core catalog     selector, nearest                       2
//   broken_alias           core catalog     alias, target                           2
//   model_not_served       core catalog     provider, model, servedBy               2
//   unknown_provider       core catalog     provider, nearest, known                2
//   unknown_scenario       core router      scenario, known                         2
//   no_models_listed       core gateway     target, unknownModels                   2
//   no_candidate_quota     core gateway     plan, causes                            5
//   no_candidate_key       core gateway     plan, causes                            4
//   no_candidate_config    core gateway     plan, causes                            3
//   no_candidate_down      core gateway     plan, causes                            1
//   no_candidate_request   core gateway     plan, causes                            2
//   all_failed_quota       core gateway     fallbacks                               5
//   all_failed_rate_limit  core gateway     fallbacks, retryAfterMs?                5
//   all_failed_auth        core gateway     fallbacks                               4
//   all_failed_context     core gateway     fallbacks                               2
//   all_failed             core gateway     fallbacks                               1
//   upstream               providers        provider, kind, status?, retryAfterMs?  by kind
//   answer_cut             core gateway     model, provider, kind                   1
//   answer_invalid         cli              model, provider, errors                 1
//
// `upstream` maps by its `kind` (UpstreamErrorKind below): auth 4; quota, rate_limit, billing 5; too_large 2; aborted 130; others 1.
// To add a failure: add a member to `Failure` (or a kind to `UpstreamErrorKind`) and a row here; the compiler then
// asks every front end for its exit code / status and words (their maps are typed over every code).
import type { ChatResult, Fallback, RoutePlan, UpstreamErrorKind } from './types.ts';

export type { UpstreamErrorKind } from './types.ts';

/** Why nothing could be tried, per skipped candidate; the first one a user can act on decides the code. */
export type NoCandidateCause = 'quota' | 'key' | 'config' | 'down' | 'request';

export type Failure =
  /** A bad flag or value, no prompt, input too large: the caller's words, checked by the front end. */
  | { code: 'invalid_input' }
  /** A settings, keys or ledger file that cannot be read, parsed or written. `path`: the file; a broken one is never rewritten. */
  | { code: 'config'; path?: string; cause?: ConfigCause; host?: string }
  /** The caller cancelled (Ctrl-C, SIGTERM, a closed client). `model`/`provider`: the answer that was stopped. */
  | { code: 'interrupted'; model?: string; provider?: string }
  /** `selector` names no model, alias or upstream id. `nearest`: up to three ids or aliases, closest first. */
  | { code: 'unknown_model'; selector: string; nearest: string[] }
  /** The alias `alias` points to `target`, which is no model (the user's settings are stale). */
  | { code: 'broken_alias'; alias: string; target: string }
  /** `provider:model` pins a deployment that does not exist. `servedBy`: the providers that do serve `model`. */
  | { code: 'model_not_served'; provider: string; model: string; servedBy: string[] }
  /** `provider` is no provider id. `nearest`: the closest ids; `known`: all of them. */
  | { code: 'unknown_provider'; provider: string; nearest: string[]; known: string[] }
  /** `scenario` is not defined. `known`: the scenarios that are. */
  | { code: 'unknown_scenario'; scenario: string; known: string[] }
  /** The scenario `target` (`scenario:<name>`) lists nothing to consider; `unknownModels`: its ids no catalog has. */
  | { code: 'no_models_listed'; target: string; unknownModels: string[] }
  /**
   * Nothing could be tried: `plan` holds every skip with its reason and data; `causes` the distinct causes in the
   * order they first appear. The code is the first of quota > key > config > down > request that occurs: waiting or
   * paying helps (quota), a key does (key), fixing a setting does (config), time does (down), or only another
   * request does (request).
   */
  | { [C in NoCandidateCode]: { code: C; plan: RoutePlan; causes: NoCandidateCause[] } }[NoCandidateCode]
  /**
   * Every candidate was tried and failed before its first token; `fallbacks` says how, in order. `_quota`: all
   * were out of quota or rate-limited; `_auth`: every key was rejected; `_context`: the prompt fits no window.
   */
  | { [C in AllFailedCode]: { code: C; fallbacks: Fallback[] } }[AllFailedCode]
  /**
   * Every candidate was rate-limited for longer than the caller would wait: a burst window (RPM, TPM), never a
   * used-up quota. `retryAfterMs`: the soonest the providers said one lifts.
   */
  | { code: 'all_failed_rate_limit'; fallbacks: Fallback[]; retryAfterMs?: number }
  /** One upstream call failed and no fallback followed (see UpstreamError). */
  | { code: 'upstream'; provider: string; kind: UpstreamErrorKind; status?: number; retryAfterMs?: number }
  /** A stream failed after its first token (`kind`: how): the partial answer stands (PartialAnswerError). */
  | { code: 'answer_cut'; model: string; provider: string; kind: UpstreamErrorKind }
  /**
   * The answer came whole but is not what the request demanded (JSON valid against the caller's schema), after the
   * one repair attempt. `errors`: what is wrong, one statement each; `model`/`provider`: who answered last.
   */
  | { code: 'answer_invalid'; model: string; provider: string; errors: string[] };

export type NoCandidateCode =
  | 'no_candidate_quota'
  | 'no_candidate_key'
  | 'no_candidate_config'
  | 'no_candidate_down'
  | 'no_candidate_request';
export type AllFailedCode = 'all_failed_quota' | 'all_failed_auth' | 'all_failed_context' | 'all_failed';
export type FailureCode = Failure['code'];
/**
 * The failure with this code, e.g. `FailureOf<'unknown_model'>`. Every member has exactly one literal code (the
 * families above are spread into one member per code), so this and a `switch` on `code` always narrow.
 */
export type FailureOf<C extends FailureCode> = Extract<Failure, { code: C }>;

export class GatewayError<F extends Failure = Failure> extends Error {
  /** What failed, as a code and data; front ends switch over `failure.code`. */
  readonly failure: F;
  /** What to do about it, in the words of the front end or store that raised it; the core never sets one. */
  readonly hint?: string;
  constructor(failure: F, message: string, hint?: string) {
    super(message);
    this.name = new.target.name;
    this.failure = failure;
    this.hint = hint;
  }
  get code(): F['code'] {
    return this.failure.code;
  }
}

/** Bad flag, bad value, no prompt, input too large — raised by a front end in its own words. */
export class UsageError extends GatewayError<FailureOf<'invalid_input'>> {
  constructor(message: string, hint?: string) {
    super({ code: 'invalid_input' }, message, hint);
  }
}

/**
 * Why a file could not be written, when a front end says it in its own words: the disk (or a quota) is full; the
 * ledger is held by another process; the shared database cannot be reached (`host`: its host:port, never a secret).
 */
export type ConfigCause = 'disk_full' | 'locked' | 'unreachable';

/** A settings, keys or ledger file that cannot be read, parsed or written. A broken file is never rewritten. */
export class ConfigError extends GatewayError<FailureOf<'config'>> {
  constructor(message: string, hint?: string, path?: string, cause?: ConfigCause, host?: string) {
    super(
      {
        code: 'config',
        ...(path === undefined ? {} : { path }),
        ...(cause ? { cause } : {}),
        ...(host ? { host } : {}),
      },
      message,
      hint,
    );
  }
  get path(): string | undefined {
    return this.failure.path;
  }
}

/** A name the catalog does not know: a model, alias, pinned deployment, provider or scenario. */
export type LookupFailure = FailureOf<
  'unknown_model' | 'broken_alias' | 'model_not_served' | 'unknown_provider' | 'unknown_scenario'
>;
export class LookupError extends GatewayError<LookupFailure> {}

/** One shape for every provider failure, whatever SDK produced it. */
export class UpstreamError extends GatewayError<FailureOf<'upstream'>> {
  readonly provider: string;
  readonly kind: UpstreamErrorKind;
  readonly status?: number;
  /** Milliseconds the upstream asked us to wait (Retry-After / retry-after-ms). */
  readonly retryAfterMs?: number;
  constructor(init: {
    provider: string;
    kind: UpstreamErrorKind;
    message: string;
    status?: number;
    retryAfterMs?: number;
  }) {
    const { provider, kind, status, retryAfterMs } = init;
    super(
      {
        code: 'upstream',
        provider,
        kind,
        ...(status === undefined ? {} : { status }),
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      },
      init.message,
    );
    this.provider = provider;
    this.kind = kind;
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }
}

/** Raised when a stream fails after its first token: what arrived stays, and is carried here for the caller. */
export class PartialAnswerError extends GatewayError<FailureOf<'answer_cut' | 'interrupted'>> {
  constructor(
    readonly upstream: UpstreamError,
    readonly partial: ChatResult,
  ) {
    const { model, provider } = partial;
    const where = `the answer from ${model} (${provider})`;
    super(
      upstream.kind === 'aborted'
        ? { code: 'interrupted', model, provider }
        : { code: 'answer_cut', model, provider, kind: upstream.kind },
      upstream.kind === 'aborted' ? `interrupted: ${where} was stopped` : `${where} was cut off: ${upstream.message}`,
    );
  }
}

/**
 * `text` with every given secret cut out: the last line of defence for anything printed. Values shorter than 8
 * characters are no keys, and cutting them would mangle ordinary words.
 */
export function withoutSecrets(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 8) out = out.split(secret).join('[redacted]');
  return out;
}

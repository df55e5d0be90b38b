// The exit codes (README "Exit codes", `--help`) and the one map from a failure's code to its exit code: the CLI's
// column of the table in core/errors.ts. Typed over every code, so a new one cannot ship without its exit code.
import { GatewayError, type Failure, type FailureCode, type UpstreamErrorKind } from '../../core/errors.ts';

export const ExitCode = {
  ok: 0,
  /**
   * An upstream failure after every fallback, a stream cut mid-answer, an answer not valid against --schema, output
   * that could not be written, or a bug.
   */
  failure: 1,
  /** A bad flag or value, an unknown model, no prompt, input too large. */
  usage: 2,
  /** A settings, keys or ledger file that cannot be read, parsed or written (a full or read-only disk). */
  config: 3,
  /** No key, or the provider rejected it. */
  auth: 4,
  /** No candidate has quota left, or all are rate-limited. */
  quota: 5,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export const EXIT_CODE_BY_FAILURE: { readonly [C in Exclude<FailureCode, 'upstream'>]: ExitCode } = {
  invalid_input: ExitCode.usage,
  config: ExitCode.config,
  interrupted: ExitCode.interrupted,
  unknown_model: ExitCode.usage,
  broken_alias: ExitCode.usage,
  model_not_served: ExitCode.usage,
  unknown_provider: ExitCode.usage,
  unknown_scenario: ExitCode.usage,
  no_models_listed: ExitCode.usage,
  no_candidate_quota: ExitCode.quota,
  no_candidate_key: ExitCode.auth,
  no_candidate_config: ExitCode.config,
  no_candidate_down: ExitCode.failure,
  no_candidate_request: ExitCode.usage,
  all_failed_quota: ExitCode.quota,
  all_failed_rate_limit: ExitCode.quota,
  all_failed_auth: ExitCode.auth,
  all_failed_context: ExitCode.usage,
  all_failed: ExitCode.failure,
  answer_cut: ExitCode.failure,
  answer_invalid: ExitCode.failure,
};

/** An `upstream` failure that ended the run (no fallback followed) exits by its kind. */
export const EXIT_CODE_BY_UPSTREAM_KIND: { readonly [K in UpstreamErrorKind]: ExitCode } = {
  connection: ExitCode.failure,
  timeout: ExitCode.failure,
  rate_limit: ExitCode.quota,
  quota: ExitCode.quota,
  billing: ExitCode.quota,
  server: ExitCode.failure,
  auth: ExitCode.auth,
  not_found: ExitCode.failure,
  retired: ExitCode.failure,
  too_large: ExitCode.usage,
  context_length: ExitCode.failure,
  bad_request: ExitCode.failure,
  protocol: ExitCode.failure,
  aborted: ExitCode.interrupted,
};

/**
 * Thrown by a command that has printed all it has to say, to end with this exit code and no message (`chat --explain`
 * when nothing could be called exits as the real call would).
 */
export class QuietExit extends Error {
  constructor(readonly exitCode: ExitCode) {
    super(`exit ${exitCode}`);
  }
}

/** The exit code for anything thrown: a GatewayError by its code, anything else (a bug) 1. */
export function exitCodeOf(err: unknown): ExitCode {
  if (!(err instanceof GatewayError)) return ExitCode.failure;
  const failure: Failure = err.failure;
  return failure.code === 'upstream' ? EXIT_CODE_BY_UPSTREAM_KIND[failure.kind] : EXIT_CODE_BY_FAILURE[failure.code];
}

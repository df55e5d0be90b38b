// How much an upstream may send us. Without a bound, an endless stream grows until the process dies (4.3 GB after
// 91 s, with no usage recorded), a small gzip body decodes to a gibibyte, and one line without an end is re-scanned
// quadratically. Each limit ends the call with "upstream sent more than …" and the usage so far recorded.
import { UsageError } from '../../core/errors.ts';

export interface UpstreamLimits {
  /** Bytes of one answer's body, as decoded (what is parsed): an answer, a stream, an error body. */
  answerBytes: number;
  /** Bytes of one line of a stream. */
  lineBytes: number;
}

export const ANSWER_BYTES_ENV = 'LLM_GATEWAY_MAX_ANSWER_BYTES';
export const LINE_BYTES_ENV = 'LLM_GATEWAY_MAX_LINE_BYTES';

export const DEFAULT_LIMITS: UpstreamLimits = { answerBytes: 64 * 1024 * 1024, lineBytes: 4 * 1024 * 1024 };

export function limitsFromEnv(env: NodeJS.ProcessEnv = process.env): UpstreamLimits {
  return {
    answerBytes: bytesFrom(env, ANSWER_BYTES_ENV, DEFAULT_LIMITS.answerBytes),
    lineBytes: bytesFrom(env, LINE_BYTES_ENV, DEFAULT_LIMITS.lineBytes),
  };
}

function bytesFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n <= 0) {
    throw new UsageError(
      `${name} must be a positive whole number of bytes, got "${raw}"`,
      `e.g. ${name}=${fallback}, or unset it`,
    );
  }
  return n;
}

// How much of an answer the conversation store keeps. The terminal (or pipe) gets every byte; the store keeps the
// first LLM_GATEWAY_MAX_STORED_ANSWER bytes (1 MiB unless set) and a mark saying how much was left out, so a 200 MB
// answer neither fills ledger.db nor is resent whole as context with the next question. Streaming to the terminal
// asks the gateway to keep no more than this (ChatRequest.keepText), so memory stays bounded too.
import { UsageError } from '../../core/errors.ts';
import { utf8Length, utf8Prefix } from '../../core/answer-text.ts';
import type { ChatResult } from '../../core/types.ts';

export const STORED_ANSWER_ENV = 'LLM_GATEWAY_MAX_STORED_ANSWER';
const DEFAULT_LIMIT = 1024 * 1024;

/** The most bytes of an answer the conversation store keeps. */
export function storedAnswerLimit(env: NodeJS.ProcessEnv): number {
  const raw = env[STORED_ANSWER_ENV]?.trim();
  if (!raw) return DEFAULT_LIMIT;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n <= 0) {
    throw new UsageError(
      `${STORED_ANSWER_ENV} must be a positive whole number of bytes, got "${raw}"`,
      `e.g. ${STORED_ANSWER_ENV}=1048576, or unset it`,
    );
  }
  return n;
}

/** The answer's text as stored: whole, or its first `limit` bytes and a mark of what was not stored. */
export function storedText(answer: Pick<ChatResult, 'text' | 'textOmittedBytes'>, limit: number): string {
  const size = utf8Length(answer.text);
  const omitted = (answer.textOmittedBytes ?? 0) + Math.max(0, size - limit);
  if (omitted === 0) return answer.text;
  const kept = size > limit ? utf8Prefix(answer.text, limit) : answer.text;
  return `${kept}…[truncated by llm-gateway: ${byteSize(omitted)} not stored]`;
}

/** 187,300,000 -> "187.3 MB" (rounded down: never more than was left out). */
export function byteSize(bytes: number): string {
  const [unit, name] =
    bytes >= 1e9
      ? [1e9, 'GB']
      : bytes >= 1e6
        ? [1e6, 'MB']
        : bytes >= 1e3
          ? [1e3, 'KB']
          : [1, bytes === 1 ? 'byte' : 'bytes'];
  return `${unit === 1 ? bytes : Math.floor((bytes * 10) / unit) / 10} ${name}`;
}

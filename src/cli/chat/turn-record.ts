// A chat turn as a line of the request log (`llm-gateway log`, serve's live list): who answered, what it used, how
// long it took and how it ended. Recorded after the usage is settled; a log that cannot be written changes nothing
// else — the tokens are already in the ledger.
import { randomUUID } from 'node:crypto';
import { ConfigError, GatewayError, LookupError, PartialAnswerError, UsageError } from '../../core/errors.ts';
import type { ChatResult, Fallback } from '../../core/gateway.ts';
import type { RequestRecord } from '../../core/request-record.ts';
import type { Billing } from '../../core/types.ts';
import type { Context } from '../common/context.ts';

export interface TurnTrace {
  at: number;
  started: number;
  /** The candidate being tried, or the last one tried. */
  current?: { model: string; provider: string; billing: Billing };
  fallbacks: Fallback[];
}

export function startTrace(context: Context): TurnTrace {
  return { at: context.runtime.now(), started: performance.now(), fallbacks: [] };
}

/**
 * A turn refused for the user's own input before any model was tried (an unknown model, a bad flag): a usage error,
 * not a request, so it is neither logged nor counted as failed.
 */
export function refusedInput(trace: TurnTrace, end: { result: ChatResult } | { err: unknown }): boolean {
  return (
    trace.current === undefined && 'err' in end && (end.err instanceof LookupError || end.err instanceof UsageError)
  );
}

/** The log entry of a turn that ended with `result`, or with `err`. */
export function turnRecord(
  trace: TurnTrace,
  end: { result: ChatResult } | { err: unknown },
  tags: { client?: string; conversationId?: string },
): RequestRecord {
  const answer = 'result' in end ? end.result : end.err instanceof PartialAnswerError ? end.err.partial : undefined;
  const who = answer ?? trace.current;
  const failure = 'err' in end ? (end.err instanceof GatewayError ? end.err.code : 'bug') : undefined;
  return {
    id: answer?.requestId ?? randomUUID(),
    at: trace.at,
    origin: 'chat',
    ...(tags.client ? { client: tags.client } : {}),
    ...(who ? { model: who.model, provider: who.provider, billing: who.billing } : {}),
    inputTokens: answer?.usage.inputTokens ?? 0,
    outputTokens: answer?.usage.outputTokens ?? 0,
    ms: performance.now() - trace.started,
    outcome:
      failure === undefined
        ? 'ok'
        : failure === 'interrupted'
          ? 'aborted'
          : failure === 'answer_cut'
            ? 'cut'
            : 'failed',
    ...(failure ? { error: failure } : {}),
    fallbacks: trace.fallbacks.map(({ model, provider, code }) => ({ model, provider, code })),
    ...(tags.conversationId ? { conversationId: tags.conversationId } : {}),
  };
}

/**
 * Writes the entry, best effort: a ledger that cannot take it (a full disk) has already been, or will be, reported
 * where it matters — the answer's usage, the next call's check — and the request log is not worth a second warning.
 */
export async function logTurn(context: Context, record: RequestRecord): Promise<void> {
  try {
    await (await context.runtime.activity()).record(record);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
  }
}

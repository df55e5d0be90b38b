// A chat request the server ended, as the request log keeps it (the same log chat writes): the route and the
// client's User-Agent say where it came from; the status and the failure's code say how it ended.
import type { RequestRecord } from '../core/request-record.ts';
import type { ChatTrace, LogEntry } from './request-log.ts';

export function requestRecordOf(entry: LogEntry, chat: ChatTrace): RequestRecord {
  const outcome: RequestRecord['outcome'] =
    entry.status === 499
      ? 'aborted'
      : chat.errorCode === undefined
        ? 'ok'
        : chat.errorCode === 'answer_cut' || chat.errorCode === 'interrupted'
          ? 'cut'
          : 'failed';
  return {
    id: entry.id,
    at: chat.at,
    origin: 'serve',
    client: chat.client ? `${entry.route} ${chat.client}` : entry.route,
    ...(entry.model ? { model: entry.model, provider: entry.provider } : {}),
    ...(chat.billing ? { billing: chat.billing } : {}),
    inputTokens: entry.inputTokens ?? 0,
    outputTokens: entry.outputTokens ?? 0,
    ms: entry.ms,
    outcome,
    ...(chat.errorCode ? { error: chat.errorCode } : {}),
    fallbacks: (entry.fallbacks ?? []).map((f) => ({ model: f.model, provider: f.provider, code: f.code ?? 'other' })),
  };
}

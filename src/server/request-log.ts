// One line per request on stdout: the server's product, as an access log is. Plain text for a person, or with
// --json-log one JSON object per line for a log pipeline. Never a key, never a prompt or an answer.

export interface LogEntry {
  id: string;
  method: string;
  route: string;
  status: number;
  /** The model and provider that answered (or were last tried). */
  model?: string;
  provider?: string;
  fallbacks?: Array<{ model: string; provider: string; reason: string }>;
  inputTokens?: number;
  outputTokens?: number;
  ms: number;
  /** Why it failed, in the words sent to the client. */
  error?: string;
}

export type RequestLog = (entry: LogEntry) => void;

export function createRequestLog(write: (line: string) => void, json: boolean): RequestLog {
  if (json) {
    return (entry) => write(`${JSON.stringify({ time: new Date().toISOString(), ...entry, fallbacks: entry.fallbacks ?? [], ms: round(entry.ms) })}\n`);
  }
  return (entry) => {
    const parts = [new Date().toISOString().slice(11, 19), String(entry.status), entry.method, entry.route];
    if (entry.model) parts.push(`${entry.model} (${entry.provider})`);
    if (entry.inputTokens !== undefined) parts.push(`${entry.inputTokens}+${entry.outputTokens ?? 0} tokens`);
    parts.push(`${round(entry.ms)} ms`);
    if (entry.fallbacks?.length) parts.push(`after ${entry.fallbacks.map((f) => `${f.model} (${f.provider})`).join(', ')}`);
    if (entry.error) parts.push(`— ${entry.error.replace(/\s+/g, ' ').slice(0, 200)}`);
    write(`${parts.join(' ')}\n`);
  };
}

const round = (ms: number) => Math.round(ms * 10) / 10;

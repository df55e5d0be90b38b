// One line per request on stdout: the server's product, as an access log is. Plain text for a person, or with
// --json-log one JSON object per line for a log pipeline. Never a key, never a prompt or an answer.
// Much of a line comes from outside (a client's model id or field name in an error, an upstream's error message):
// the plain line goes to the operator's terminal, so every invisible character in it is named (<U+001B>) and
// nothing that could drive the terminal (ESC, BEL, a bidi override) reaches it. JSON.stringify already escapes
// C0 controls for --json-log.

import type { Billing } from '../core/types.ts';
import { terminalSafe } from '../lib/terminal-safe.ts';
import { visibleLine } from '../lib/visible-text.ts';

export interface LogEntry {
  id: string;
  method: string;
  route: string;
  status: number;
  /** The model id the client asked for (a Claude id routed by its family, `auto`, an alias), bounded. */
  asked?: string;
  /** Hints the request carried that were accepted and not forwarded (wire/field-policy.ts). */
  dropped?: string[];
  /** The answer budget the client asked for, when it was clamped to fit a model's window (answer-clamp.ts). */
  clampedFrom?: number;
  /** The model and provider that answered (or were last tried). */
  model?: string;
  provider?: string;
  /** Each fallback as the gateway gave it (its `code` too, which the log line leaves out). */
  fallbacks?: Array<{ model: string; provider: string; reason: string; code?: string }>;
  inputTokens?: number;
  outputTokens?: number;
  ms: number;
  /** Why it failed, in the words sent to the client. */
  error?: string;
}

/**
 * What a chat route learned beyond the log line, for the request log in the ledger, the metrics and the dashboard's
 * live list (kept apart from LogEntry, whose fields are the --json-log format).
 */
export interface ChatTrace {
  /** Epoch ms (the runtime's clock) when the gateway was asked. */
  at: number;
  /** The client's User-Agent, bounded. */
  client?: string;
  billing?: Billing;
  /** From the request's start to the answer's first piece (streamed or not: the gateway's first event of it). */
  firstTokenMs?: number;
  /** The failure's code when it did not end well. */
  errorCode?: string;
}

export type RequestLog = (entry: LogEntry) => void;

export function createRequestLog(write: (line: string) => void, json: boolean): RequestLog {
  if (json) {
    return (entry) =>
      write(
        `${JSON.stringify({ time: new Date().toISOString(), ...entry, fallbacks: entry.fallbacks ?? [], ms: round(entry.ms) })}\n`,
      );
  }
  return (entry) => {
    const parts = [new Date().toISOString().slice(11, 19), String(entry.status), entry.method, entry.route];
    if (entry.model)
      parts.push(
        `${entry.asked && entry.asked !== entry.model ? `${entry.asked} -> ` : ''}${entry.model} (${entry.provider})`,
      );
    if (entry.inputTokens !== undefined) parts.push(`${entry.inputTokens}+${entry.outputTokens ?? 0} tokens`);
    parts.push(`${round(entry.ms)} ms`);
    if (entry.fallbacks?.length)
      parts.push(`after ${entry.fallbacks.map((f) => `${f.model} (${f.provider})`).join(', ')}`);
    if (entry.clampedFrom !== undefined) parts.push(`max_tokens clamped from ${entry.clampedFrom}`);
    if (entry.dropped?.length) parts.push(`dropped: [${entry.dropped.join(', ')}]`);
    if (entry.error) parts.push(`— ${oneLine(entry.error).slice(0, 200)}`);
    write(`${logSafe(oneLine(parts.join(' ')))}\n`);
  };
}

const oneLine = (text: string) => text.replace(/[\t\n\v\f\r\u0085\u2028\u2029 ]+/g, ' ');

/** `text` with C0/C1 controls and other invisible characters named, then through the CLI's terminal sanitizer. */
export function logSafe(text: string): string {
  return terminalSafe(visibleLine(text));
}

const round = (ms: number) => Math.round(ms * 10) / 10;

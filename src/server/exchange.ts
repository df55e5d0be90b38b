// One HTTP request as the routes see it: the raw request and response, our id for it, the CORS headers decided
// by the guard, a signal that fires when the client goes away, and the log entry being filled in.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ChatTrace, LogEntry } from './request-log.ts';

export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  id: string;
  /** Headers every answer to this request carries (request id, CORS). */
  baseHeaders: Record<string, string>;
  /** Aborted when the client disconnects before the answer is complete, or the server stops waiting for it. */
  signal: AbortSignal;
  log: Partial<LogEntry>;
  /** How long a client may leave what we write unread before it is cut (its slot and upstream call freed). */
  stalledReaderMs: number;
  /** Set by a chat route once the gateway is asked. */
  chat?: ChatTrace;
}

export function sendJson(
  ex: Exchange,
  status: number,
  body: unknown,
  headers: Record<string, string | string[]> = {},
): void {
  if (ex.res.destroyed && !ex.res.headersSent) {
    // The client left as its answer was ready: said so in the log, not as a 500 with no words.
    ex.log.status ??= CLIENT_GONE;
    ex.log.error ??= 'client closed the connection';
  }
  if (ex.res.headersSent || ex.res.destroyed) return;
  const text = JSON.stringify(body);
  ex.res.writeHead(status, {
    ...ex.baseHeaders,
    ...headers,
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
  });
  ex.res.end(text);
  ex.log.status = status;
}

/** The status logged for a request whose client went away before its answer (nginx's convention). */
export const CLIENT_GONE = 499;

/**
 * Writes, and waits for the socket to take it when the client reads slower than the upstream writes. A client that
 * stops reading altogether would hold its slot and its upstream call for ever: after `stalledReaderMs` it is cut,
 * which aborts the call (what it used is still recorded).
 */
export function write(ex: Exchange, text: string): Promise<void> | undefined {
  const { res } = ex;
  // Events that arrive together (one upstream chunk often holds several) leave in one socket write, not one each:
  // the writes of this turn of the event loop are held and sent together at its end.
  if (!res.writableCorked) {
    res.cork();
    setImmediate(() => res.uncork());
  }
  if (res.write(text)) return undefined;
  return new Promise((resolve) => {
    const stalled = setTimeout(() => {
      ex.log.error ??= `client stopped reading for ${ex.stalledReaderMs / 1000} s: cut`;
      ex.res.destroy();
    }, ex.stalledReaderMs);
    const done = () => {
      clearTimeout(stalled);
      ex.res.off('drain', done);
      ex.res.off('close', done);
      resolve();
    };
    ex.res.on('drain', done);
    ex.res.on('close', done);
  });
}

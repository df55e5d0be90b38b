// Writes a planned list of SSE events to a response, applying the step's timing, faults and framing quirks.
// Framing quirks are all legal SSE (CRLF, comments, split writes, no final blank line): a client that chokes on
// them has a parser bug, which is exactly what these steps are for.

import type { ServerResponse } from 'node:http';
import { streamErrorEvent, type SseEvent } from './wire.ts';
import type { Step, WireFormat } from './types.ts';

/** Resolves after `ms`, or early (never rejects) when the signal aborts. */
export function sleep(ms: number | undefined, signal: AbortSignal): Promise<void> {
  if (!ms || ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Applies noTerminator, endAfter and streamError to the event list before anything is written. */
function plan(events: SseEvent[], step: Step, format: WireFormat): SseEvent[] {
  let out = step.noTerminator ? events.filter((e) => !e.terminator) : events;
  if (step.endAfter !== undefined) {
    // Everything up to the Nth content chunk (for 0: what comes before the first one, at least the opening event).
    const contentIdx = out.flatMap((e, i) => (e.content ? [i] : []));
    const end =
      step.endAfter === 0 ? (contentIdx[0] ?? 1) : (contentIdx[step.endAfter - 1] ?? contentIdx.at(-1) ?? 0) + 1;
    out = out.slice(0, end);
  }
  if (step.streamError) {
    const after = step.streamError.afterChunks ?? 0;
    const contentIdx = out.flatMap((e, i) => (e.content ? [i] : []));
    // Insert before content chunk number after+1, or right after the last content chunk when there are fewer.
    const at = after < contentIdx.length ? contentIdx[after]! : (contentIdx.at(-1) ?? 0) + 1;
    out = [...out.slice(0, at), streamErrorEvent(format, step.streamError)];
  }
  return out;
}

function frame(e: SseEvent, step: Step, last: boolean): string {
  const nl = step.crlf ? '\r\n' : '\n';
  const comment = step.comments ? `: keep-alive${nl}` : '';
  let s = comment;
  if (e.event) s += `event: ${e.event}${nl}${comment}`;
  s += `data: ${e.data}${nl}`;
  return last && step.noTrailingBlank ? s : s + nl;
}

async function write(
  res: ServerResponse,
  text: string,
  step: Step,
  signal: AbortSignal,
  onSent?: (bytes: number) => void,
): Promise<void> {
  const buf = Buffer.from(text, 'utf8');
  const bytewise = step.bytewise || step.byteDelayMs !== undefined;
  const pieces = bytewise ? Array.from(buf, (b) => Buffer.of(b)) : [buf];
  for (const piece of pieces) {
    if (signal.aborted || res.destroyed) return;
    // Wait for each write to reach the socket so split writes really arrive as separate reads.
    await new Promise<void>((resolve) => res.write(piece, () => resolve()));
    onSent?.(piece.length);
    if (step.byteDelayMs) await sleep(step.byteDelayMs, signal);
    else if (bytewise) await new Promise((r) => setImmediate(r));
  }
}

/** A 200 SSE answer whose body is exactly `step.rawSse`. */
export async function writeRawSse(res: ServerResponse, step: Step, signal: AbortSignal) {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    ...step.headers,
  });
  await write(res, step.rawSse ?? '', step, signal);
  res.end();
}

export async function writeSse(
  res: ServerResponse,
  events: SseEvent[],
  step: Step,
  format: WireFormat,
  signal: AbortSignal,
  onSent?: (bytes: number) => void,
) {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    ...step.headers,
  });
  res.flushHeaders();
  const list = plan(events, step, format);
  if (step.comments) await write(res, `: stream opened${step.crlf ? '\r\n' : '\n'}`, step, signal);
  await sleep(step.firstChunkDelayMs, signal);
  let sent = 0; // content chunks written
  for (const [i, e] of list.entries()) {
    if (signal.aborted || res.destroyed) return;
    if (e.content && sent > 0) await sleep(step.chunkDelayMs, signal);
    await write(res, frame(e, step, i === list.length - 1), step, signal, onSent);
    if (e.content) sent++;
    if (e.content && step.cutAfter !== undefined && sent >= step.cutAfter) {
      // Let the bytes reach the client first, then drop the connection without ending the chunked body.
      await sleep(30, signal);
      res.socket?.destroy();
      return;
    }
  }
  res.end();
}

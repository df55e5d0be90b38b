// One streamed call to an upstream, under our clock and our limits: POST the body, read an error status's body
// (bounded) and let the provider's dialect classify it, or parse the event stream and hand the adapter its events
// a chunk at a time. Two timers per call: the connect timer until headers, then one idle timer, refreshed each time
// we wait for bytes — it runs only while we wait (a slow consumer is not a silent upstream), and sees bytes, not
// whole events (a server trickling one event over many writes is not silent either). Reading pulls one chunk at a
// time, so a consumer that stops reading (a paused pipe, a slow client) stops the socket too.
// Whatever stops the call — a timer, the caller, a limit — ends it with the UpstreamError for *that* reason.
import type { ClientRequest } from 'node:http';
import { UpstreamError } from '../core/errors.ts';
import type { AdapterCall } from '../core/types.ts';
import type { Dialect } from './dialects/types.ts';
import { DecodedTooLarge } from './transport/decode.ts';
import { HTML_PAGE_WORDS, htmlStart, SNIFF_BYTES, typedAsHtml } from './transport/html-page.ts';
import { post, type Answer } from './transport/http.ts';
import type { UpstreamLimits } from './transport/limits.ts';
import { proxyFor } from './transport/proxy.ts';
import { SseParser, type SseEvent } from './transport/sse.ts';
import { networkError, statusError, streamError } from './upstream-error.ts';

export type { SseEvent } from './transport/sse.ts';

export interface UpstreamRequest {
  url: string;
  headers: Record<string, string>;
  body: unknown;
  dialect: Dialect;
}

/** No provider's error body is this long; past it, the rest is not read. */
const MAX_ERROR_BODY = 64 * 1024;

type StopReason = 'connect' | 'idle' | 'caller' | 'limit';

/** What a request and its body are destroyed with when we stop them; never seen outside (fail() words it). */
class Stopped extends Error {}

/**
 * The stream's events, a batch per chunk of bytes read (one generator step per chunk, not per event). Throws an
 * UpstreamError for every failure: the status's own, the network's, or why we stopped.
 */
export async function* upstreamEvents(
  call: Pick<AdapterCall, 'provider' | 'apiKey' | 'signal' | 'timeouts'>,
  request: UpstreamRequest,
  limits: UpstreamLimits,
): AsyncGenerator<SseEvent[], void, undefined> {
  const provider = call.provider.id;
  const ctx = { secrets: [call.apiKey], dialect: request.dialect };
  if (call.signal?.aborted) throw stoppedError(provider, 'caller', call);
  let req: ClientRequest | undefined;
  let answer: Answer | undefined;
  let stopped: StopReason | undefined;
  let waiting = true;
  let limitHit = '';
  const stop = (why: StopReason) => {
    stopped ??= why;
    const reason = new Stopped(why);
    req?.destroy(reason);
    answer?.destroy(reason);
  };
  const onCallerAbort = () => stop('caller');
  call.signal?.addEventListener('abort', onCallerAbort, { once: true });
  let timer = setTimeout(() => stop('connect'), call.timeouts.connectMs);
  const fail = (err: unknown): UpstreamError => {
    if (stopped) return stoppedError(provider, stopped, call, limitHit);
    if (err instanceof UpstreamError) return err;
    if (err instanceof DecodedTooLarge) return tooMuch(provider, `more than ${err.limit} bytes once decoded`);
    return networkError(provider, err, ctx);
  };
  // A limit ends the exchange (its bytes are not read on) with the words of the limit.
  const overLimit = (what: string): UpstreamError => {
    limitHit = what;
    stop('limit');
    return fail(undefined);
  };
  let finished = false;
  try {
    const url = new URL(request.url);
    try {
      answer = await post({
        url,
        headers: request.headers,
        body: Buffer.from(JSON.stringify(request.body)),
        proxy: proxyFor(url, call.provider.proxy),
        maxDecodedBytes: limits.answerBytes,
        onRequest: (r) => {
          req = r;
        },
      });
    } catch (err) {
      throw fail(err);
    }
    clearTimeout(timer);
    if (stopped) throw fail(undefined);
    // The idle timer: fires only while we wait for bytes; while the consumer holds a batch it is pushed back.
    timer = setTimeout(function idle() {
      if (waiting) stop('idle');
      else timer = setTimeout(idle, call.timeouts.idleMs);
    }, call.timeouts.idleMs);

    const body = answer.body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    if (answer.status < 200 || answer.status >= 300) {
      const text = await readBounded(body, MAX_ERROR_BODY, () => timer.refresh()).catch((err) => {
        throw fail(err);
      });
      throw statusError(provider, answer.status, answer.headers, text, ctx);
    }
    if (typedAsHtml(answer.headers)) throw htmlPage(provider);
    const parser = new SseParser(limits.lineBytes);
    let bytes = 0;
    // The body's first bytes, kept until they tell an HTML page (sent with no type or a wrong one) from a stream.
    let head: Buffer | undefined = Buffer.alloc(0);
    for (;;) {
      let next: IteratorResult<Buffer>;
      waiting = true;
      timer.refresh();
      try {
        next = await body.next();
      } catch (err) {
        throw fail(err);
      } finally {
        waiting = false;
      }
      if (stopped) throw fail(undefined);
      if (next.done) break;
      bytes += next.value.length;
      if (bytes > limits.answerBytes) throw overLimit(`more than ${limits.answerBytes} bytes`);
      if (head) {
        head = Buffer.concat([head, next.value.subarray(0, SNIFF_BYTES)]);
        const html = htmlStart(head);
        if (html) throw htmlPage(provider);
        if (html === false) head = undefined;
      }
      const events = parser.push(next.value);
      if (events.length) yield events;
      if (parser.tooLong) throw overLimit(`a line longer than ${parser.maxLineBytes} bytes`);
    }
    const last = parser.end();
    if (last.length) yield last;
    finished = true;
  } finally {
    clearTimeout(timer);
    call.signal?.removeEventListener('abort', onCallerAbort);
    // The consumer stopped early or something failed: the connection is not reused.
    if (!finished) stop(stopped ?? 'caller');
  }
}

/** The error an event inside a 200 stream carried (the adapter throws it). */
export function eventError(provider: string, apiKey: string, dialect: Dialect, body: unknown): UpstreamError {
  return streamError(provider, body, { secrets: [apiKey], dialect });
}

async function readBounded(body: AsyncIterator<Buffer>, max: number, onBytes: () => void): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for (;;) {
    const next = await body.next();
    if (next.done) break;
    onBytes();
    chunks.push(next.value);
    size += next.value.length;
    if (size >= max) break;
  }
  void body.return?.();
  return Buffer.concat(chunks).toString('utf8', 0, Math.min(size, max));
}

/** Failed like a server error: the route falls back, as another provider may well be reachable. */
function htmlPage(provider: string): UpstreamError {
  return new UpstreamError({ provider, kind: 'protocol', message: `${provider}: ${HTML_PAGE_WORDS}` });
}

function tooMuch(provider: string, what: string): UpstreamError {
  return new UpstreamError({ provider, kind: 'protocol', message: `${provider}: upstream sent ${what}` });
}

function stoppedError(
  provider: string,
  why: StopReason,
  call: Pick<AdapterCall, 'timeouts'>,
  limitHit = '',
): UpstreamError {
  switch (why) {
    case 'caller':
      return new UpstreamError({ provider, kind: 'aborted', message: `${provider}: request cancelled` });
    case 'limit':
      return tooMuch(provider, limitHit);
    case 'connect':
      return new UpstreamError({
        provider,
        kind: 'timeout',
        message: `${provider}: no response within ${call.timeouts.connectMs} ms`,
      });
    case 'idle':
      return new UpstreamError({
        provider,
        kind: 'timeout',
        message: `${provider}: the stream went silent for more than ${call.timeouts.idleMs} ms`,
      });
  }
}

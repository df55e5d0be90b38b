// A loopback fake of the OpenAI chat-completions and Anthropic messages APIs, written from the wire formats and
// not from our adapters, so a test against it checks the adapters rather than echoing them.
// POST /v1/chat/completions is OpenAI, POST /v1/messages is Anthropic; each request consumes the next scripted
// Step (or answers a default success when the queue is empty) and is recorded.
// Control endpoints (for the standalone process): GET /__fake/requests, POST /__fake/script (a Step or Step[]).

import http from 'node:http';
import https from 'node:https';
import zlib from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { withinMaxTokens } from './answer.ts';
import { isErrorStep, renderError } from './faults.ts';
import { sleep, writeRawSse, writeSse } from './sse.ts';
import type { RecordedRequest, Step, WireFormat } from './types.ts';
import { anthropicJson, anthropicStream, openaiJson, openaiStream } from './wire.ts';

export interface FakeUpstream {
  /** e.g. http://127.0.0.1:40123 */
  url: string;
  port: number;
  /** `${url}/v1`: what an OpenAI client takes as baseURL. */
  openaiBaseUrl: string;
  /** `${url}`: what the Anthropic SDK takes as baseURL (it appends /v1/messages itself). */
  anthropicBaseUrl: string;
  /** Queues behaviours, one per upcoming chat request, consumed in order. */
  script(...steps: Step[]): void;
  /** Steps not consumed yet. */
  pending(): number;
  /** Drops every step not consumed yet (so one failed test cannot shift the script under the next). */
  clear(): void;
  /**
   * Answers each chat request the script does not, from what the request holds (a client's tool loop: see
   * turns.ts); undefined hands it on to the default step. Replaces the one given at start.
   */
  respondWith(responder: Responder | undefined): void;
  /** Every request received, oldest first (a live array; `requests.length = 0` clears it). */
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Chooses the answer to a request from its content, or leaves it to the default (undefined). */
export type Responder = (request: RecordedRequest) => Step | undefined;

export interface FakeUpstreamOptions {
  port?: number;
  steps?: Step[];
  /** The answer when the script is empty (default: a success with the default text). */
  defaultStep?: Step;
  /** Consulted when the script is empty, before defaultStep. */
  respond?: Responder;
  /** false: keep no record of requests (a benchmark sends too many to keep). */
  record?: boolean;
  /**
   * Runs when a chat request has arrived, before it is answered: a test does here what must happen while the
   * gateway waits on the provider (fill the disk under it), with no clock involved.
   */
  beforeAnswer?: (request: RecordedRequest) => void | Promise<void>;
  /** Serve https with this key and certificate (test/fixtures/tls) instead of plain http. */
  tls?: { key: string | Buffer; cert: string | Buffer };
}

const ROUTES: Record<string, WireFormat> = { '/v1/chat/completions': 'openai', '/v1/messages': 'anthropic' };

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  encoding?: Step['contentEncoding'],
) {
  const text = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const compress = { gzip: zlib.gzipSync, deflate: zlib.deflateSync, br: zlib.brotliCompressSync };
  res.writeHead(status, {
    'content-type': 'application/json',
    ...(encoding ? { 'content-encoding': encoding } : {}),
    ...headers,
  });
  res.end(encoding ? compress[encoding](text) : text);
}

export async function startFakeUpstream(options: FakeUpstreamOptions = {}): Promise<FakeUpstream> {
  const queue: Step[] = [...(options.steps ?? [])];
  const requests: RecordedRequest[] = [];
  const closing = new AbortController();
  let responder = options.respond;

  async function answer(req: http.IncomingMessage, res: http.ServerResponse, raw: string) {
    const path = (req.url ?? '/').split('?')[0]!;
    let body: any;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = undefined;
    }

    if (path === '/__fake/requests' && req.method === 'GET') return sendJson(res, 200, requests);
    if (path === '/__fake/script' && req.method === 'POST') {
      queue.push(...(Array.isArray(body) ? body : [body]));
      return sendJson(res, 200, { pending: queue.length });
    }

    const format = req.method === 'POST' ? (ROUTES[path] ?? null) : null;
    const record: RecordedRequest = {
      method: req.method ?? '',
      path,
      format,
      model: typeof body?.model === 'string' ? body.model : undefined,
      stream: body?.stream === true,
      authorization: header(req, 'authorization'),
      xApiKey: header(req, 'x-api-key'),
      headers: { ...req.headers },
      body,
      time: Date.now(),
    };
    if (options.record !== false) requests.push(record);

    if (req.method === 'GET' && path === '/v1/models') return sendJson(res, 200, modelList(req));
    if (!format)
      return sendJson(res, 404, {
        error: { message: `fake-upstream: no route ${req.method} ${path}`, type: 'not_found' },
      });

    // Stop writing when the client hangs up or the fake closes.
    const gone = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished && !closing.signal.aborted) record.hungUpEarly = true;
      gone.abort();
    });
    const signal = AbortSignal.any([gone.signal, closing.signal]);

    await options.beforeAnswer?.(record);
    const scripted = queue.shift() ?? responder?.(record) ?? options.defaultStep ?? {};
    const step = withinMaxTokens(scripted, body, format);
    if (step.stall) return; // never answer: close() or the client's timeout ends it
    await sleep(step.stallMs, signal);
    if (signal.aborted) return;

    if (isErrorStep(step)) {
      const { status, headers, body: text } = renderError(step, format);
      return sendJson(res, status, text, headers, step.contentEncoding);
    }
    if (step.rawSse !== undefined) return writeRawSse(res, step, signal);
    const model = typeof body?.model === 'string' ? body.model : 'fake-model';
    if (body?.stream === true) {
      const events =
        format === 'openai'
          ? openaiStream(step, model, body?.stream_options?.include_usage === true)
          : anthropicStream(step, model);
      record.sentBytes = 0;
      return writeSse(res, events, step, format, signal, (bytes) => {
        record.sentBytes = (record.sentBytes ?? 0) + bytes;
      });
    }
    await sleep(step.firstChunkDelayMs, signal);
    if (signal.aborted) return;
    return sendJson(
      res,
      200,
      format === 'openai' ? openaiJson(step, model) : anthropicJson(step, model),
      step.headers,
      step.contentEncoding,
    );
  }

  const handle = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      answer(req, res, Buffer.concat(parts).toString('utf8')).catch((err) => {
        if (!res.headersSent) sendJson(res, 500, { error: { message: `fake-upstream bug: ${String(err)}` } });
        else res.destroy();
      });
    });
  };
  const server = options.tls ? https.createServer(options.tls, handle) : http.createServer(handle);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;

  return {
    url,
    port,
    openaiBaseUrl: `${url}/v1`,
    anthropicBaseUrl: url,
    script: (...steps) => void queue.push(...steps),
    pending: () => queue.length,
    clear: () => void queue.splice(0),
    respondWith: (r) => void (responder = r),
    requests,
    close: async () => {
      closing.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function modelList(req: http.IncomingMessage) {
  if (req.headers['anthropic-version']) {
    return {
      data: [{ type: 'model', id: 'fake-claude', display_name: 'Fake Claude', created_at: '2025-01-01T00:00:00Z' }],
      has_more: false,
      first_id: 'fake-claude',
      last_id: 'fake-claude',
    };
  }
  return {
    object: 'list',
    data: [{ id: 'fake-model', object: 'model', created: 1735689600, owned_by: 'fake-upstream' }],
  };
}

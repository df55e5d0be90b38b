// The HTTP server: node:http, one handler that guards, routes and logs every request. The routes run the one
// gateway loop through the runtime; nothing here knows a provider, a key file or a terminal.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_BODY_LIMIT } from './body.ts';
import { chatRoute } from './chat-route.ts';
import { sendJson, type Exchange } from './exchange.ts';
import { checkHost, checkKey, checkOrigin, preflightHeaders, type GuardConfig } from './guard.ts';
import { GatewayError } from '../core/errors.ts';
import { httpErrorOf } from './error-map.ts';
import { HttpError } from './http-error.ts';
import { countTokensRoute, healthRoute, modelsRoute, quotaRoute } from './info-routes.ts';
import { createLimiter, type Limiter, type LimiterOptions } from './limiter.ts';
import {
  dashboardOverview,
  dashboardPage,
  dashboardRequests,
  dashboardScript,
  dashboardStyle,
  noFavicon,
} from './dashboard/routes.ts';
import { Metrics, type MetricsState } from './metrics.ts';
import type { RequestRecord } from '../core/request-record.ts';
import { requestRecordOf } from './request-record-of.ts';
import type { ChatTrace, LogEntry, RequestLog } from './request-log.ts';
import type { ServerRuntime } from './runtime-port.ts';
import { openAiResponsesWire } from '../protocols/openai-responses/wire.ts';
import { anthropicWire } from '../protocols/anthropic-messages/wire.ts';
import { openAiWire } from '../protocols/openai-chat/wire.ts';
import type { Wire } from './wire/wire.ts';

export interface ServerOptions {
  runtime: ServerRuntime;
  guard: GuardConfig;
  allowPaid: boolean;
  log: RequestLog;
  bodyLimit?: number;
  limits?: Partial<LimiterOptions>;
  /** Until a request's headers are complete (slow-loris). */
  headersTimeoutMs?: number;
  /** Until a request's body is complete. */
  requestTimeoutMs?: number;
  /** How long an idle keep-alive connection is kept. */
  keepAliveTimeoutMs?: number;
  /** How long a streaming client may leave the answer unread before it is cut (default: the upstream idle limit). */
  stalledReaderMs?: number;
  /** GET /metrics without the access key (`serve --metrics-public`, loopback only). */
  metricsPublic?: boolean;
  /** How often the dashboard's live list looks for new requests (default 500 ms). */
  feedPollMs?: number;
}

export interface GatewayServer {
  server: http.Server;
  limiter: Limiter;
  listen(port: number, host: string): Promise<AddressInfo>;
  /** Stop accepting; let answers in flight finish for up to `graceMs`, then cut them (usage is still recorded). */
  close(graceMs: number): Promise<void>;
}

/** As long as an upstream may stay silent mid-answer (runtime/timeouts.ts): a client gets the same patience. */
const DEFAULT_STALLED_READER_MS = 120_000;

/** How long finished requests wait to be written to the request log together. */
const REQUEST_LOG_DELAY_MS = 50;

export const DEFAULT_LIMITS: LimiterOptions = { maxConcurrent: 64, maxQueued: 256, maxWaitMs: 5_000 };

type Handler = (ex: Exchange) => Promise<void> | void;

/** A value that may fail to load (a broken key file) when all we need it for is scrubbing an error message. */
function safely<T>(load: () => T, fallback: T): T {
  try {
    return load();
  } catch {
    return fallback;
  }
}

export function createGatewayServer(options: ServerOptions): GatewayServer {
  const { runtime, guard, log } = options;
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const limiter = createLimiter({ ...DEFAULT_LIMITS, ...options.limits });
  const chatDeps = { runtime, limiter, bodyLimit, allowPaid: options.allowPaid };
  const inFlight = new Set<AbortController>();
  let closing = false;
  // Ends the dashboard's live lists when the server stops, so they do not hold the drain for its whole grace period.
  const stopping = new AbortController();
  const feed = { pollMs: options.feedPollMs ?? 500, stopping: stopping.signal };

  const routes: Record<string, Record<string, Handler>> = {
    // Clients probe the bare address before their first call (Claude Code sends HEAD /): alive, with no key needed.
    '/': { GET: healthRoute, HEAD: healthRoute },
    '/health': { GET: healthRoute },
    '/v1/models': { GET: (ex) => modelsRoute(ex, runtime) },
    '/quota': { GET: (ex) => quotaRoute(ex, runtime) },
    '/v1/chat/completions': { POST: (ex) => chatRoute(ex, openAiWire, chatDeps) },
    '/v1/messages': { POST: (ex) => chatRoute(ex, anthropicWire, chatDeps) },
    '/v1/responses': { POST: (ex) => chatRoute(ex, openAiResponsesWire, chatDeps) },
    '/v1/messages/count_tokens': { POST: (ex) => countTokensRoute(ex, runtime, bodyLimit) },
    '/metrics': { GET: (ex) => metricsRoute(ex) },
    '/ui': { GET: dashboardPage },
    '/ui/app.js': { GET: dashboardScript },
    '/ui/app.css': { GET: dashboardStyle },
    '/favicon.ico': { GET: noFavicon },
    '/ui/api/overview': { GET: (ex) => dashboardOverview(ex, runtime) },
    '/ui/api/requests': { GET: (ex) => dashboardRequests(ex, runtime, feed) },
  };
  const metrics = new Metrics(new Set(Object.keys(routes)));
  const unlogged: RequestRecord[] = [];
  let logTimer: NodeJS.Timeout | undefined;
  /** Routes without the access key: health, the dashboard's files (they hold no data), and metrics if so chosen. */
  const open = new Set([
    '/',
    '/health',
    '/ui',
    '/ui/app.js',
    '/ui/app.css',
    '/favicon.ico',
    ...(options.metricsPublic ? ['/metrics'] : []),
  ]);

  async function metricsRoute(ex: Exchange): Promise<void> {
    const quota = (await runtime.quotaReport()) as { tiers: MetricsState['tiers'] };
    const body = metrics.render({ inFlight: limiter.active, queued: limiter.queued, tiers: quota.tiers });
    ex.res.writeHead(200, {
      ...ex.baseHeaders,
      'content-type': 'text/plain; version=0.0.4; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
    });
    ex.res.end(body);
    ex.log.status = 200;
  }

  /** Each finished request: counted for /metrics and, when it asked the gateway, logged beside chat's requests. */
  function observe(entry: LogEntry, chat: ChatTrace | undefined): void {
    metrics.observe(entry, chat);
    if (!chat) return;
    unlogged.push(requestRecordOf(entry, chat));
    logTimer ??= setTimeout(writeRequestLog, REQUEST_LOG_DELAY_MS);
  }

  /**
   * Writes the requests that finished since the last write, in one transaction: the answers have gone out, and
   * a busy server pays one commit for many requests. Best effort, as chat's: the usage is already recorded, and a
   * ledger that cannot take these rows (a full disk) is said where it matters, with the usage or the next check.
   */
  function writeRequestLog(): Promise<void> {
    logTimer = undefined;
    const batch = unlogged.splice(0);
    return batch.length ? runtime.recordRequests(batch).catch(() => {}) : Promise.resolve();
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = performance.now();
    const path = (req.url ?? '/').split('?')[0]!;
    const wire: Wire = path.startsWith('/v1/messages')
      ? anthropicWire
      : path === '/v1/responses'
        ? openAiResponsesWire
        : openAiWire;
    const abort = new AbortController();
    const id = randomUUID();
    const ex: Exchange = {
      req,
      res,
      id,
      baseHeaders: { 'x-request-id': id },
      signal: abort.signal,
      log: {},
      stalledReaderMs: options.stalledReaderMs ?? DEFAULT_STALLED_READER_MS,
    };
    res.on('close', () => {
      if (!res.writableFinished) abort.abort(); // the client left before the answer was complete
    });
    inFlight.add(abort);
    try {
      checkHost(req, guard);
      Object.assign(ex.baseHeaders, checkOrigin(req.headers.origin, guard));
      const route = routes[path];
      if (req.method === 'OPTIONS' && req.headers.origin !== undefined) {
        res.writeHead(204, { ...ex.baseHeaders, ...preflightHeaders(req) });
        res.end();
        ex.log.status = 204;
        return;
      }
      if (!open.has(path)) checkKey(req, guard);
      if (!route)
        throw new HttpError(
          'not_found',
          `no route ${req.method} ${path.slice(0, 100)}; see GET /v1/models, POST /v1/chat/completions, POST /v1/messages, POST /v1/responses`,
          undefined,
          {},
          'not_found',
        );
      const handler = route[req.method ?? ''];
      if (!handler)
        throw new HttpError(
          'method_not_allowed',
          `${req.method} is not allowed on ${path}`,
          undefined,
          { allow: Object.keys(route).join(', ') },
          'method_not_allowed',
        );
      if (closing)
        throw new HttpError(
          'unavailable',
          'the server is shutting down',
          undefined,
          { connection: 'close' },
          'shutting_down',
        );
      await handler(ex);
    } catch (err) {
      const failure = httpErrorOf(err, { secrets: safely(() => runtime.secrets(), []) });
      if (!(err instanceof HttpError) && !(err instanceof GatewayError))
        ex.log.error = `bug: ${err instanceof Error ? err.message : String(err)}`;
      else ex.log.error ??= failure.message;
      // A refused body is not read to its end: close the connection rather than let the client keep sending.
      const close: Record<string, string> = failure.kind === 'request_too_large' ? { connection: 'close' } : {};
      // A browser from a foreign origin gets no CORS headers at all.
      const base = failure.kind === 'permission' ? { 'x-request-id': id } : ex.baseHeaders;
      if (!res.headersSent && !res.destroyed) {
        ex.baseHeaders = base;
        sendJson(ex, failure.status, wire.errorBody(failure), { ...failure.headers, ...close });
        if (failure.kind === 'request_too_large') res.on('finish', () => req.socket.destroy());
      }
      ex.log.status ??= failure.status;
    } finally {
      inFlight.delete(abort);
      const entry: LogEntry = {
        id,
        method: req.method ?? '',
        route: path.slice(0, 100),
        status: ex.log.status ?? 500,
        ...ex.log,
        ms: performance.now() - started,
      } as LogEntry;
      log(entry);
      observe(entry, ex.chat);
    }
  }

  const headersTimeout = options.headersTimeoutMs ?? 10_000;
  const server = http.createServer(
    {
      headersTimeout,
      requestTimeout: Math.max(headersTimeout, options.requestTimeoutMs ?? 60_000),
      keepAliveTimeout: options.keepAliveTimeoutMs ?? 5_000,
      // How often the two timeouts above are checked (Node's default, 30 s, would let them overrun by that much).
      connectionsCheckingInterval: Math.min(1_000, Math.max(50, headersTimeout / 4)),
    },
    (req, res) => void handle(req, res),
  );

  return {
    server,
    limiter,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve(server.address() as AddressInfo);
        });
      });
    },
    async close(graceMs) {
      closing = true;
      stopping.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const deadline = Date.now() + graceMs;
      while (inFlight.size > 0 && Date.now() < deadline) {
        server.closeIdleConnections();
        await new Promise((r) => setTimeout(r, 50));
      }
      // Past the grace period: cut what is left; the gateway records the usage of each cut answer.
      for (const abort of inFlight) abort.abort();
      const settled = Date.now() + 2_000;
      while (inFlight.size > 0 && Date.now() < settled) await new Promise((r) => setTimeout(r, 20));
      server.closeAllConnections();
      await closed;
      clearTimeout(logTimer);
      await writeRequestLog();
    },
  };
}

// One POST to an upstream on node:http(s), nothing in between: keep-alive pools per origin (one agent per protocol,
// and one per proxy, each pooling by host and port), a proxy reached with CONNECT (proxy.ts), redirects within
// the base URL's origin followed, and a compressed body decoded under a cap. node:https (and TLS) loads only for an
// https URL or proxy tunnel; node:zlib only for a compressed answer: a one-shot command to a local server pays
// for neither.
import {
  Agent,
  request,
  type ClientRequest,
  type ClientRequestArgs,
  type IncomingHttpHeaders,
  type IncomingMessage,
} from 'node:http';
import { connect as netConnect } from 'node:net';
import type { Duplex, Readable } from 'node:stream';
import type { ProxyServer } from './proxy.ts';

/** A network failure before any answer: refused, reset, DNS, a proxy that would not connect. */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** Why a redirect was not followed: it led to another origin, where neither the key nor the prompt may go. */
export const CROSS_ORIGIN = 'ERR_LLMGW_CROSS_ORIGIN_REDIRECT';

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body, decoded from its Content-Encoding (at most `maxDecodedBytes`, else it errors). */
  body: Readable;
  /** Ends the exchange now (a timer fired, the caller left): the body errors with `reason`. */
  destroy(reason: Error): void;
}

export interface Post {
  url: URL;
  headers: Record<string, string>;
  body: Buffer;
  proxy?: ProxyServer;
  maxDecodedBytes: number;
  /** Called with the request as soon as it exists, so a timer can end it before the answer. */
  onRequest(req: ClientRequest): void;
}

const MAX_REDIRECTS = 5;

let httpAgent: Agent | undefined;
let httpsAgent: Agent | undefined;
const tunnels = new Map<string, Agent>();
let tls: typeof import('node:tls') | undefined;

async function agentFor(url: URL, proxy: ProxyServer | undefined): Promise<Agent> {
  const secure = url.protocol === 'https:';
  if (!secure && url.protocol !== 'http:') throw new TransportError(`unsupported protocol ${url.protocol}`);
  if (secure) tls ??= await import('node:tls');
  if (proxy) {
    const id = `${url.protocol}${proxy.label}\n${proxy.authorization ?? ''}`;
    let agent = tunnels.get(id);
    if (!agent) {
      agent = new TunnelAgent(proxy, secure ? tls : undefined);
      tunnels.set(id, agent);
    }
    return agent;
  }
  if (!secure) return (httpAgent ??= new Agent({ keepAlive: true }));
  httpsAgent ??= new (await import('node:https')).Agent({ keepAlive: true });
  return httpsAgent;
}

/** POSTs `body` and resolves with the answer's status, headers and decoded body; rejects on network failure. */
export async function post(p: Post): Promise<Answer> {
  const origin = p.url.origin; // the one the key and the prompt were meant for
  let url = p.url;
  let method = 'POST';
  let body: Buffer | undefined = p.body;
  const headers = { ...p.headers };
  for (let hops = 0; ; hops++) {
    const res = await send(url, method, headers, body, await agentFor(url, p.proxy), p.onRequest);
    const status = res.statusCode ?? 502;
    const location = res.headers.location;
    if (!isRedirect(status) || !location) return answer(res, p.maxDecodedBytes);
    res.resume(); // the redirect's own body
    if (hops >= MAX_REDIRECTS) throw new TransportError(`redirected more than ${MAX_REDIRECTS} times`);
    const next = new URL(location, url);
    if (next.origin !== origin) {
      // The base URL is wrong (a moved API, a captive portal, a proxy's login page): say so, send nothing there.
      throw new TransportError(
        `redirected to another origin (${next.origin}), not followed: the key and the prompt are only sent to ${origin}; check the base URL`,
        CROSS_ORIGIN,
      );
    }
    // 303, and 301/302 after a POST, turn into a GET without a body (as fetch does); 307 and 308 repeat the POST.
    if (status === 303 || status === 301 || status === 302) {
      method = 'GET';
      body = undefined;
      delete headers['content-type'];
    }
    url = next;
  }
}

function send(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: Buffer | undefined,
  agent: Agent,
  onRequest: (req: ClientRequest) => void,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port || (url.protocol === 'https:' ? 443 : 80),
        path: url.pathname + url.search,
        method,
        headers: body ? { ...headers, 'content-length': String(body.byteLength) } : headers,
        agent,
        // A tunnel carries TLS inside what node:http sees as a plain connection; our https agent makes TLS itself.
        ...(url.protocol === 'https:' && !(agent instanceof TunnelAgent) ? { protocol: 'https:' } : {}),
      },
      resolve,
    );
    req.once('error', (err: NodeJS.ErrnoException) => reject(err instanceof TransportError ? err : networkError(err)));
    onRequest(req);
    req.end(body);
  });
}

function networkError(err: NodeJS.ErrnoException): TransportError {
  return new TransportError(err.message, err.code);
}

const isRedirect = (status: number) =>
  status === 301 || status === 302 || status === 303 || status === 307 || status === 308;

const CODINGS = new Set(['gzip', 'x-gzip', 'br', 'deflate']);

async function answer(res: IncomingMessage, maxDecodedBytes: number): Promise<Answer> {
  const codings = (res.headers['content-encoding'] ?? '')
    .toLowerCase()
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c && c !== 'identity');
  const status = res.statusCode ?? 502;
  // A coding we do not know is passed on as it came (as fetch does): its bytes will not parse, and say so.
  if (codings.length === 0 || !codings.every((c) => CODINGS.has(c)))
    return { status, headers: res.headers, body: res, destroy: (reason) => res.destroy(reason) };
  const { decoded } = await import('./decode.ts');
  const body = decoded(res, codings, maxDecodedBytes);
  return {
    status,
    headers: res.headers,
    body,
    destroy: (reason) => {
      res.destroy(reason);
      body.destroy(reason);
    },
  };
}

/**
 * Connections through an HTTP proxy: CONNECT host:port, then the request (inside TLS for an https URL) on the
 * tunnel, kept alive in this agent's pool like any other connection. Every URL — http too — goes through CONNECT:
 * one way for both, and the proxy never sees the request, its key or its prompt.
 */
class TunnelAgent extends Agent {
  constructor(
    private readonly proxy: ProxyServer,
    private readonly tlsModule: typeof import('node:tls') | undefined,
  ) {
    super({ keepAlive: true });
  }

  // Node's Agent takes a socket made later through the callback (its createSocket passes one).
  override createConnection(
    options: ClientRequestArgs & { servername?: string },
    callback?: (err: Error | null, socket: Duplex) => void,
  ): undefined {
    const done = callback ?? (() => {});
    const host = options.host ?? 'localhost';
    const target = `${host.includes(':') ? `[${host}]` : host}:${options.port}`;
    const socket = netConnect({ host: this.proxy.host, port: this.proxy.port });
    const fail = (message: string, code?: string) => {
      socket.destroy();
      done(new TransportError(`proxy ${this.proxy.label}: ${message}`, code), socket);
    };
    socket.once('error', (err: NodeJS.ErrnoException) => fail(err.message, err.code));
    socket.once('connect', () => {
      const auth = this.proxy.authorization ? `proxy-authorization: ${this.proxy.authorization}\r\n` : '';
      socket.write(`CONNECT ${target} HTTP/1.1\r\nhost: ${target}\r\n${auth}\r\n`);
    });
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > 16 * 1024) fail('its answer to CONNECT has no end');
        return;
      }
      socket.off('data', onData);
      socket.removeAllListeners('error');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head.toString('latin1', 0, end))?.[1]);
      if (status !== 200) return fail(`CONNECT ${target} answered ${Number.isFinite(status) ? status : 'nonsense'}`);
      if (end + 4 < head.length) socket.unshift(head.subarray(end + 4));
      if (!this.tlsModule) return done(null, socket);
      const servername = options.servername ?? (isIp(host) ? undefined : host);
      const secure = this.tlsModule.connect({
        socket,
        ...(servername ? { servername } : {}),
        ALPNProtocols: ['http/1.1'],
      });
      secure.once('secureConnect', () => done(null, secure));
      secure.once('error', (err) => done(err, secure));
    };
    socket.on('data', onData);
    return undefined;
  }
}

const isIp = (host: string) => /^[\d.]+$/.test(host) || host.includes(':');

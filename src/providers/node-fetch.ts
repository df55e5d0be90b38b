// The fetch both SDKs are given: the same contract as the global fetch, on node:http(s). Node 20's fetch runs its
// HTTP parser in WebAssembly; compiling it costs a one-shot command ~30 ms before its first request, and V8 keeps
// optimising it on a background thread that the process then waits for at exit (~50 ms after the last byte). A
// CLI that makes one request pays both every time; node:http has its parser built in. Everything the SDKs read or
// pass behaves as the global fetch does: status, headers, a web ReadableStream body, AbortSignal,
// `TypeError('fetch failed', {cause})` on network errors, redirects followed, a `Request` as input, bodies of every
// BodyInit kind (streams and async iterables included), and compressed responses decoded (content-encoding.ts).
import { request as httpRequest, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { Readable } from 'node:stream';
import { decodedBody } from './content-encoding.ts';
import { requestBody, type Body } from './request-body.ts';

type Requester = (url: URL, options: RequestOptions, onResponse: (res: IncomingMessage) => void) => ClientRequest;

const MAX_REDIRECTS = 5;
/**
 * The only headers that follow a redirect to another origin. The fetch standard drops Authorization there; we keep
 * nothing that could carry a secret — a key may travel in any header a provider names (`--auth-header`).
 */
const CROSS_ORIGIN_HEADERS = new Set([
  'accept',
  'accept-encoding',
  'accept-language',
  'content-type',
  'content-length',
  'user-agent',
  'anthropic-version',
  'anthropic-beta',
]);

/**
 * The cause of the fetch failure thrown when a redirect to another origin ends in 401 or 403. The key was not sent
 * there, so the refusal says nothing about it: it is the endpoint that is wrong (a moved API, a captive portal, a
 * proxy), and the SDK, given a network error, reports a connection failure rather than a rejected key.
 */
export class RedirectedRefusal extends Error {
  readonly code = REDIRECTED_REFUSAL;
  constructor(origin: string, status: number) {
    super(
      `redirected to another origin (${origin}), which answered ${status}; the key is never sent there, so check the base URL`,
    );
  }
}
export const REDIRECTED_REFUSAL = 'ERR_LLMGW_REDIRECTED_REFUSAL';

let httpsRequest: Requester | undefined;

/** node:https (and TLS with it) loads only for an https URL: the local and test upstreams are plain http. */
async function requesterFor(url: URL): Promise<Requester> {
  if (url.protocol === 'http:') return httpRequest;
  if (url.protocol !== 'https:') throw new TypeError(`fetch failed: unsupported protocol ${url.protocol}`);
  httpsRequest ??= (await import('node:https')).request;
  return httpsRequest;
}

export const nodeFetch: typeof fetch = async (input, init = {}) => {
  // A Request gives everything init does not (as `new Request(input, init)` would): method, headers, body, signal.
  const from = input instanceof Request ? input : undefined;
  let url = new URL(from ? from.url : input instanceof URL ? input.href : String(input));
  let method = (init.method ?? from?.method ?? 'GET').toUpperCase();
  const headers: Record<string, string> = Object.fromEntries(new Headers(init.headers ?? from?.headers));
  // We decode what arrives compressed anyway, but ask for none: an answer streamed token by token gains nothing
  // from compression, and a proxy might hold compressed bytes back.
  headers['accept-encoding'] ??= 'identity';
  let body: Body | undefined = await requestBody(init.body !== undefined ? init.body : (from?.body ?? null), headers);
  const signal = init.signal ?? from?.signal ?? undefined;
  const redirect = init.redirect ?? from?.redirect ?? 'follow';
  const origin = url.origin; // the one the credentials were given for
  for (let hops = 0; ; hops++) {
    signal?.throwIfAborted();
    const res = await send(await requesterFor(url), url, method, headers, body, signal);
    const location = res.headers.location;
    if (!isRedirect(res.statusCode) || !location || redirect === 'manual') {
      if (url.origin !== origin && (res.statusCode === 401 || res.statusCode === 403)) {
        res.resume();
        throw new TypeError('fetch failed', { cause: new RedirectedRefusal(url.origin, res.statusCode) });
      }
      return await toResponse(res, method, signal);
    }
    res.resume(); // drain the redirect's own body
    if (redirect === 'error' || hops >= MAX_REDIRECTS) {
      throw new TypeError('fetch failed', {
        cause: new Error(`redirected more than ${MAX_REDIRECTS} times, or redirects refused`),
      });
    }
    const next = new URL(location, url);
    if (next.origin !== url.origin)
      for (const name of Object.keys(headers)) if (!CROSS_ORIGIN_HEADERS.has(name)) delete headers[name];
    // 303, and 301/302 after a POST, turn into a GET without a body; 307 and 308 repeat the request as it was —
    // which a streamed body, already consumed, cannot be (the fetch standard fails there too).
    if (res.statusCode === 303 || ((res.statusCode === 301 || res.statusCode === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
      delete headers['content-type'];
      delete headers['content-length'];
    } else if (body instanceof Readable) {
      throw new TypeError('fetch failed', { cause: new Error('cannot repeat a streamed request body for a redirect') });
    }
    url = next;
  }
};

function send(
  request: Requester,
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: Body | undefined,
  signal: AbortSignal | undefined,
): Promise<IncomingMessage> {
  // A body of known length says so; a streamed one goes out chunked.
  const sent = Buffer.isBuffer(body) ? { ...headers, 'content-length': String(body.byteLength) } : headers;
  return new Promise((resolve, reject) => {
    let response: IncomingMessage | undefined;
    const onAbort = () => {
      const reason = signal?.reason ?? new DOMException('This operation was aborted', 'AbortError');
      req.destroy(reason);
      if (body instanceof Readable) body.destroy();
      response?.destroy(reason); // errors the body stream the SDK is reading
      reject(reason);
    };
    const done = () => signal?.removeEventListener('abort', onAbort);
    const req = request(url, { method, headers: sent }, (res) => {
      response = res;
      res.once('close', done);
      resolve(res);
    });
    req.once('error', (err) => {
      done();
      // As the global fetch does: one TypeError, the network error as its cause (ECONNREFUSED, ECONNRESET, …).
      reject(signal?.aborted ? signal.reason : new TypeError('fetch failed', { cause: err }));
    });
    signal?.addEventListener('abort', onAbort, { once: true });
    if (body instanceof Readable) {
      // A failing body source fails the request, with its error as the cause.
      body.once('error', (err) => req.destroy(err));
      body.pipe(req);
    } else {
      req.end(body);
    }
  });
}

const isRedirect = (status: number | undefined) =>
  status === 301 || status === 302 || status === 303 || status === 307 || status === 308;

async function toResponse(res: IncomingMessage, method: string, signal: AbortSignal | undefined): Promise<Response> {
  const status = res.statusCode ?? 502;
  const nullBody = method === 'HEAD' || status === 204 || status === 304;
  if (nullBody) res.resume();
  const headers = new Headers();
  for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) headers.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
  let body: ReadableStream<Uint8Array> | null = null;
  if (!nullBody) {
    const decoded = await decodedBody(res, headers.get('content-encoding'));
    if (decoded !== res) {
      // An abort errors the decoded stream the SDK reads, as it errors `res` itself.
      const onAbort = () => decoded.destroy(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      decoded.once('close', () => signal?.removeEventListener('abort', onAbort));
    }
    body = Readable.toWeb(decoded) as ReadableStream<Uint8Array>;
  }
  return new Response(body, { status, statusText: res.statusMessage, headers });
}

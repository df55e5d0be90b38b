// The fetch both SDKs are given: the same contract as the global fetch, on node:http(s). Node 20's fetch runs its
// HTTP parser in WebAssembly; compiling it costs a one-shot command ~30 ms before its first request, and V8 keeps
// optimising it on a background thread that the process then waits for at exit (~50 ms after the last byte). A
// CLI that makes one request pays both every time; node:http has its parser built in. Everything the SDKs read —
// status, headers, a web ReadableStream body, AbortSignal, `TypeError('fetch failed', {cause})` on network errors,
// redirects followed — behaves as the global fetch does.
import { request as httpRequest, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { Readable } from 'node:stream';

type Requester = (url: URL, options: RequestOptions, onResponse: (res: IncomingMessage) => void) => ClientRequest;

const MAX_REDIRECTS = 5;
/** Credentials never follow a redirect to another origin (as the fetch standard does for Authorization). */
const CREDENTIAL_HEADERS = ['authorization', 'x-api-key', 'cookie'];

let httpsRequest: Requester | undefined;

/** node:https (and TLS with it) loads only for an https URL: the local and test upstreams are plain http. */
async function requesterFor(url: URL): Promise<Requester> {
  if (url.protocol === 'http:') return httpRequest;
  if (url.protocol !== 'https:') throw new TypeError(`fetch failed: unsupported protocol ${url.protocol}`);
  httpsRequest ??= (await import('node:https')).request;
  return httpsRequest;
}

export const nodeFetch: typeof fetch = async (input, init = {}) => {
  let url = new URL(input instanceof Request ? input.url : String(input));
  let method = (init.method ?? 'GET').toUpperCase();
  let body = requestBody(init.body);
  const headers: Record<string, string> = Object.fromEntries(new Headers(init.headers));
  const signal = init.signal ?? undefined;
  for (let hops = 0; ; hops++) {
    signal?.throwIfAborted();
    const res = await send(await requesterFor(url), url, method, headers, body, signal);
    const location = res.headers.location;
    if (!isRedirect(res.statusCode) || !location || init.redirect === 'manual') return toResponse(res, method);
    res.resume(); // drain the redirect's own body
    if (init.redirect === 'error' || hops >= MAX_REDIRECTS) {
      throw new TypeError('fetch failed', { cause: new Error(`redirected more than ${MAX_REDIRECTS} times, or redirects refused`) });
    }
    const next = new URL(location, url);
    if (next.origin !== url.origin) for (const name of CREDENTIAL_HEADERS) delete headers[name];
    // 303, and 301/302 after a POST, turn into a GET without a body; 307 and 308 repeat the request as it was.
    if (res.statusCode === 303 || ((res.statusCode === 301 || res.statusCode === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
      delete headers['content-type'];
    }
    url = next;
  }
};

function send(
  request: Requester,
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: Buffer | undefined,
  signal: AbortSignal | undefined,
): Promise<IncomingMessage> {
  const sent = body === undefined ? headers : { ...headers, 'content-length': String(body.byteLength) };
  return new Promise((resolve, reject) => {
    let response: IncomingMessage | undefined;
    const onAbort = () => {
      const reason = signal?.reason ?? new DOMException('This operation was aborted', 'AbortError');
      req.destroy(reason);
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
    req.end(body);
  });
}

const isRedirect = (status: number | undefined) => status === 301 || status === 302 || status === 303 || status === 307 || status === 308;

function toResponse(res: IncomingMessage, method: string): Response {
  const status = res.statusCode ?? 502;
  const nullBody = method === 'HEAD' || status === 204 || status === 304;
  if (nullBody) res.resume();
  const headers = new Headers();
  for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) headers.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
  return new Response(nullBody ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>), {
    status,
    statusText: res.statusMessage,
    headers,
  });
}

function requestBody(body: RequestInit['body']): Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError('nodeFetch sends string and byte bodies only');
}

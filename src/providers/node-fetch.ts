// The fetch both SDKs are given: the same contract as the global fetch, on node:http(s). Node 20's fetch runs its
// HTTP parser in WebAssembly; compiling it costs a one-shot command ~30 ms before its first request, and V8 keeps
// optimising it on a background thread that the process then waits for at exit (~50 ms after the last byte). A
// CLI that makes one request pays both every time; node:http has its parser built in. Everything the SDKs read —
// status, headers, a web ReadableStream body, AbortSignal, `TypeError('fetch failed', {cause})` on network errors —
// behaves as the global fetch does.
import { request as httpRequest, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { Readable } from 'node:stream';

type Requester = (url: URL, options: RequestOptions, onResponse: (res: IncomingMessage) => void) => ClientRequest;

let httpsRequest: Requester | undefined;

/** node:https (and TLS with it) loads only for an https URL: the local and test upstreams are plain http. */
async function requesterFor(url: URL): Promise<Requester> {
  if (url.protocol === 'http:') return httpRequest;
  if (url.protocol !== 'https:') throw new TypeError(`fetch failed: unsupported protocol ${url.protocol}`);
  httpsRequest ??= (await import('node:https')).request;
  return httpsRequest;
}

export const nodeFetch: typeof fetch = async (input, init = {}) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  const signal = init.signal ?? undefined;
  signal?.throwIfAborted();
  const body = requestBody(init.body);
  const headers = Object.fromEntries(new Headers(init.headers));
  if (body !== undefined) headers['content-length'] = String(body.byteLength);
  const request = await requesterFor(url);

  return new Promise<Response>((resolve, reject) => {
    let response: IncomingMessage | undefined;
    const onAbort = () => {
      const reason = signal?.reason ?? new DOMException('This operation was aborted', 'AbortError');
      req.destroy(reason);
      response?.destroy(reason); // errors the body stream the SDK is reading
      reject(reason);
    };
    const done = () => signal?.removeEventListener('abort', onAbort);
    const req = request(url, { method: init.method ?? 'GET', headers }, (res) => {
      response = res;
      res.once('close', done);
      const status = res.statusCode ?? 502;
      const nullBody = init.method === 'HEAD' || status === 204 || status === 304;
      if (nullBody) res.resume();
      resolve(
        new Response(nullBody ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>), {
          status,
          statusText: res.statusMessage,
          headers: responseHeaders(res.rawHeaders),
        }),
      );
    });
    req.once('error', (err) => {
      done();
      // As the global fetch does: one TypeError, the network error as its cause (ECONNREFUSED, ECONNRESET, …).
      reject(signal?.aborted ? signal.reason : new TypeError('fetch failed', { cause: err }));
    });
    signal?.addEventListener('abort', onAbort, { once: true });
    req.end(body);
  });
};

function requestBody(body: RequestInit['body']): Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError('nodeFetch sends string and byte bodies only');
}

function responseHeaders(raw: string[]): Headers {
  const headers = new Headers();
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  return headers;
}

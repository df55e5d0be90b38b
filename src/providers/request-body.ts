// Request bodies of every kind the fetch standard takes (BodyInit), as node:http sends them: bytes of a known length,
// or a stream sent chunked. The SDKs pass JSON strings for chat, and FormData, Blobs, ReadableStreams or async
// iterables for uploads; a `Request` given as input brings its body as a ReadableStream.
import { Readable } from 'node:stream';

/** Bytes (sent with their length), or a stream (sent chunked). */
export type Body = Buffer | Readable;

/**
 * The bytes or the stream to send for `body`. Sets the content-type the standard derives from the body (form data
 * with its boundary, URL-encoded parameters, a Blob's type) when the caller set none.
 */
export async function requestBody(body: unknown, headers: Record<string, string>): Promise<Body | undefined> {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof URLSearchParams) {
    headers['content-type'] ??= 'application/x-www-form-urlencoded;charset=UTF-8';
    return Buffer.from(body.toString());
  }
  if (body instanceof Blob) {
    if (body.type) headers['content-type'] ??= body.type;
    return Buffer.from(await body.arrayBuffer());
  }
  if (body instanceof FormData) {
    // The standard's own encoding (multipart with a fresh boundary), as the global fetch would send it.
    const encoded = new Response(body);
    headers['content-type'] ??= encoded.headers.get('content-type')!;
    return Readable.fromWeb(encoded.body! as import('node:stream/web').ReadableStream<Uint8Array>);
  }
  if (body instanceof ReadableStream)
    return Readable.fromWeb(body as import('node:stream/web').ReadableStream<Uint8Array>);
  if (body instanceof Readable) return body;
  if (typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    // Chunks of bytes or strings, as Node's own fetch takes them.
    return Readable.from(body as AsyncIterable<unknown>, { objectMode: false });
  }
  throw new TypeError(`fetch cannot send a body of type ${Object.prototype.toString.call(body).slice(8, -1)}`);
}

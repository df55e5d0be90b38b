// Response bodies as the global fetch hands them over: decoded from the Content-Encoding they arrived in. We ask for
// none (`accept-encoding: identity`), but a server or proxy may compress anyway, and a gzip error body read as text
// would reach the error classifier as binary (a context-length error misread as some other 400).
// Decoding is lenient at the end, as undici's is: a body cut short yields what could be decoded. node:zlib loads only
// when a response is compressed (it costs a one-shot command several ms).
import { pipeline, Transform, type Readable, type TransformCallback } from 'node:stream';

type Zlib = typeof import('node:zlib');

const KNOWN = new Set(['gzip', 'x-gzip', 'br', 'deflate']);

/** `res` itself when nothing needs decoding (or a coding is one we do not know, which fetch leaves as it is). */
export async function decodedBody(res: Readable, contentEncoding: string | null): Promise<Readable> {
  const codings = (contentEncoding ?? '')
    .toLowerCase()
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c && c !== 'identity');
  if (codings.length === 0 || !codings.every((c) => KNOWN.has(c))) return res;
  const zlib = await import('node:zlib');
  // Applied in the order listed, so undone in reverse.
  const stages = codings.reverse().map((c) => decoder(zlib, c));
  return pipeline([res, ...stages], () => {}) as unknown as Readable;
}

function decoder(zlib: Zlib, coding: string): Transform {
  const flush = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };
  if (coding === 'br') {
    return zlib.createBrotliDecompress({
      flush: zlib.constants.BROTLI_OPERATION_FLUSH,
      finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH,
    });
  }
  if (coding === 'deflate') return new Inflate(zlib, flush);
  return zlib.createGunzip(flush);
}

/**
 * `deflate` is meant as zlib-wrapped, but some servers send raw deflate: the first byte tells (a zlib header has
 * compression method 8 in its low nibble), as browsers and undici check too.
 */
class Inflate extends Transform {
  private inner?: Transform;

  constructor(
    private readonly zlib: Zlib,
    private readonly options: import('node:zlib').ZlibOptions,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (chunk.length === 0) return callback();
    if (!this.inner) {
      this.inner =
        (chunk[0]! & 0x0f) === 0x08 ? this.zlib.createInflate(this.options) : this.zlib.createInflateRaw(this.options);
      this.inner.on('data', (d: Buffer) => this.push(d));
      this.inner.on('error', (err) => this.destroy(err));
    }
    this.inner.write(chunk, () => callback());
  }

  override _flush(callback: TransformCallback): void {
    if (!this.inner) return callback();
    this.inner.once('end', () => callback());
    this.inner.end();
  }
}

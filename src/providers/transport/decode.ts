// A compressed answer decoded as it arrives, under a cap. We ask for no compression (`accept-encoding: identity`),
// but a server or proxy may compress anyway, and an error body read as binary would be misclassified. Decoding is
// lenient at the end, as undici's is: a body cut short yields what could be decoded. A small body may decode to a
// huge one (1 MB of gzip to 1 GiB): past `maxBytes` of output the body errors instead.
import * as zlib from 'node:zlib';
import { pipeline, Transform, type Readable, type TransformCallback } from 'node:stream';

/** The decoded output grew past the cap. */
export class DecodedTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`more than ${limit} bytes once decoded`);
  }
}

/** `codings` as listed in Content-Encoding (all known ones); undone in reverse order. */
export function decoded(res: Readable, codings: string[], maxBytes: number): Readable {
  const stages = [...codings].reverse().map(decoder);
  return pipeline([res, ...stages, new Cap(maxBytes)], () => {}) as unknown as Readable;
}

const SYNC = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };

function decoder(coding: string): Transform {
  if (coding === 'br') {
    return zlib.createBrotliDecompress({
      flush: zlib.constants.BROTLI_OPERATION_FLUSH,
      finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH,
    });
  }
  if (coding === 'deflate') return new Inflate();
  return zlib.createGunzip(SYNC);
}

class Cap extends Transform {
  private bytes = 0;

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    callback(this.bytes > this.maxBytes ? new DecodedTooLarge(this.maxBytes) : null, chunk);
  }
}

/**
 * `deflate` is meant as zlib-wrapped, but some servers send raw deflate: the first byte tells (a zlib header has
 * compression method 8 in its low nibble), as browsers and undici check too.
 */
class Inflate extends Transform {
  private inner?: Transform;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (chunk.length === 0) return callback();
    if (!this.inner) {
      this.inner = (chunk[0]! & 0x0f) === 0x08 ? zlib.createInflate(SYNC) : zlib.createInflateRaw(SYNC);
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

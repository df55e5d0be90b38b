// Server-sent events over raw bytes (html.spec.whatwg.org/multipage/server-sent-events.html, "Parsing an event
// stream"): lines end in LF, CRLF or CR; `data:` lines accumulate, a blank line dispatches, `event:` names the
// event, comments (`:`) and `id:`/`retry:` are read and dropped (we never reconnect). Lines are found in the bytes
// and decoded whole, so a character split across two chunks is never broken.
// A line is bounded: a server that never ends one would otherwise grow one string for ever, and re-scanning a
// growing line costs quadratic time — each chunk is scanned once, and the pieces of an unfinished line are only
// joined when it ends.

export interface SseEvent {
  /** The `event:` field; '' when the event named none (OpenAI's chunks). */
  event: string;
  /** The `data:` lines, joined with '\n'. */
  data: string;
}

const LF = 10;
const CR = 13;

export class SseParser {
  /** Pieces of the line not ended yet, and their total length. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** The last chunk ended in CR: an LF opening the next chunk belongs to that line ending. */
  private afterCr = false;
  private event = '';
  private data: string[] = [];
  /** A line grew past the limit: nothing more is parsed (the events before it were delivered). */
  tooLong = false;

  constructor(readonly maxLineBytes: number) {}

  /** The events the chunk completes, in order (often none, often one); none once a line was too long. */
  push(chunk: Buffer): SseEvent[] {
    const out: SseEvent[] = [];
    if (this.tooLong) return out;
    let start = 0;
    if (this.afterCr && chunk[0] === LF) start = 1;
    this.afterCr = false;
    for (;;) {
      const end = lineEnd(chunk, start);
      if (end < 0) break;
      const line = this.take(chunk, start, end);
      if (line === undefined) return out;
      this.line(line, out);
      start = end + 1;
      if (chunk[end] === CR) {
        if (start === chunk.length) this.afterCr = true;
        else if (chunk[start] === LF) start++;
      }
    }
    if (start < chunk.length) {
      this.pendingBytes += chunk.length - start;
      if (this.pendingBytes > this.maxLineBytes) this.refuse();
      else this.pending.push(chunk.subarray(start));
    }
    return out;
  }

  /** An event whose blank line never came (a server that closes right after its last `data:` line). */
  end(): SseEvent[] {
    const out: SseEvent[] = [];
    if (this.tooLong) return out;
    if (this.pendingBytes) this.line(this.take(Buffer.alloc(0), 0, 0) ?? '', out);
    if (this.data.length) this.line('', out);
    return out;
  }

  private refuse(): undefined {
    this.tooLong = true;
    this.pending = [];
    this.pendingBytes = 0;
    return undefined;
  }

  /** The whole line: what was pending plus chunk[start, end); undefined when it is too long. */
  private take(chunk: Buffer, start: number, end: number): string | undefined {
    if (this.pendingBytes + (end - start) > this.maxLineBytes) return this.refuse();
    if (!this.pendingBytes) return chunk.toString('utf8', start, end);
    this.pending.push(chunk.subarray(start, end));
    const line = Buffer.concat(this.pending, this.pendingBytes + end - start).toString('utf8');
    this.pending = [];
    this.pendingBytes = 0;
    return line;
  }

  private line(line: string, out: SseEvent[]): void {
    if (line === '') {
      if (this.data.length) out.push({ event: this.event, data: this.data.join('\n') });
      this.event = '';
      this.data = [];
      return;
    }
    const colon = line.indexOf(':');
    if (colon === 0) return; // a comment (": keep-alive")
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
  }
}

function lineEnd(chunk: Buffer, from: number): number {
  const lf = chunk.indexOf(LF, from);
  // CR alone ends a line too; most servers never send one, so look for it only before the next LF.
  const cr = chunk.subarray(from, lf < 0 ? chunk.length : lf).indexOf(CR);
  return cr < 0 ? lf : from + cr;
}

// An answer's text as it streams in, kept whole or only its first `limit` bytes. A front end that shows every delta
// as it comes (a terminal) and stores only a bounded part needs no more: a 200 MB answer must not be held in memory
// to be thrown away. What is not kept is still counted — its UTF-8 bytes for the truncation mark, its characters for
// the token estimate of a cut stream — so the estimate is the same whether the text was kept or not.
import { addToTally, newTally, tallyTokens, type Tally } from './estimate.ts';

export class AnswerText {
  private readonly parts: string[] = [];
  private keptBytes = 0;
  private full = false;
  private readonly tally: Tally = newTally();
  /** UTF-8 bytes that arrived after the limit was reached: counted, not kept. */
  omittedBytes = 0;

  /** `limit`: UTF-8 bytes of the text to keep; the default keeps all of it. */
  constructor(private readonly limit = Infinity) {}

  /** Takes a delta; returns the part of it that was kept. */
  add(delta: string): string {
    if (!delta) return '';
    addToTally(this.tally, delta);
    const bytes = utf8Length(delta);
    if (!this.full && this.keptBytes + bytes <= this.limit) {
      this.parts.push(delta);
      this.keptBytes += bytes;
      return delta;
    }
    // The kept part is a prefix of the answer: once anything is left out, nothing after it is kept.
    const head = this.full ? '' : utf8Prefix(delta, this.limit - this.keptBytes);
    if (head) this.parts.push(head);
    this.keptBytes += utf8Length(head);
    this.omittedBytes += bytes - utf8Length(head);
    this.full = true;
    return head;
  }

  get empty(): boolean {
    return this.tally.ascii === 0 && this.tally.wide === 0;
  }

  /** What was kept: all of the answer, or its first `limit` bytes. */
  get text(): string {
    return this.parts.join('');
  }

  /** The token estimate of the whole answer (kept or not) and of `more` (reasoning, tool calls) with it. */
  tokensWith(more: string): number {
    const tally = { ...this.tally };
    addToTally(tally, more);
    return tallyTokens(tally);
  }
}

/** Bytes of `text` in UTF-8, counted without encoding it (core has no Buffer). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code >= 0xd800 && code <= 0xdfff ? 2 : 3; // a surrogate pair is 4
  }
  return bytes;
}

/** The longest start of `text` whose UTF-8 form fits in `max` bytes, never splitting a character. */
export function utf8Prefix(text: string, max: number): string {
  let bytes = 0;
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    const pair = code >= 0xd800 && code <= 0xdbff && i + 1 < text.length;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : pair ? 4 : 3;
    if (bytes + size > max) break;
    bytes += size;
    i += pair ? 2 : 1;
  }
  return text.slice(0, i);
}

// How many terminal columns a line takes, written for the tests on purpose apart from the code under test (which
// uses string-width): a test that measured with the same function could not catch it measuring wrongly. Ranges from
// Unicode's EastAsianWidth.txt (W and F, the two-column characters) for the scripts the fixtures use — Hangul, CJK,
// kana, fullwidth forms — and the emoji blocks with Emoji_Presentation; combining marks and zero-width joiners
// take none. Enough for the fixtures; not a full implementation of UAX #11.

const WIDE: Array<[number, number]> = [
  [0x1100, 0x115f], // Hangul Jamo initials
  [0x2e80, 0x303e], // CJK radicals, Kangxi, CJK symbols and punctuation
  [0x3041, 0x33ff], // Hiragana, Katakana, Bopomofo, Hangul compatibility Jamo, CJK compatibility
  [0x3400, 0x4dbf], // CJK Unified Ideographs Extension A
  [0x4e00, 0x9fff], // CJK Unified Ideographs
  [0xa000, 0xa4cf], // Yi
  [0xac00, 0xd7a3], // Hangul syllables
  [0xf900, 0xfaff], // CJK compatibility ideographs
  [0xfe30, 0xfe4f], // CJK compatibility forms
  [0xff00, 0xff60], // fullwidth forms
  [0xffe0, 0xffe6], // fullwidth signs
  [0x1f300, 0x1f64f], // emoji: symbols and pictographs, emoticons
  [0x1f680, 0x1f6ff], // emoji: transport and map symbols
  [0x1f900, 0x1f9ff], // emoji: supplemental symbols and pictographs
  [0x20000, 0x3fffd], // CJK Unified Ideographs Extensions B and later
];

const ZERO: Array<[number, number]> = [
  [0x0300, 0x036f], // combining diacritical marks
  [0x200b, 0x200f], // zero-width space, joiners, direction marks
  [0xfe00, 0xfe0f], // variation selectors
];

const within = (ranges: Array<[number, number]>, cp: number) => ranges.some(([lo, hi]) => cp >= lo && cp <= hi);

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** Display columns of one line (ANSI colour codes count for nothing). */
export function displayWidth(line: string): number {
  let width = 0;
  for (const ch of line.replace(ANSI, '')) {
    const cp = ch.codePointAt(0)!;
    if (within(ZERO, cp)) continue;
    width += within(WIDE, cp) ? 2 : 1;
  }
  return width;
}

/** The line as terminal cells: a two-column character fills its cell and an empty one after it. */
export function cells(line: string): string[] {
  const out: string[] = [];
  for (const ch of line.replace(ANSI, '')) {
    const w = displayWidth(ch);
    if (w === 0) continue;
    out.push(ch);
    if (w === 2) out.push('');
  }
  return out;
}

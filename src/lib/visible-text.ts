// Text for error messages, with every invisible character named instead of printed. A message that quotes what it
// refuses (`Unexpected token '\uFEFF'`, an id holding a zero-width space or a right-to-left override) must show the
// culprit: printed as is, it is nothing on the screen — or, for a bidi control, reorders the rest of the line.

/** Format characters (bidi controls, BOM, zero-width) and other invisible code points, but not line breaks or tabs. */
const INVISIBLE = /[\p{Cf}\p{Co}\p{Cn}\p{Cs}\u00a0\u2028\u2029]/gu;

/** `text` with each invisible character shown as `<U+FEFF>`. */
export function visibleText(text: string): string {
  return text.replace(INVISIBLE, (c) => `<U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}>`);
}

/**
 * `text` for one line on a terminal: invisible characters named as `visibleText` does, and control characters too
 * (`<U+001B>`), so a name that holds an escape sequence shows it instead of running it.
 */
export function visibleLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return visibleText(text).replace(
    /[\u0000-\u001f\u007f-\u009f]/g,
    (c) => `<U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}>`,
  );
}

/** How much of a long quoted value an error message keeps. */
const QUOTE_KEEP = 60;

/**
 * `text` with each double-quoted value longer than 60 characters cut to its first 60 and its length
 * (`"aaa…" (100,000 characters)`): an error that echoes a pasted 100 KB argument must still fit on a screen.
 */
export function shortQuoted(text: string): string {
  return text.replace(/"([^"\n]*)"/g, (whole, value: string) => {
    const chars = Array.from(value); // code points: a cut never splits a surrogate pair
    if (chars.length <= QUOTE_KEEP) return whole;
    return `"${chars.slice(0, QUOTE_KEEP).join('')}…" (${chars.length.toLocaleString('en-US')} characters)`;
  });
}

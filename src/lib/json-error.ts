// Where a JSON text first goes wrong, with a position: Node's JSON.parse names one for some errors only, and for
// others quotes the text around it instead (which may hold a key, so it is never printed).

class Stop {
  constructor(
    readonly offset: number,
    readonly what: string,
  ) {}
}

/** Where the JSON text first goes wrong, or undefined when it is valid. */
export function findJsonError(text: string): { offset: number; what: string } | undefined {
  let i = 0;
  const fail = (what: string): never => {
    throw new Stop(i, i >= text.length ? 'the file ends too early' : what);
  };
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const expect = (char: string, what: string) => {
    space();
    if (text[i] !== char) fail(what);
    i++;
  };
  const string = () => {
    i++; // the opening quote
    for (;;) {
      if (i >= text.length) fail('a string is never closed');
      const c = text[i]!;
      if (c === '"') return void i++;
      if (c < ' ') fail('a line break or control character inside a string');
      if (c === '\\') {
        const next = text[i + 1];
        if (next === 'u' ? !/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6)) : !'"\\/bfnrt'.includes(next ?? 'x')) {
          fail('a bad escape in a string');
        }
        i += next === 'u' ? 6 : 2;
      } else i++;
    }
  };
  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const value = (): void => {
    space();
    const c = text[i];
    if (c === '{') {
      i++;
      space();
      if (text[i] === '}') return void i++;
      for (;;) {
        space();
        if (text[i] !== '"') fail('expected a "quoted" property name');
        string();
        expect(':', 'expected ":" after a property name');
        value();
        space();
        if (text[i] === ',') i++;
        else return expect('}', 'expected "," or "}"');
      }
    }
    if (c === '[') {
      i++;
      space();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        space();
        if (text[i] === ',') i++;
        else return expect(']', 'expected "," or "]"');
      }
    }
    if (c === '"') return string();
    NUMBER.lastIndex = i;
    if (NUMBER.test(text)) return void (i = NUMBER.lastIndex);
    for (const word of ['true', 'false', 'null']) if (text.startsWith(word, i)) return void (i += word.length);
    fail('expected a value');
  };
  try {
    value();
    space();
    if (i < text.length) fail('more text after the end of the JSON value');
    return undefined;
  } catch (err) {
    if (err instanceof Stop) return { offset: err.offset, what: err.what };
    if (err instanceof RangeError) return { offset: 0, what: 'nested too deeply' };
    throw err;
  }
}

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}

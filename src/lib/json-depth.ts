// How deeply a JSON value nests, measured without recursion. Every later step that walks a value recursively
// (JSON.stringify for the token estimate and the upstream body, Ajv compiling a schema, an SDK serialising it) dies
// with "Maximum call stack size exceeded" on a value a few thousand levels deep, which JSON.parse builds happily.
// Readers refuse such values up front with this check, which must itself never recurse.

/**
 * The deepest nesting a JSON value may have: a schema a model can follow or a tool call's input is a handful of
 * levels deep; 64 leaves ample room (OpenAI's structured outputs allow 10 levels of object nesting).
 */
export const MAX_JSON_DEPTH = 64;

/**
 * The path (`.a.b[3]`, relative to `value`) of the first place where `value` nests more than `max` objects or arrays
 * deep, or undefined when it does not. A top-level object is depth 1.
 */
export function tooDeepAt(value: unknown, max = MAX_JSON_DEPTH): string | undefined {
  interface Frame {
    value: unknown;
    depth: number;
    key: string | number | undefined;
    parent: Frame | undefined;
  }
  const stack: Frame[] = [{ value, depth: 1, key: undefined, parent: undefined }];
  while (stack.length) {
    const frame = stack.pop()!;
    const v = frame.value;
    if (typeof v !== 'object' || v === null) continue;
    if (frame.depth > max) return pathOf(frame);
    if (Array.isArray(v))
      v.forEach((item, i) => {
        stack.push({ value: item, depth: frame.depth + 1, key: i, parent: frame });
      });
    else
      for (const [k, item] of Object.entries(v))
        stack.push({ value: item, depth: frame.depth + 1, key: k, parent: frame });
  }
  return undefined;

  function pathOf(frame: Frame): string {
    const keys: Array<string | number> = [];
    for (let f: Frame | undefined = frame; f?.key !== undefined; f = f.parent) keys.push(f.key);
    return keys
      .reverse()
      .map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`))
      .join('');
  }
}

/** The refusal, in one wording for every front end: `<field>: nested more than 64 levels deep`. */
export function tooDeepMessage(field: string, max = MAX_JSON_DEPTH): string {
  return `${field}: nested more than ${max} levels deep; no schema or tool input needs that many`;
}

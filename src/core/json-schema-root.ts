// A JSON answer whose schema's root is not an object (an array, a string, a number, a union of them). Both ways
// the adapters ask for schema-following JSON need an object root: Anthropic's forced answer tool (its input_schema
// must be `type: object`), and OpenAI's strict structured outputs ("the root level object of a schema must be an
// object", https://platform.openai.com/docs/guides/structured-outputs#supported-schemas). Such a schema is sent
// wrapped as {"answer": <schema>}, and the answer unwrapped on the way back, so the caller gets what it asked for.

export const WRAPPED_ANSWER_KEY = 'answer';

/** True when the schema's root can only be an object (an explicit `type: object`, or nothing saying otherwise). */
export function isObjectRoot(schema: Record<string, unknown>): boolean {
  if (schema.type !== undefined) return schema.type === 'object';
  return !['items', 'prefixItems', 'anyOf', 'oneOf', 'allOf', 'enum', 'const', 'not'].some((k) =>
    Object.hasOwn(schema, k),
  );
}

/**
 * The schema as an upstream can take it: unchanged with an object root; else wrapped under `answer`, with
 * `$defs`/`definitions` (and `$schema`) moved to the new root so `#/$defs/…` references still resolve.
 */
export function objectRootSchema(schema: Record<string, unknown>): {
  schema: Record<string, unknown>;
  wrapped: boolean;
} {
  if (isObjectRoot(schema)) return { schema, wrapped: false };
  const { $defs, definitions, $schema, ...inner } = schema;
  return {
    wrapped: true,
    schema: {
      ...($schema !== undefined ? { $schema } : {}),
      type: 'object',
      properties: { [WRAPPED_ANSWER_KEY]: inner },
      required: [WRAPPED_ANSWER_KEY],
      additionalProperties: false,
      ...($defs !== undefined ? { $defs } : {}),
      ...(definitions !== undefined ? { definitions } : {}),
    },
  };
}

/**
 * The answer inside a wrapped answer's JSON text. Text that is not the wrapper (not JSON, no `answer`) is returned
 * as it came: the caller's own check then says what is wrong with it, rather than this hiding it.
 */
export function unwrapAnswer(text: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text;
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    Array.isArray(parsed) ||
    !Object.hasOwn(parsed, WRAPPED_ANSWER_KEY)
  )
    return text;
  return JSON.stringify((parsed as Record<string, unknown>)[WRAPPED_ANSWER_KEY]);
}

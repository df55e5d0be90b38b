// Checking an answer against the `--schema` JSON Schema, with Ajv 8 (the validator most of the npm ecosystem
// uses; formats such as date-time and email from ajv-formats). Ajv compiles schemas to code and weighs ~120 KB, so
// it is imported only when `--schema` is given: no other command or chat pays for it at start-up.
//
// The draft is the one the schema's `$schema` names (2020-12, 2019-09, else draft-07, Ajv's default, which also
// reads draft-06 schemas). Unknown keywords are ignored rather than refused (strict: false): schemas written for
// OpenAI's structured outputs carry a few of their own.
import { UsageError } from '../../core/errors.ts';

export type SchemaVerdict = { valid: true; json: string } | { valid: false; errors: string[] };

export interface SchemaCheck {
  /** The answer checked: JSON text (a ```json fence around it is tolerated and removed) valid against the schema. */
  check(answer: string): SchemaVerdict;
}

/** Errors listed per verdict: enough for a person and for the repair prompt, not a wall of text. */
const MAX_ERRORS = 8;

/** Compiles the schema once; a schema that is not valid JSON Schema is refused here, before any call (exit 2). */
export async function compileSchema(schema: Record<string, unknown>, where = '--schema'): Promise<SchemaCheck> {
  const Ajv = await ajvClassFor(schema, where);
  const addFormats = (await import('ajv-formats')).default.default;
  const ajv = new Ajv({ allErrors: true, strict: false, logger: false });
  addFormats(ajv);
  let validate: ReturnType<typeof ajv.compile>;
  try {
    validate = ajv.compile(schema);
  } catch (err) {
    throw new UsageError(
      `${where}: not a valid JSON Schema: ${(err as Error).message}`,
      'see https://json-schema.org/understanding-json-schema for the keywords',
    );
  }
  return {
    check(answer) {
      const json = unfenced(answer);
      let value: unknown;
      try {
        value = JSON.parse(json);
      } catch (err) {
        return { valid: false, errors: [`the answer is not JSON (${(err as Error).message.replace(/, ".*$/s, '')})`] };
      }
      if (validate(value)) return { valid: true, json };
      const errors = (validate.errors ?? []).map(
        (e) => `${e.instancePath || '/'} ${e.message ?? 'is not valid'}${detail(e.params)}`,
      );
      return {
        valid: false,
        errors:
          errors.length > MAX_ERRORS
            ? [...errors.slice(0, MAX_ERRORS), `and ${errors.length - MAX_ERRORS} more`]
            : errors,
      };
    },
  };
}

async function ajvClassFor(schema: Record<string, unknown>, where: string) {
  const draft = typeof schema.$schema === 'string' ? schema.$schema : '';
  if (draft.includes('2020-12')) return (await import('ajv/dist/2020.js')).default.default;
  if (draft.includes('2019-09')) return (await import('ajv/dist/2019.js')).default.default;
  if (/draft-0[34]/.test(draft)) {
    throw new UsageError(
      `${where}: ${draft} is not supported`,
      'use draft-07 or later (for most schemas, changing $schema to http://json-schema.org/draft-07/schema# is enough)',
    );
  }
  return (await import('ajv')).default.default;
}

/** The names Ajv leaves out of its message: which property is missing or not allowed, which values were allowed. */
function detail(params: Record<string, unknown>): string {
  if (typeof params.additionalProperty === 'string') return `: ${JSON.stringify(params.additionalProperty)}`;
  if (Array.isArray(params.allowedValues)) return `: ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  return '';
}

/** Models often wrap JSON in a Markdown fence even when asked not to; the JSON inside is the answer. */
export function unfenced(answer: string): string {
  const trimmed = answer.trim();
  const fence = /^```[a-zA-Z]*\r?\n([\s\S]*?)\r?\n?```$/.exec(trimmed);
  return fence ? fence[1]!.trim() : trimmed;
}

// Checks shared by both wire readers: the fields a request may carry, and the ones it must never carry.
import type { ContentPart, TextPart } from '../../core/types.ts';
import { MAX_JSON_DEPTH, tooDeepAt, tooDeepMessage } from '../../lib/json-depth.ts';
import { badRequest, HttpError } from '../http-error.ts';

/**
 * Fields with which a client would choose where its request goes or with which key (LiteLLM-style proxies honour
 * some of them, and have leaked keys to a client-chosen URL that way). The server alone picks the upstream and the
 * key: a body naming one is refused, whatever the rest of it says.
 */
export const UPSTREAM_FIELDS: ReadonlySet<string> = new Set([
  'api_base',
  'base_url',
  'baseURL',
  'baseUrl',
  'api_key',
  'apiKey',
  'api_version',
  'api_type',
  'azure_endpoint',
  'endpoint',
  'url',
  'upstream',
  'custom_llm_provider',
  'extra_headers',
  'headers',
  'organization',
  'aws_access_key_id',
  'aws_secret_access_key',
  'vertex_credentials',
]);

/** Fields the gateway cannot carry: a 400 that names them, never a silent drop. `instead`: what to send. */
export function notSupported(field: string, what: string, instead?: string): HttpError {
  return badRequest(
    field,
    `${field}: llm-gateway does not support ${what}${instead ? `; ${instead}` : ''}`,
    'field_not_supported',
  );
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The body's top-level fields against the wire's lists: upstream-choosing ones first (their own message), then
 * unsupported features, then anything unknown — both APIs reject unknown arguments with a 400 too, and an ignored
 * one would change the answer behind the caller's back.
 */
export function checkFields(
  body: Record<string, unknown>,
  known: ReadonlySet<string>,
  unsupported: Readonly<Record<string, string>>,
): void {
  refuseUpstreamFields(body);
  for (const field of Object.keys(body)) {
    const what = Object.hasOwn(unsupported, field) ? unsupported[field] : undefined;
    if (what && body[field] !== undefined && body[field] !== null) throw notSupported(field, what);
  }
  for (const field of Object.keys(body)) {
    if (!known.has(field) && !Object.hasOwn(unsupported, field))
      throw badRequest(field, `${field}: unrecognised request field`, 'unknown_field');
  }
}

/** A body naming an upstream or a key (UPSTREAM_FIELDS) is refused with its own message, before anything else. */
export function refuseUpstreamFields(body: Record<string, unknown>): void {
  for (const field of Object.keys(body)) {
    if (UPSTREAM_FIELDS.has(field)) {
      throw new HttpError(
        'invalid_request',
        `${field}: clients cannot choose the upstream or its key; this server sends requests only to the providers configured on it`,
        field,
        {},
        'upstream_not_allowed',
      );
    }
  }
}

export function requireString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw badRequest(field, `${field} must be a non-empty string`);
  return value;
}

export function optionalPositiveInt(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Number.isInteger(value) || (value as number) < 1)
    throw badRequest(field, `${field} must be a positive whole number`);
  return value as number;
}

export function optionalNumberIn(value: unknown, field: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw badRequest(field, `${field} must be a number from ${min} to ${max}`);
  }
  return value;
}

export function optionalBoolean(value: unknown, field: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw badRequest(field, `${field} must be true or false`);
  return value;
}

export function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw badRequest(field, `${field} must be a string`);
  return value;
}

/** A JSON Schema object (tool parameters, a response schema); absent is the caller's choice of default. */
export function optionalSchema(value: unknown, field: string): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw badRequest(field, `${field} must be a JSON Schema object`);
  return shallow(value, field);
}

/**
 * `value` when it nests at most MAX_JSON_DEPTH levels, else a 400 naming the field: checked before anything walks it
 * recursively (the token estimate, the upstream body), which would die on its stack (lib/json-depth.ts).
 */
export function shallow<T>(value: T, field: string): T {
  if (tooDeepAt(value, MAX_JSON_DEPTH) !== undefined) throw badRequest(field, tooDeepMessage(field), 'nested_too_deep');
  return value;
}

/** Tool-call arguments as JSON text: when they parse, they are held to the same depth (an adapter parses them). */
export function shallowArguments(text: string, field: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text; // not JSON: carried as text, never walked
  }
  shallow(parsed, field);
  return text;
}

/** Stop sequences: one string or a list of them (OpenAI `stop`, Anthropic `stop_sequences`). */
export function optionalStops(value: unknown, field: string, options: { single: boolean }): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (options.single && typeof value === 'string') return [value];
  if (!Array.isArray(value) || !value.every((s) => typeof s === 'string' && s !== '')) {
    throw badRequest(field, `${field} must be ${options.single ? 'a string or ' : ''}an array of non-empty strings`);
  }
  return value.length ? (value as string[]) : undefined;
}

/** `a.b[2]`-style paths, for the messages that name a nested field. */
export function at(field: string, key: string | number): string {
  return typeof key === 'number' ? `${field}[${key}]` : `${field}.${key}`;
}

/** Parts that are all text as one string (the plain form every turn had before parts); anything else kept as parts. */
export function simplified<P extends ContentPart>(parts: P[]): string | P[] {
  // Text carrying a provider hint stays a part: the hint belongs to that block.
  return parts.every((p) => p.type === 'text' && !p.hints) ? parts.map((p) => (p as TextPart).text).join('') : parts;
}

/** Absent fields stay absent (a request is compared and logged as data). */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

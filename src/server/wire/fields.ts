// Checks shared by both wire readers: the fields a request may carry, and the ones it must never carry.
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

/** Fields the text path cannot carry yet: a 400 that names them, never a silent drop. */
export function notSupported(field: string, what: string): HttpError {
  return badRequest(field, `${field}: ${what} is not supported by llm-gateway yet; send text messages only`, 'field_not_supported');
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
  for (const field of Object.keys(body)) {
    const what = unsupported[field];
    if (what && body[field] !== undefined && body[field] !== null) throw notSupported(field, what);
  }
  for (const field of Object.keys(body)) {
    if (!known.has(field) && !(field in unsupported)) throw badRequest(field, `${field}: unrecognised request field`, 'unknown_field');
  }
}

export function requireString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw badRequest(field, `${field} must be a non-empty string`);
  return value;
}

export function optionalPositiveInt(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Number.isInteger(value) || (value as number) < 1) throw badRequest(field, `${field} must be a positive whole number`);
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

// The answer check behind `chat --schema` (src/cli/chat/schema-check.ts): which draft a schema is read as, formats,
// the errors a person and the repair prompt get, and the Markdown fence models put around JSON.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileSchema, unfenced } from '../../src/cli/chat/schema-check.ts';
import { UsageError } from '../../src/core/errors.ts';

test('errors name the place and the rule: a missing property, a wrong type, an extra property, an enum', async () => {
  const check = await compileSchema({
    type: 'object',
    properties: { name: { type: 'string' }, age: { type: 'integer' }, size: { enum: ['s', 'm'] } },
    required: ['name'],
    additionalProperties: false,
  });
  assert.deepEqual(check.check('{"name": "x", "age": 3, "size": "m"}'), {
    valid: true,
    json: '{"name": "x", "age": 3, "size": "m"}',
  });
  assert.deepEqual(check.check('{"age": "3", "size": "xl", "extra": 1}'), {
    valid: false,
    errors: [
      "/ must have required property 'name'",
      '/ must NOT have additional properties: "extra"',
      '/age must be integer',
      '/size must be equal to one of the allowed values: "s", "m"',
    ],
  });
  assert.deepEqual(check.check('Here you go: {"name": "x"}'), {
    valid: false,
    errors: ["the answer is not JSON (Unexpected token 'H')"],
  });
  assert.deepEqual(check.check(''), {
    valid: false,
    errors: ['the answer is not JSON (Unexpected end of JSON input)'],
  });
});

test('formats are checked (date-time, email); a 2020-12 schema is read as 2020-12 (prefixItems)', async () => {
  const formats = await compileSchema({
    type: 'object',
    properties: { at: { type: 'string', format: 'date-time' }, mail: { type: 'string', format: 'email' } },
  });
  assert.equal(formats.check('{"at": "2026-11-30T06:00:00Z", "mail": "a@b.example"}').valid, true);
  assert.deepEqual(formats.check('{"at": "yesterday", "mail": "nobody"}'), {
    valid: false,
    errors: ['/at must match format "date-time"', '/mail must match format "email"'],
  });
  const tuple = await compileSchema({
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'array',
    prefixItems: [{ type: 'string' }, { type: 'number' }],
    items: false,
  });
  assert.equal(tuple.check('["a", 1]').valid, true);
  assert.equal(tuple.check('[1, "a"]').valid, false);
  assert.equal(tuple.check('["a", 1, 2]').valid, false, 'items: false after prefixItems is 2020-12 only');
});

test('a schema that is not a JSON Schema, or draft-04, is refused as a usage error', async () => {
  await assert.rejects(
    compileSchema({ type: 'strng' }),
    (err: unknown) => err instanceof UsageError && /not a valid JSON Schema/.test(err.message),
  );
  await assert.rejects(
    compileSchema({ $schema: 'http://json-schema.org/draft-04/schema#' }),
    (err: unknown) => err instanceof UsageError && /not supported/.test(err.message),
  );
});

test('a Markdown fence around the JSON is removed; anything else is left as it is', () => {
  assert.equal(unfenced('```json\n{"a": 1}\n```'), '{"a": 1}');
  assert.equal(unfenced('  ```\n[1, 2]\n```\n'), '[1, 2]');
  assert.equal(unfenced('{"code": "```"}'), '{"code": "```"}');
  assert.equal(unfenced('Sure:\n```json\n{}\n```'), 'Sure:\n```json\n{}\n```', 'prose around a fence is not JSON');
});

// `chat --schema`, end to end: the built binary against a fake model that does not always comply. The answer on
// stdout is the JSON alone and valid, after one repair attempt at most; otherwise exit 1 with the validation error.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ChatE2E } from '../helpers/chat-e2e.ts';

const e2e = new ChatE2E();
after(() => {
  e2e.assertNoCanaries();
  return e2e.close();
});

const PERSON = {
  type: 'object',
  properties: { name: { type: 'string' }, born: { type: 'integer' } },
  required: ['name', 'born'],
  additionalProperties: false,
};
const dir = mkdtempSync(join(tmpdir(), 'llmgw-schema-'));
const schemaFile = join(dir, 'person.json');
writeFileSync(schemaFile, JSON.stringify(PERSON, null, 2));

/** The chat requests the fake received, in order. */
const chatBodies = (s: { fake: { requests: Array<{ format: unknown; body: any }> } }) =>
  s.fake.requests.filter((r) => r.format).map((r) => r.body);

test('an invalid first answer gets one repair; the valid JSON alone is printed and both calls are recorded', async () => {
  const s = await e2e.scenario({
    keys: ['groq'],
    steps: [
      { text: ['Sure! Here it is: ', '{"name": "Ada Lovelace"}'], usage: { input: 40, output: 12 } },
      { text: ['```json\n{"name": "Ada Lovelace", ', '"born": 1815}\n```'], usage: { input: 90, output: 14 } },
    ],
  });
  const r = await s.run(['chat', '--schema', schemaFile, 'Who wrote the first program?']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '{"name": "Ada Lovelace", "born": 1815}\n', 'the JSON alone, without the fence');
  assert.deepEqual(JSON.parse(r.stdout), { name: 'Ada Lovelace', born: 1815 });
  assert.match(
    r.stderr,
    /the answer is not valid against the schema \(the answer is not JSON \(Unexpected token 'S'\)\); asking once more/,
  );

  const [first, repair] = chatBodies(s);
  assert.equal(chatBodies(s).length, 2);
  assert.deepEqual(first.messages, [{ role: 'user', content: 'Who wrote the first program?' }]);
  assert.deepEqual(
    first.response_format,
    { type: 'json_schema', json_schema: { name: 'answer', schema: PERSON } },
    'the provider is asked for it',
  );
  assert.deepEqual(repair.response_format, first.response_format);
  assert.deepEqual(repair.messages.slice(0, 2), [
    ...first.messages,
    { role: 'assistant', content: 'Sure! Here it is: {"name": "Ada Lovelace"}' },
  ]);
  assert.equal(repair.messages[2].role, 'user');
  assert.match(
    repair.messages[2].content,
    /^Your answer is not valid: the answer is not JSON .*\nReply with the corrected JSON only/,
  );
  assert.ok(repair.messages[2].content.endsWith(JSON.stringify(PERSON)), 'the schema goes with the repair request');
  assert.deepEqual(
    s.usageRows().map((u) => [u.input_tokens, u.output_tokens, u.outcome]),
    [
      [40, 12, 'ok'],
      [90, 14, 'ok'],
    ],
  );
});

test('JSON that breaks the schema twice: exit 1 with the validation errors, nothing on stdout, the last answer on stderr', async () => {
  const s = await e2e.scenario({
    keys: ['groq'],
    steps: [{ text: ['{"name": "Ada", "born": "1815"}'] }, { text: ['{"name": "Ada", "born": 1815.5, "died": 1852}'] }],
  });
  const r = await s.run(['chat', '--schema', JSON.stringify(PERSON), 'Who wrote the first program?']);
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /not valid against the schema \(\/born must be integer\); asking once more/);
  assert.match(r.stderr, /its last answer:\n\{"name": "Ada", "born": 1815\.5, "died": 1852\}\n/);
  assert.match(
    r.stderr,
    /error: the answer of llama-3\.1-8b-instant \(groq\) is not valid against the schema, after one repair attempt: \/ must NOT have additional properties: "died"; \/born must be integer\nhint: simplify the schema/,
  );
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  assert.equal(chatBodies(s).length, 2, 'one repair attempt, no more');
});

test('--json: the object carries the JSON text and whether it was repaired, usage summed over both calls; a failure its errors', async () => {
  const s = await e2e.scenario({
    keys: ['groq'],
    steps: [
      { text: ['{"name": "Ada"}'], usage: { input: 30, output: 5 } },
      { text: ['{"name": "Ada", "born": 1815}'], usage: { input: 60, output: 9 } },
      { text: ['{"name": "Ada", "born": 1815}'], usage: { input: 30, output: 9 } },
      { text: ['no'] },
      { text: ['still no'] },
    ],
  });
  const repaired = JSON.parse((await s.run(['chat', '--json', '--schema', schemaFile, 'who?'])).stdout);
  assert.equal(repaired.text, '{"name": "Ada", "born": 1815}');
  assert.equal(repaired.repaired, true);
  assert.deepEqual(repaired.usage, { inputTokens: 90, outputTokens: 14 });

  const direct = JSON.parse((await s.run(['chat', '--json', '--schema', schemaFile, 'who?'])).stdout);
  assert.deepEqual([direct.text, direct.repaired], ['{"name": "Ada", "born": 1815}', false]);

  const failed = await s.run(['chat', '--json', '--schema', schemaFile, 'who?']);
  assert.equal(failed.code, 1);
  const out = JSON.parse(failed.stdout);
  assert.equal(out.text, 'still no');
  assert.equal(out.exitCode, 1);
  assert.match(out.error, /not valid against the schema, after one repair attempt/);
  assert.deepEqual(out.validationErrors, ["the answer is not JSON (Unexpected token 's')"]);
});

test('a bad --schema exits 2 naming where, before any call: not JSON (line and column), not a schema, no file', async () => {
  const s = await e2e.scenario({ keys: ['groq'] });
  const broken = join(dir, 'broken.json');
  writeFileSync(broken, '{\n  "type": "object",\n  "properties": {,}\n}\n');
  const cases: Array<[string, RegExp]> = [
    [broken, /error: --schema .*broken\.json: not valid JSON \(line 3, column 18: Expected property name or '}'\)/],
    [
      '{"type": "object",}',
      /error: --schema: not valid JSON \(line 1, column 19: Expected double-quoted property name\)/,
    ],
    [
      '{"type": "strng"}',
      /error: --schema: not a valid JSON Schema: schema is invalid: data\/type must be equal to one of the allowed values/,
    ],
    [join(dir, 'missing.json'), /error: --schema .*missing\.json: no such file\nhint: give the schema inline/],
    [
      '{"$schema": "http://json-schema.org/draft-04/schema#"}',
      /draft-04.* is not supported\nhint: use draft-07 or later/,
    ],
  ];
  for (const [value, expected] of cases) {
    const r = await s.run(['chat', '--schema', value, 'who?']);
    assert.equal(r.code, 2, `${value}: ${r.stderr}`);
    assert.match(r.stderr, expected);
    assert.equal(r.stdout, '');
  }
  assert.equal(s.fake.requests.length, 0);
});

test('Anthropic: the answer comes as the forced json_answer tool call and is printed as the JSON, checked like any other', async () => {
  const s = await e2e.scenario({
    keys: ['anthropic'],
    steps: [
      { toolCalls: [{ name: 'json_answer', arguments: ['{"name": "Ada", ', '"born": 1815}'] }], finish: 'tool_use' },
    ],
  });
  const r = await s.run(['chat', '--allow-paid', '-m', 'anthropic:claude-haiku-5-5', '--schema', schemaFile, 'who?']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { name: 'Ada', born: 1815 });
  const [body] = chatBodies(s);
  assert.deepEqual(body.tool_choice, { type: 'tool', name: 'json_answer' });
  assert.deepEqual(
    body.tools.map((t: { input_schema: unknown }) => t.input_schema),
    [PERSON],
  );
});

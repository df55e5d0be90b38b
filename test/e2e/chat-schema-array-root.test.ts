// A --schema whose root is not an object ({"type":"array", …}). Anthropic's forced answer tool needs an object
// input_schema and OpenAI's structured outputs an object root, so `{ type: 'object', ...schema }` turned an array
// schema into a broken tool. The schema now goes upstream wrapped as {"answer": schema} and the answer comes back
// unwrapped: stdout is the array, valid against the caller's schema. Through the fake upstream, both wire formats.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ChatE2E } from '../helpers/chat-e2e.ts';

const e2e = new ChatE2E();
after(() => e2e.close());

const TAGS = { type: 'array', items: { type: 'string' }, minItems: 1 };
const WRAPPED = { type: 'object', properties: { answer: TAGS }, required: ['answer'], additionalProperties: false };
const chatBodies = (s: { fake: { requests: Array<{ format: unknown; body: any }> } }) =>
  s.fake.requests.filter((r) => r.format).map((r) => r.body);

test('Anthropic: an array-root schema goes as a wrapped json_answer tool and the streamed answer comes back unwrapped', async () => {
  const s = await e2e.scenario({
    keys: ['anthropic'],
    steps: [
      { toolCalls: [{ name: 'json_answer', arguments: ['{"answer": ["red", ', '"green"]}'] }], finish: 'tool_use' },
    ],
  });
  const r = await s.run([
    'chat',
    '--allow-paid',
    '-m',
    'anthropic:claude-haiku-5-5',
    '--schema',
    JSON.stringify(TAGS),
    'colours?',
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), ['red', 'green']);
  const [body] = chatBodies(s);
  assert.deepEqual(
    body.tools.map((t: { input_schema: unknown }) => t.input_schema),
    [WRAPPED],
  );
});

test('OpenAI-compatible: an array-root schema goes wrapped in response_format and the answer comes back unwrapped', async () => {
  const s = await e2e.scenario({ keys: ['groq'], steps: [{ text: ['{"answer": ', '["red", "green"]}'] }] });
  const r = await s.run(['chat', '-m', 'llama', '--schema', JSON.stringify(TAGS), 'colours?']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), ['red', 'green']);
  const [body] = chatBodies(s);
  assert.deepEqual(body.response_format.json_schema.schema, WRAPPED);
});

test('an object-root schema is sent as written (no wrapper) on both wires', async () => {
  const PERSON = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] };
  const s = await e2e.scenario({ keys: ['groq'], steps: [{ text: ['{"name": "Ada"}'] }] });
  const r = await s.run(['chat', '-m', 'llama', '--schema', JSON.stringify(PERSON), 'who?']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { name: 'Ada' });
  assert.deepEqual(chatBodies(s)[0].response_format.json_schema.schema, PERSON);
});

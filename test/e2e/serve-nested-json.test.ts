// JSON nested thousands of levels deep in a request to the real `serve`: JSON.parse builds it, but every recursive
// walk after it (the token estimate's JSON.stringify, an SDK serialising the body) died on its stack, and the client
// got a 500 "bug: Maximum call stack size exceeded". Each is now a 400 naming the field, nothing sent upstream.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { rawRequest, startServe, type Served } from '../helpers/serve.ts';

/**
 * A placeholder for a schema nested `levels` deep, put into the body as text: JSON.stringify on the test's side
 * would die on the same stack the server did.
 */
const nested = (levels: number) => `@DEEP${levels}@`;
const deepJson = (levels: number) =>
  `${'{"type":"object","properties":{"a":'.repeat(levels)}{"type":"string"}${'}}'.repeat(levels)}`;
const serialise = (body: unknown) =>
  JSON.stringify(body).replace(/"@DEEP(\d+)@"/g, (_m, n: string) => deepJson(Number(n)));

describe('serve refuses JSON nested too deep', () => {
  let s: Served;
  before(async () => {
    s = await startServe({ keys: ['groq', 'anthropic'], args: ['--allow-paid'] });
  });
  after(async () => {
    assert.equal(await s.stop(), 0);
  });

  async function refused(path: string, body: unknown, field: RegExp) {
    const before = s.fake.requests.length;
    const r = await rawRequest(s.url, {
      method: 'POST',
      path,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${s.key}` },
      body: serialise(body),
    });
    assert.equal(r.status, 400, r.body);
    assert.doesNotMatch(r.body, /call stack|bug/);
    const message: string = JSON.parse(r.body).error.message;
    assert.match(message, field);
    assert.match(message, /nested more than \d+ levels deep/);
    assert.equal(s.fake.requests.length, before, 'nothing reached the upstream');
  }

  const hi = [{ role: 'user', content: 'hi' }];

  for (const levels of [100, 5000]) {
    test(`tools[].function.parameters nested ${levels} deep -> 400 naming the field`, async () => {
      const tools = [{ type: 'function', function: { name: 'f', parameters: nested(levels) } }];
      await refused(
        '/v1/chat/completions',
        { model: 'llama', messages: hi, tools },
        /tools\[0\]\.function\.parameters/,
      );
    });

    test(`tools[].input_schema nested ${levels} deep -> 400 naming the field (messages and count_tokens)`, async () => {
      const tools = [{ name: 'f', input_schema: nested(levels) }];
      await refused(
        '/v1/messages',
        { model: 'llama', max_tokens: 10, messages: hi, tools },
        /tools\[0\]\.input_schema/,
      );
      await refused('/v1/messages/count_tokens', { model: 'llama', messages: hi, tools }, /tools\[0\]\.input_schema/);
    });

    test(`response_format.json_schema.schema nested ${levels} deep -> 400 naming the field`, async () => {
      const response_format = { type: 'json_schema', json_schema: { name: 'x', schema: nested(levels) } };
      await refused(
        '/v1/chat/completions',
        { model: 'llama', messages: hi, response_format },
        /response_format\.json_schema\.schema/,
      );
    });

    test(`a tool_use input nested ${levels} deep -> 400 naming the field`, async () => {
      const messages = [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'f', input: nested(levels) }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'ok' }] },
      ];
      await refused('/v1/messages', { model: 'llama', max_tokens: 10, messages }, /messages\[1\]\.content\[0\]\.input/);
    });
  }

  test('OpenAI tool_calls arguments whose JSON nests 100 deep -> 400 naming the field', async () => {
    const messages = [
      { role: 'user', content: 'hi' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: deepJson(100) } }],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'ok' },
    ];
    await refused(
      '/v1/chat/completions',
      { model: 'claude-sonnet-5', messages },
      /messages\[1\]\.tool_calls\[0\]\.function\.arguments/,
    );
  });
});

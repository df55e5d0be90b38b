// POST /v1/responses through the real `llm-gateway serve`, with the official `openai` SDK's `responses` API as the
// client and the fake upstream as the model: streamed and whole answers, a function-tool loop answered by an
// OpenAI-compatible and by an Anthropic model, structured output (`text.format` json_schema), namespace tools named
// back, and the 400s for what needs a store or runs on OpenAI's side.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { usageRows } from '../helpers/chat-e2e.ts';
import { startServe, type Served } from '../helpers/serve.ts';

const openai = (s: Served) => new OpenAI({ baseURL: `${s.url}/v1`, apiKey: s.key, maxRetries: 0 });

const weatherSchema = { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] };
const tools: OpenAI.Responses.Tool[] = [
  {
    type: 'function',
    name: 'get_weather',
    description: 'Current temperature in a city',
    parameters: weatherSchema,
    strict: false,
  },
];

/** The last chat request the fake upstream received. */
const last = (s: Served) => s.fake.requests.filter((r) => r.format).at(-1)!;

describe('POST /v1/responses with the openai SDK', () => {
  let s: Served;
  before(async () => {
    s = await startServe({ keys: ['groq', 'anthropic'], args: ['--allow-paid'] });
  });
  after(async () => {
    assert.equal(await s.stop(), 0);
  });

  test('a streamed answer: the full event sequence, numbered, with the text and the usage', async () => {
    s.fake.script({ text: ['Hello', ', ', 'world'], usage: { input: 21, output: 3 } });
    const stream = await openai(s).responses.create({
      model: 'llama',
      instructions: 'Be brief.',
      input: 'Say hello',
      stream: true,
    });
    const events: OpenAI.Responses.ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    assert.deepEqual(
      events.map((e) => e.type),
      [
        'response.created',
        'response.in_progress',
        'response.output_item.added',
        'response.content_part.added',
        'response.output_text.delta',
        'response.output_text.delta',
        'response.output_text.delta',
        'response.output_text.done',
        'response.content_part.done',
        'response.output_item.done',
        'response.completed',
      ],
    );
    assert.deepEqual(
      events.map((e) => e.sequence_number),
      events.map((_, i) => i),
    );
    const done = events.at(-1) as OpenAI.Responses.ResponseCompletedEvent;
    assert.equal(done.response.status, 'completed');
    assert.equal(done.response.output_text ?? textOf(done.response), 'Hello, world');
    assert.deepEqual(
      [done.response.usage?.input_tokens, done.response.usage?.output_tokens, done.response.usage?.total_tokens],
      [21, 3, 24],
    );
    const upstream = last(s);
    assert.equal(upstream.format, 'openai');
    assert.deepEqual(
      upstream.body.messages.map((m: { role: string }) => m.role),
      ['system', 'user'],
      'instructions became the system message',
    );
    const row = usageRows(s.home).at(-1)!;
    assert.deepEqual([row.input_tokens, row.output_tokens, row.outcome], [21, 3, 'ok']);
  });

  test("the SDK's own stream helper assembles the same response from the events", async () => {
    s.fake.script({ text: ['Bonjour', '!'] });
    const response = await openai(s)
      .responses.stream({ model: 'llama', input: [{ role: 'user', content: 'Say hello in French' }] })
      .finalResponse();
    assert.equal(response.output_text, 'Bonjour!');
    assert.equal(response.output[0]?.type, 'message');
  });

  test('a whole answer: the response object with output_text, status and usage', async () => {
    s.fake.script({ text: ['Four.'], usage: { input: 9, output: 2 } });
    const response = await openai(s).responses.create({
      model: 'llama',
      input: [{ role: 'user', content: [{ type: 'input_text', text: 'Two plus two?' }] }],
      max_output_tokens: 50,
      store: false,
    });
    assert.equal(response.object, 'response');
    assert.equal(response.status, 'completed');
    assert.equal(response.output_text, 'Four.');
    assert.equal(response.max_output_tokens, 50);
    assert.deepEqual([response.usage?.input_tokens, response.usage?.output_tokens], [9, 2]);
    assert.equal(last(s).body.max_tokens ?? last(s).body.max_completion_tokens, 50);
  });

  for (const [upstream, model] of [
    ['an OpenAI-compatible', 'llama'],
    ['an Anthropic', 'haiku'],
  ] as const) {
    test(`a function-tool loop answered by ${upstream} model: function_call, its output, then the answer`, async () => {
      const client = openai(s);
      s.fake.script({
        toolCalls: [{ id: 'call_Rsp1', name: 'get_weather', arguments: ['{"loca', 'tion": ', '"Paris"}'] }],
      });
      const first = await client.responses
        .stream({ model, tools, input: [{ role: 'user', content: 'How warm is it in Paris?' }] })
        .finalResponse();
      assert.equal(last(s).format, model === 'haiku' ? 'anthropic' : 'openai');
      const call = first.output.find((item) => item.type === 'function_call');
      assert.ok(call && call.type === 'function_call', JSON.stringify(first.output));
      assert.deepEqual(
        [call.call_id, call.name, JSON.parse(call.arguments)],
        ['call_Rsp1', 'get_weather', { location: 'Paris' }],
      );

      s.fake.script({ text: ['It is 14 °C in Paris.'] });
      const second = await client.responses.create({
        model,
        tools,
        input: [
          { role: 'user', content: 'How warm is it in Paris?' },
          ...first.output.filter((item) => item.type === 'function_call'),
          { type: 'function_call_output', call_id: call.call_id, output: '14 °C' },
        ],
      });
      assert.equal(second.output_text, 'It is 14 °C in Paris.');
      const sent = JSON.stringify(last(s).body);
      assert.match(sent, /call_Rsp1/, 'the call id goes back upstream verbatim');
      assert.match(sent, /14 °C/);
    });
  }

  test('structured output: text.format json_schema reaches the upstream and the answer is the JSON', async () => {
    const schema = {
      type: 'object',
      properties: { city: { type: 'string' }, celsius: { type: 'number' } },
      required: ['city', 'celsius'],
      additionalProperties: false,
    };
    s.fake.script({ text: ['{"city":"Paris",', '"celsius":14}'] });
    const response = await openai(s).responses.create({
      model: 'llama',
      input: 'Weather in Paris as JSON',
      text: { format: { type: 'json_schema', name: 'weather', schema, strict: true } },
    });
    assert.deepEqual(JSON.parse(response.output_text), { city: 'Paris', celsius: 14 });
    assert.deepEqual(last(s).body.response_format, {
      type: 'json_schema',
      json_schema: { name: 'weather', schema, strict: true },
    });
    assert.deepEqual(response.text?.format, { type: 'json_schema', name: 'weather', schema, strict: true });
  });

  test('namespace tools go upstream flattened and come back in their namespace', async () => {
    s.fake.script({ toolCalls: [{ id: 'call_ns', name: 'crm__lookup', arguments: ['{"id":"42"}'] }] });
    const response = await openai(s).responses.create({
      model: 'llama',
      input: 'Find customer 42',
      tools: [
        {
          type: 'namespace',
          name: 'crm',
          description: 'The CRM',
          tools: [{ type: 'function', name: 'lookup', parameters: { type: 'object', properties: {} } }],
        } as unknown as OpenAI.Responses.Tool,
      ],
    });
    assert.deepEqual(
      last(s).body.tools.map((t: { function: { name: string } }) => t.function.name),
      ['crm__lookup'],
    );
    const call = response.output[0] as OpenAI.Responses.ResponseFunctionToolCall;
    assert.deepEqual([call.type, call.name, call.namespace], ['function_call', 'lookup', 'crm']);
  });

  test("an item_reference to an earlier answer's message resolves (the AI SDK's default sends them)", async () => {
    const client = openai(s);
    s.fake.script({ text: ['Paris.'] });
    const first = await client.responses.create({ model: 'llama', input: 'Capital of France?' });
    s.fake.script({ text: ['About 2 million.'] });
    const second = await client.responses.create({
      model: 'llama',
      input: [
        { role: 'user', content: 'Capital of France?' },
        { type: 'item_reference', id: first.output[0]!.id! },
        { role: 'user', content: 'How many people live there?' },
      ],
    });
    assert.equal(second.output_text, 'About 2 million.');
    assert.deepEqual(last(s).body.messages[1], { role: 'assistant', content: 'Paris.' });
  });

  test('a stream cut mid-answer ends with response.failed, and the ledger records the cut', async () => {
    s.fake.script({ text: ['Hello', ', ', 'world'], cutAfter: 1 });
    const stream = await openai(s).responses.create({ model: 'llama', input: 'hi', stream: true });
    const events: OpenAI.Responses.ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const failed = events.at(-1)!;
    assert.equal(failed.type, 'response.failed', events.map((e) => e.type).join(', '));
    assert.equal(failed.response.status, 'failed');
    assert.match(failed.response.error?.message ?? '', /cut off/);
    assert.equal(usageRows(s.home).at(-1)!.outcome, 'cut');
  });

  test('without the access key: a 401 in the OpenAI error shape, nothing sent upstream', async () => {
    const before = s.fake.requests.length;
    const err = await new OpenAI({ baseURL: `${s.url}/v1`, apiKey: 'wrong-key', maxRetries: 0 }).responses
      .create({ model: 'llama', input: 'hi' })
      .catch((e) => e);
    assert.ok(err instanceof OpenAI.AuthenticationError, String(err));
    assert.equal(s.fake.requests.length, before);
  });

  test('store: true, previous_response_id and a web search that reaches the web are 400s naming the field', async () => {
    const client = openai(s);
    const asks: Array<[Partial<OpenAI.Responses.ResponseCreateParamsNonStreaming>, string, RegExp]> = [
      [{ store: true }, 'store', /store: false/],
      [{ previous_response_id: 'resp_1' }, 'previous_response_id', /stores no responses/],
      [{ tools: [{ type: 'web_search' }] }, 'tools[0].type', /web_search/],
    ];
    for (const [extra, param, message] of asks) {
      const err = await client.responses.create({ model: 'llama', input: 'hi', ...extra }).catch((e) => e);
      assert.ok(err instanceof OpenAI.BadRequestError, String(err));
      assert.equal(err.param, param);
      assert.match(err.message, message);
    }
  });

  test('a web search kept off the web is dropped, and the request log says so', async () => {
    s.fake.script({ text: ['ok'] });
    const response = await openai(s).responses.create({
      model: 'llama',
      input: 'hi',
      tools: [{ type: 'web_search', external_web_access: false } as unknown as OpenAI.Responses.Tool],
    });
    assert.equal(response.output_text, 'ok');
    assert.equal(last(s).body.tools, undefined, 'nothing hosted went upstream');
    await waitFor(() => /dropped: \[tools\[0\] \(web_search\)\]/.test(s.stdout()));
  });
});

function textOf(response: OpenAI.Responses.Response): string {
  return response.output
    .flatMap((item) => (item.type === 'message' ? item.content : []))
    .map((part) => (part.type === 'output_text' ? part.text : ''))
    .join('');
}

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(check());
}

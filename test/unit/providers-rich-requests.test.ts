// What the adapters put on the wire for rich requests (issue 11), as the fake recorded it: images, tool calls and
// results, tools, tool choice, parallel calls, response formats and stop sequences, in each protocol's own shape.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AdapterCall, Message, ProviderSpec } from '../../src/core/types.ts';
import { anthropicToolId } from '../../src/core/tool-ids.ts';
import { anthropicAdapter } from '../../src/providers/anthropic.ts';
import { openAiCompatibleAdapter } from '../../src/providers/openai-compatible.ts';
import { collect, startFakeUpstream, type FakeUpstream } from '../fake-upstream/index.ts';

let fake: FakeUpstream;
before(async () => (fake = await startFakeUpstream()));
after(() => fake.close());

const spec = (id: string, protocol: 'openai' | 'anthropic'): ProviderSpec => ({
  id,
  name: id,
  protocol,
  baseUrl: '',
  keyEnv: [],
  builtIn: true,
});
const PNG = 'iVBORw0KGgo=';
const weatherTool = {
  name: 'get_weather',
  description: 'Weather now',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

/** A tool loop as the core carries it: a call made by Kimi (its id form), answered, then a question with images. */
const loop: Message[] = [
  { role: 'system', content: 'Be brief.' },
  {
    role: 'user',
    content: [
      { type: 'text', text: 'Weather in Paris and Oslo?' },
      { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: PNG } },
    ],
  },
  {
    role: 'assistant',
    content: [
      { type: 'reasoning', text: 'unsigned thinking' },
      { type: 'text', text: 'Checking.' },
      { type: 'tool-call', id: 'functions.get_weather:0', name: 'get_weather', arguments: '{"city":"Paris"}' },
      { type: 'tool-call', id: 'call_2', name: 'get_weather', arguments: '' },
    ],
  },
  { role: 'tool', content: [{ type: 'tool-result', callId: 'functions.get_weather:0', content: 'Sunny' }] },
  {
    role: 'tool',
    content: [
      {
        type: 'tool-result',
        callId: 'call_2',
        content: [
          { type: 'text', text: 'Map:' },
          { type: 'image', source: { kind: 'url', url: 'https://example.com/oslo.png' } },
        ],
        isError: true,
      },
    ],
  },
  { role: 'user', content: 'Thanks. And tomorrow?' },
];

async function sent(protocol: 'openai' | 'anthropic', extra: Partial<AdapterCall>) {
  const call: AdapterCall = {
    provider: spec(protocol === 'openai' ? 'groq' : 'anthropic', protocol),
    baseUrl: protocol === 'openai' ? fake.openaiBaseUrl : fake.anthropicBaseUrl,
    apiKey: 'k-test',
    upstreamModel: 'm',
    messages: [{ role: 'user', content: 'Hi' }],
    timeouts: { connectMs: 5000, idleMs: 5000 },
    ...extra,
  };
  const before = fake.requests.length;
  const out = await collect((protocol === 'openai' ? openAiCompatibleAdapter : anthropicAdapter).stream(call));
  assert.equal(fake.requests.length, before + (out.error?.kind === 'bad_request' ? 0 : 1));
  return { out, body: out.error ? undefined : fake.requests.at(-1)!.body };
}

describe('openai-compatible: rich request bodies', () => {
  test('images as image_url parts, tool calls and tool turns, tool images after the tool turns, reasoning not sent', async () => {
    const { body } = await sent('openai', { messages: loop });
    assert.deepEqual(body.messages, [
      { role: 'system', content: 'Be brief.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Weather in Paris and Oslo?' },
          { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
        ],
      },
      {
        role: 'assistant',
        content: 'Checking.',
        tool_calls: [
          {
            id: 'functions.get_weather:0',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
          },
          { id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '' } },
        ],
      },
      { role: 'tool', tool_call_id: 'functions.get_weather:0', content: 'Sunny' },
      { role: 'tool', tool_call_id: 'call_2', content: 'Map:' },
      { role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/oslo.png' } }] },
      { role: 'user', content: 'Thanks. And tomorrow?' },
    ]);
  });

  test("Moonshot gets each tool-call turn's reasoning back (its thinking models require it), a placeholder when there is none", async () => {
    const messages: Message[] = [
      { role: 'user', content: 'Weather?' },
      {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: 'Need the tool.' },
          { type: 'tool-call', id: 'functions.get_weather:0', name: 'get_weather', arguments: '{}' },
        ],
      },
      { role: 'tool', content: [{ type: 'tool-result', callId: 'functions.get_weather:0', content: 'Sunny' }] },
      { role: 'assistant', content: [{ type: 'tool-call', id: 'toolu_1', name: 'get_weather', arguments: '{}' }] },
      { role: 'tool', content: [{ type: 'tool-result', callId: 'toolu_1', content: 'Rain' }] },
      {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: 'Done.' },
          { type: 'text', text: 'Sunny, then rain.' },
        ],
      },
      { role: 'user', content: 'Thanks' },
    ];
    const moonshot = (await sent('openai', { provider: spec('moonshot', 'openai'), messages })).body.messages;
    assert.deepEqual(
      moonshot.filter((m: any) => m.role === 'assistant').map((m: any) => m.reasoning_content),
      ['Need the tool.', '.', undefined],
    );
    const groq = (await sent('openai', { messages })).body.messages;
    assert.ok(
      groq.every((m: any) => !('reasoning_content' in m)),
      'other vendors get no reasoning back',
    );
  });

  test('tools, each tool choice, parallel_tool_calls, stop', async () => {
    const { body } = await sent('openai', {
      tools: [weatherTool],
      toolChoice: { type: 'tool', name: 'get_weather' },
      parallelToolCalls: false,
      stop: ['END'],
    });
    assert.deepEqual(body.tools, [
      {
        type: 'function',
        function: { name: 'get_weather', description: 'Weather now', parameters: weatherTool.parameters },
      },
    ]);
    assert.deepEqual(body.tool_choice, { type: 'function', function: { name: 'get_weather' } });
    assert.equal(body.parallel_tool_calls, false);
    assert.deepEqual(body.stop, ['END']);
    for (const type of ['auto', 'none', 'required'] as const) {
      assert.equal((await sent('openai', { tools: [weatherTool], toolChoice: { type } })).body.tool_choice, type);
    }
    const plain = (await sent('openai', { parallelToolCalls: true, toolChoice: { type: 'auto' } })).body;
    assert.ok(
      !('tools' in plain) && !('tool_choice' in plain) && !('parallel_tool_calls' in plain),
      'no tool fields without tools',
    );
  });

  test('response formats: json_object, json_schema with name and strict, nothing for text', async () => {
    assert.deepEqual((await sent('openai', { responseFormat: { type: 'json' } })).body.response_format, {
      type: 'json_object',
    });
    const schema = { type: 'object', properties: { n: { type: 'number' } } };
    assert.deepEqual(
      (await sent('openai', { responseFormat: { type: 'json-schema', name: 'count', schema, strict: true } })).body
        .response_format,
      {
        type: 'json_schema',
        json_schema: { name: 'count', schema, strict: true },
      },
    );
    assert.equal(
      (await sent('openai', { responseFormat: { type: 'json-schema', schema } })).body.response_format.json_schema.name,
      'response',
    );
    assert.ok(!('response_format' in (await sent('openai', { responseFormat: { type: 'text' } })).body));
  });
});

describe('anthropic: rich request bodies', () => {
  test('system blocks, image blocks, tool_use with parsed input and mapped ids, tool results merged into one user turn', async () => {
    const { body } = await sent('anthropic', { messages: loop });
    const kimi = anthropicToolId('functions.get_weather:0');
    assert.match(kimi, /^[a-zA-Z0-9_-]+$/);
    assert.deepEqual(body.system, [{ type: 'text', text: 'Be brief.' }]);
    assert.deepEqual(body.messages, [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Weather in Paris and Oslo?' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Checking.' },
          { type: 'tool_use', id: kimi, name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'call_2', name: 'get_weather', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: kimi, content: 'Sunny' },
          {
            type: 'tool_result',
            tool_use_id: 'call_2',
            content: [
              { type: 'text', text: 'Map:' },
              { type: 'image', source: { type: 'url', url: 'https://example.com/oslo.png' } },
            ],
            is_error: true,
          },
          { type: 'text', text: 'Thanks. And tomorrow?' },
        ],
      },
    ]);
  });

  test('signed reasoning goes back as a thinking block; a data: URL image as base64', async () => {
    const { body } = await sent('anthropic', {
      messages: [
        { role: 'user', content: [{ type: 'image', source: { kind: 'url', url: `data:image/jpeg;base64,${PNG}` } }] },
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'Hmm.', signature: 'sig-1' },
            { type: 'text', text: 'Yes.' },
          ],
        },
        { role: 'user', content: 'Go on' },
      ],
    });
    assert.deepEqual(body.messages[0].content, [
      { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: PNG } },
    ]);
    assert.deepEqual(body.messages[1].content, [
      { type: 'thinking', thinking: 'Hmm.', signature: 'sig-1' },
      { type: 'text', text: 'Yes.' },
    ]);
  });

  test('tools with input_schema; tool_choice auto/none/any/tool; parallel off; stop_sequences', async () => {
    const { body } = await sent('anthropic', {
      tools: [weatherTool],
      toolChoice: { type: 'required' },
      parallelToolCalls: false,
      stop: ['END'],
    });
    assert.deepEqual(body.tools, [
      { name: 'get_weather', description: 'Weather now', input_schema: weatherTool.parameters },
    ]);
    assert.deepEqual(body.tool_choice, { type: 'any', disable_parallel_tool_use: true });
    assert.deepEqual(body.stop_sequences, ['END']);
    assert.deepEqual(
      (await sent('anthropic', { tools: [weatherTool], toolChoice: { type: 'auto' } })).body.tool_choice,
      { type: 'auto' },
    );
    assert.deepEqual(
      (await sent('anthropic', { tools: [weatherTool], toolChoice: { type: 'none' } })).body.tool_choice,
      { type: 'none' },
    );
    assert.deepEqual(
      (await sent('anthropic', { tools: [weatherTool], toolChoice: { type: 'tool', name: 'get_weather' } })).body
        .tool_choice,
      { type: 'tool', name: 'get_weather' },
    );
    assert.ok(
      !('tool_choice' in (await sent('anthropic', { tools: [weatherTool] })).body),
      'the default is left to Anthropic',
    );
    const bare = (await sent('anthropic', { tools: [{ name: 'now', parameters: {} }] })).body;
    assert.deepEqual(
      bare.tools[0].input_schema,
      { type: 'object' },
      'a tool without arguments still has the object type Anthropic requires',
    );
  });

  test('a JSON response format is a forced json_answer tool with the schema; beside own tools the choice is any', async () => {
    const schema = { type: 'object', properties: { n: { type: 'number' } } };
    const { body } = await sent('anthropic', { responseFormat: { type: 'json-schema', name: 'count', schema } });
    assert.deepEqual(
      body.tools.map((t: any) => [t.name, t.input_schema]),
      [['json_answer', schema]],
    );
    assert.deepEqual(body.tool_choice, { type: 'tool', name: 'json_answer' });
    const plain = (await sent('anthropic', { responseFormat: { type: 'json' } })).body;
    assert.deepEqual(plain.tools[0].input_schema, { type: 'object' });
    const both = (
      await sent('anthropic', {
        responseFormat: { type: 'json' },
        tools: [weatherTool, { ...weatherTool, name: 'json_answer' }],
      })
    ).body;
    assert.deepEqual(
      both.tools.map((t: any) => t.name),
      ['get_weather', 'json_answer', 'json_answer_'],
    );
    assert.deepEqual(both.tool_choice, { type: 'any' });
  });

  test('tool-call arguments that are no JSON object are refused before sending, naming the call', async () => {
    const { out } = await sent('anthropic', {
      messages: [
        { role: 'user', content: 'x' },
        {
          role: 'assistant',
          content: [{ type: 'tool-call', id: 'call_9', name: 'get_weather', arguments: '{"city":' }],
        },
        { role: 'tool', content: [{ type: 'tool-result', callId: 'call_9', content: 'ok' }] },
      ],
    });
    assert.equal(out.error?.kind, 'bad_request');
    assert.match(out.error.message, /tool call call_9 \(get_weather\).*not a JSON object/);
  });
});

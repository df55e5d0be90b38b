// Tool loops through the real `llm-gateway serve`, with the official SDKs as clients and the fake upstream as the
// model, across protocols: an Anthropic client answered by an OpenAI-compatible model that streams tool_calls,
// and an OpenAI client answered by an Anthropic model that streams tool_use blocks — definition → tool call →
// tool result → final text, ids kept verbatim both ways. Then parallel calls, and a call cut mid-arguments.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { usageRows } from '../helpers/chat-e2e.ts';
import { startServe, type Served } from '../helpers/serve.ts';

const openai = (s: Served) => new OpenAI({ baseURL: `${s.url}/v1`, apiKey: s.key, maxRetries: 0 });
const anthropic = (s: Served) => new Anthropic({ baseURL: s.url, apiKey: s.key, maxRetries: 0 });

const weatherSchema = { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] };
const anthropicTools = [
  { name: 'get_weather', description: 'Current temperature in a city', input_schema: weatherSchema },
] as Anthropic.Tool[];
const openAiTools: OpenAI.ChatCompletionTool[] = [
  {
    type: 'function',
    function: { name: 'get_weather', description: 'Current temperature in a city', parameters: weatherSchema },
  },
];

/** The body of the last chat request the fake upstream received. */
const lastBody = (s: Served) => s.fake.requests.filter((r) => r.format).at(-1)!.body;

describe('tool loops through serve, across protocols', () => {
  let s: Served;
  before(async () => {
    s = await startServe({ keys: ['groq', 'anthropic'], args: ['--allow-paid'] });
  });
  after(async () => {
    assert.equal(await s.stop(), 0);
  });

  test('Anthropic SDK -> OpenAI-compatible model streaming tool_calls: tool_use, then tool_result, then the answer', async () => {
    const client = anthropic(s);
    const question: Anthropic.MessageParam = { role: 'user', content: 'How warm is it in Paris?' };
    s.fake.script({
      toolCalls: [{ id: 'call_Xy12', name: 'get_weather', arguments: ['{"loca', 'tion": ', '"Paris"}'] }],
    });
    const first = await client.messages
      .stream({ model: 'llama', max_tokens: 200, tools: anthropicTools, messages: [question] })
      .finalMessage();
    assert.equal(first.stop_reason, 'tool_use');
    const call = first.content.find((b) => b.type === 'tool_use');
    assert.ok(call && call.type === 'tool_use', JSON.stringify(first.content));
    assert.deepEqual(
      [call.id, call.name, call.input],
      ['call_Xy12', 'get_weather', { location: 'Paris' }],
      'the upstream id, verbatim',
    );
    const sent = lastBody(s);
    assert.equal(s.fake.requests.at(-1)!.format, 'openai');
    assert.deepEqual(sent.tools, [
      {
        type: 'function',
        function: { name: 'get_weather', description: 'Current temperature in a city', parameters: weatherSchema },
      },
    ]);

    s.fake.script({ text: ['It is ', '14 °C in Paris.'] });
    const result: Anthropic.MessageParam = {
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: call.id, content: '14 °C' }],
    };
    const second = await client.messages
      .stream({
        model: 'llama',
        max_tokens: 200,
        tools: anthropicTools,
        messages: [question, { role: 'assistant', content: first.content }, result],
      })
      .finalMessage();
    assert.deepEqual(second.content, [{ type: 'text', text: 'It is 14 °C in Paris.' }]);
    assert.equal(second.stop_reason, 'end_turn');
    const back = lastBody(s).messages;
    const assistant = back.find((m: any) => m.role === 'assistant');
    assert.equal(assistant.tool_calls[0].id, 'call_Xy12', 'the id goes back upstream verbatim');
    assert.deepEqual(JSON.parse(assistant.tool_calls[0].function.arguments), { location: 'Paris' });
    const tool = back.find((m: any) => m.role === 'tool');
    assert.equal(tool.tool_call_id, 'call_Xy12');
    assert.match(JSON.stringify(tool.content), /14 °C/);
  });

  test('OpenAI SDK -> Anthropic model streaming tool_use: tool_calls deltas, then the tool message, then the answer', async () => {
    const client = openai(s);
    const question: OpenAI.ChatCompletionMessageParam = { role: 'user', content: 'How warm is it in Paris?' };
    s.fake.script({
      text: ['Let me check.'],
      toolCalls: [
        { id: 'toolu_01A09q90qw90lq917835lq9', name: 'get_weather', arguments: ['{"location":', ' "Paris"}'] },
      ],
    });
    const first = await client.chat.completions
      .stream({ model: 'haiku', tools: openAiTools, messages: [question] })
      .finalChatCompletion();
    assert.equal(s.fake.requests.at(-1)!.format, 'anthropic');
    assert.deepEqual(lastBody(s).tools, [
      { name: 'get_weather', description: 'Current temperature in a city', input_schema: weatherSchema },
    ]);
    const choice = first.choices[0]!;
    assert.equal(choice.finish_reason, 'tool_calls');
    assert.equal(choice.message.content, 'Let me check.');
    const call = choice.message.tool_calls![0]!;
    assert.ok(call.type === 'function');
    assert.equal(call.id, 'toolu_01A09q90qw90lq917835lq9');
    assert.deepEqual(JSON.parse(call.function.arguments), { location: 'Paris' });

    s.fake.script({ text: ['14 °C.'] });
    const second = await client.chat.completions.create({
      model: 'haiku',
      tools: openAiTools,
      messages: [
        question,
        { role: 'assistant', content: choice.message.content, tool_calls: choice.message.tool_calls },
        { role: 'tool', tool_call_id: call.id, content: '14 °C' },
      ],
    });
    assert.equal(second.choices[0]!.message.content, '14 °C.');
    const back = lastBody(s).messages;
    const useBlock = back
      .flatMap((m: any) => (Array.isArray(m.content) ? m.content : []))
      .find((b: any) => b.type === 'tool_use');
    const resultBlock = back
      .flatMap((m: any) => (Array.isArray(m.content) ? m.content : []))
      .find((b: any) => b.type === 'tool_result');
    assert.equal(useBlock.id, 'toolu_01A09q90qw90lq917835lq9');
    assert.deepEqual(useBlock.input, { location: 'Paris' });
    assert.equal(resultBlock.tool_use_id, 'toolu_01A09q90qw90lq917835lq9');
  });

  test('parallel tool calls: two tool_use blocks for an Anthropic client, two tool_calls for an OpenAI client', async () => {
    const calls = [
      { id: 'call_p1', name: 'get_weather', arguments: ['{"location":', ' "Paris"}'] },
      { id: 'call_p2', name: 'get_weather', arguments: ['{"location":', ' "Bogotá"}'] },
    ];
    s.fake.script({ toolCalls: calls });
    const message = await anthropic(s)
      .messages.stream({
        model: 'llama',
        max_tokens: 200,
        tools: anthropicTools,
        messages: [{ role: 'user', content: 'Paris and Bogotá?' }],
      })
      .finalMessage();
    const uses = message.content.filter((b) => b.type === 'tool_use');
    assert.deepEqual(
      uses.map((b) => b.type === 'tool_use' && [b.id, b.input]),
      [
        ['call_p1', { location: 'Paris' }],
        ['call_p2', { location: 'Bogotá' }],
      ],
    );

    s.fake.script({ toolCalls: calls });
    const completion = await openai(s).chat.completions.create({
      model: 'llama',
      tools: openAiTools,
      messages: [{ role: 'user', content: 'Paris and Bogotá?' }],
    });
    const got = completion.choices[0]!.message.tool_calls!.map(
      (c) => c.type === 'function' && [c.id, JSON.parse(c.function.arguments)],
    );
    assert.deepEqual(got, [
      ['call_p1', { location: 'Paris' }],
      ['call_p2', { location: 'Bogotá' }],
    ]);
    assert.equal(completion.choices[0]!.message.content, null);
  });
});

describe('a tool call cut mid-arguments', () => {
  test('the stream ends with an error event, nothing falls back, and the usage is recorded', async () => {
    // Two OpenAI-compatible providers could answer `auto`; the cut must not send the call to the second one.
    const s = await startServe({ keys: ['groq', 'siliconflow'] });
    try {
      s.fake.script({
        toolCalls: [{ id: 'call_cut', name: 'get_weather', arguments: ['{"loca', 'tion": "Paris"}'] }],
        cutAfter: 1,
      });
      const stream = anthropic(s).messages.stream({
        model: 'auto',
        max_tokens: 200,
        tools: anthropicTools,
        messages: [{ role: 'user', content: 'Paris?' }],
      });
      const types: string[] = [];
      stream.on('streamEvent', (e) => types.push(e.type));
      const err = await stream.finalMessage().catch((e) => e);
      assert.ok(err instanceof Anthropic.APIError, String(err));
      assert.match(err.message, /cut off/);
      assert.doesNotMatch(err.message, /cut off.*cut off/, 'said once');
      // The input streams as it comes (issue 17.3): the block and its first fragment went out, then the error, and
      // no content_block_stop that would pass a half input off as whole.
      assert.deepEqual(types, ['message_start', 'content_block_start', 'content_block_delta'], String(types));
      assert.equal(s.fake.requests.filter((r) => r.format).length, 1, 'no fallback after the first fragment');
      assert.equal(usageRows(s.home).at(-1)!.outcome, 'cut');

      // The mirror: an OpenAI client has seen the call's first delta (id and name), then gets the error chunk.
      s.fake.script({
        toolCalls: [{ id: 'call_cut2', name: 'get_weather', arguments: ['{"loca', 'tion": "Paris"}'] }],
        cutAfter: 1,
      });
      const chunks: OpenAI.ChatCompletionChunk[] = [];
      const stream2 = await openai(s).chat.completions.create({
        model: 'auto',
        tools: openAiTools,
        messages: [{ role: 'user', content: 'Paris?' }],
        stream: true,
      });
      const err2 = await (async () => {
        for await (const chunk of stream2) chunks.push(chunk);
      })().catch((e) => e);
      assert.ok(err2 instanceof OpenAI.APIError, String(err2));
      assert.match(err2.message, /cut off/);
      assert.doesNotMatch(err2.message, /cut off.*cut off/, 'said once');
      assert.equal(chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? [])[0]?.id, 'call_cut2');
      assert.equal(s.fake.requests.filter((r) => r.format).length, 2, 'again no fallback');
      const rows = usageRows(s.home);
      assert.deepEqual(
        rows.map((r) => r.outcome),
        ['cut', 'cut'],
      );
    } finally {
      await s.stop();
    }
  });
});

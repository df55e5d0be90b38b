// The fake upstream's tool calls, reasoning and cache usage: checked raw, and by the official SDKs' own stream
// accumulators (openai-node's chat.completions.stream, @anthropic-ai/sdk's messages.stream), so the wire shapes are
// the ones the SDKs were written for and not our adapters' reading of them.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { startFakeUpstream, type FakeUpstream, type Step } from '../fake-upstream/index.ts';

let fake: FakeUpstream;
let openai: OpenAI;
let anthropic: Anthropic;
before(async () => {
  fake = await startFakeUpstream();
  openai = new OpenAI({ baseURL: fake.openaiBaseUrl, apiKey: 'k', maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: fake.anthropicBaseUrl, apiKey: 'k', maxRetries: 0 });
});
after(() => fake.close());

const weather = (city: string, id?: string | null) => ({
  ...(id === undefined ? {} : { id }),
  name: 'get_weather',
  arguments: ['{"ci', `ty":"${city}"}`],
});
const post = (path: string, body: object) =>
  fetch(`${fake.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const dataLines = (text: string) =>
  text
    .split('\n')
    .filter((l) => l.startsWith('data: '))
    .map((l) => l.slice(6));
const openaiRaw = async (step: Step) => {
  fake.script(step);
  const text = await (
    await post('/v1/chat/completions', {
      model: 'm',
      messages: [],
      stream: true,
      stream_options: { include_usage: true },
    })
  ).text();
  return dataLines(text)
    .filter((d) => d !== '[DONE]')
    .map((d) => JSON.parse(d));
};

describe('fake upstream: OpenAI tool calls and reasoning', () => {
  test('parallel calls stream id and name first, then argument fragments; finish_reason tool_calls', async () => {
    fake.script({ toolCalls: [weather('Paris'), weather('Oslo')] });
    const stream = openai.chat.completions.stream({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
    const done = await stream.finalChatCompletion();
    const choice = done.choices[0]!;
    assert.equal(choice.finish_reason, 'tool_calls');
    assert.deepEqual(
      choice.message.tool_calls?.map((c) => [
        c.id,
        c.type === 'function' && c.function.name,
        c.type === 'function' && c.function.arguments,
      ]),
      [
        ['call_fake_1', 'get_weather', '{"city":"Paris"}'],
        ['call_fake_2', 'get_weather', '{"city":"Oslo"}'],
      ],
    );
  });

  test('reasoning_content deltas come before the answer', async () => {
    const chunks = await openaiRaw({ reasoning: ['Think', 'ing'], text: ['Hi'] });
    const deltas = chunks.map((c) => c.choices[0]?.delta).filter((d) => d && (d.reasoning_content || d.content));
    assert.deepEqual(deltas, [{ reasoning_content: 'Think' }, { reasoning_content: 'ing' }, { content: 'Hi' }]);
  });

  test('whole calls in one chunk, without index or id, when the step says so', async () => {
    const chunks = await openaiRaw({
      toolCalls: [weather('Rome', null)],
      toolCallChunks: 'whole',
      omitToolIndex: true,
    });
    const calls = chunks.flatMap((c) => c.choices[0]?.delta?.tool_calls ?? []);
    assert.deepEqual(calls, [{ type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } }]);
  });

  test('cached and reasoning tokens in usage; JSON answer with tool_calls and content null', async () => {
    const chunks = await openaiRaw({ text: ['ok'], usage: { input: 100, output: 9, cacheRead: 64, reasoning: 5 } });
    assert.deepEqual(chunks.at(-1).usage, {
      prompt_tokens: 100,
      completion_tokens: 9,
      total_tokens: 109,
      prompt_tokens_details: { cached_tokens: 64 },
      completion_tokens_details: { reasoning_tokens: 5 },
    });
    fake.script({ toolCalls: [weather('Paris')] });
    const json = await (await post('/v1/chat/completions', { model: 'm', messages: [] })).json();
    assert.deepEqual(json.choices[0].message, {
      role: 'assistant',
      content: null,
      tool_calls: [
        { id: 'call_fake_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
      ],
    });
    assert.equal(json.choices[0].finish_reason, 'tool_calls');
  });

  test('cutAfter counts argument fragments: the connection drops mid-arguments', async () => {
    fake.script({ toolCalls: [weather('Paris')], cutAfter: 1 });
    const res = await post('/v1/chat/completions', { model: 'm', messages: [], stream: true });
    const reader = res.body!.getReader();
    let text = '';
    await assert.rejects(async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        text += new TextDecoder().decode(value);
      }
    });
    assert.ok(text.includes('{\\"ci'), text);
    assert.ok(!text.includes('Paris') && !text.includes('finish_reason":"tool_calls'));
  });
});

describe('fake upstream: Anthropic tool_use and thinking', () => {
  test('thinking with signature, text, parallel tool_use blocks; stop_reason tool_use', async () => {
    fake.script({
      reasoning: ['Let me', ' check'],
      reasoningSignature: 'sig-A',
      text: ['Checking.'],
      toolCalls: [weather('Paris'), weather('Oslo', 'toolu_X')],
    });
    const msg = await anthropic.messages
      .stream({ model: 'c', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] })
      .finalMessage();
    assert.equal(msg.stop_reason, 'tool_use');
    assert.deepEqual(
      msg.content.map((b) => b.type),
      ['thinking', 'text', 'tool_use', 'tool_use'],
    );
    const [thinking, text, a, b] = msg.content as any[];
    assert.deepEqual([thinking.thinking, thinking.signature], ['Let me check', 'sig-A']);
    assert.equal(text.text, 'Checking.');
    assert.deepEqual([a.id, a.name, a.input], ['toolu_fake_1', 'get_weather', { city: 'Paris' }]);
    assert.deepEqual([b.id, b.input], ['toolu_X', { city: 'Oslo' }]);
  });

  test('cache reads and writes beside input_tokens; JSON answer with tool_use input as an object', async () => {
    fake.script({ usage: { input: 7, output: 3, cacheRead: 500, cacheWrite: 40 } });
    const msg = await anthropic.messages
      .stream({ model: 'c', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] })
      .finalMessage();
    assert.equal(msg.usage.input_tokens, 7);
    assert.equal(msg.usage.cache_read_input_tokens, 500);
    assert.equal(msg.usage.cache_creation_input_tokens, 40);
    assert.equal(msg.usage.output_tokens, 3);
    fake.script({ toolCalls: [weather('Paris')] });
    const json = await anthropic.messages.create({
      model: 'c',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'hi' }],
    });
    assert.deepEqual(json.content, [
      { type: 'tool_use', id: 'toolu_fake_1', name: 'get_weather', input: { city: 'Paris' } },
    ]);
  });

  test('cutAfter counts partial_json fragments', async () => {
    fake.script({ toolCalls: [weather('Paris')], cutAfter: 1 });
    const stream = anthropic.messages.stream({
      model: 'c',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'hi' }],
    });
    const seen: string[] = [];
    stream.on('inputJson', (partial) => partial && seen.push(partial)); // the first delta is empty, as Anthropic sends it
    await assert.rejects(stream.finalMessage());
    assert.deepEqual(seen, ['{"ci']);
  });

  test('requests are recorded with their bodies', async () => {
    fake.requests.length = 0;
    const tools = [{ name: 'get_weather', input_schema: { type: 'object' as const, properties: {} } }];
    await anthropic.messages.create({ model: 'c', max_tokens: 5, tools, messages: [{ role: 'user', content: 'hi' }] });
    assert.deepEqual(fake.requests[0]!.body.tools, tools);
  });
});

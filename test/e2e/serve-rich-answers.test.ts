// Images, structured output, reasoning and cache usage through the real `llm-gateway serve`, official SDKs as
// clients, the fake upstream as the model, crossing protocols where it matters: what the client sent reaches the
// upstream in the upstream's own shape, and what the upstream answered comes back in the client's.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { startServe, type Served } from '../helpers/serve.ts';

const openai = (s: Served) => new OpenAI({ baseURL: `${s.url}/v1`, apiKey: s.key, maxRetries: 0 });
const anthropic = (s: Served) => new Anthropic({ baseURL: s.url, apiKey: s.key, maxRetries: 0 });
const lastRequest = (s: Served) => s.fake.requests.filter((r) => r.format).at(-1)!;

/** A 1x1 PNG. */
const PIXEL = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const schema = {
  type: 'object',
  properties: { colour: { type: 'string' } },
  required: ['colour'],
  additionalProperties: false,
};

describe('rich answers through serve', () => {
  let s: Served;
  before(async () => {
    s = await startServe({ keys: ['groq', 'anthropic'], args: ['--allow-paid'] });
  });
  after(async () => {
    assert.equal(await s.stop(), 0);
  });

  test("an OpenAI client's data: URL image reaches an Anthropic model as a base64 image block", async () => {
    await openai(s).chat.completions.create({
      model: 'claude-sonnet-5',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What colour?' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${PIXEL}` } },
          ],
        },
      ],
    });
    const sent = lastRequest(s);
    assert.equal(sent.format, 'anthropic');
    const blocks = sent.body.messages[0].content;
    assert.deepEqual(
      blocks.find((b: any) => b.type === 'image'),
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PIXEL } },
    );
  });

  test('an image for a model without vision: a 400 that says the request needs images, nothing sent upstream', async () => {
    const before = s.fake.requests.length;
    const image = {
      type: 'image' as const,
      source: { type: 'base64' as const, media_type: 'image/png' as const, data: PIXEL },
    };
    const err = await anthropic(s)
      .messages.create({
        model: 'llama',
        max_tokens: 50,
        messages: [{ role: 'user', content: [image, { type: 'text', text: 'What colour?' }] }],
      })
      .catch((e) => e);
    assert.ok(err instanceof Anthropic.APIError, String(err));
    assert.equal(err.status, 400);
    assert.match(err.message, /needs images \(vision\)/);
    assert.match(err.message, /llama-3\.1-8b-instant \(groq\): lacks vision/);
    assert.equal(s.fake.requests.length, before);
  });

  test("an OpenAI client's json_schema answer from an Anthropic model comes back as the message text", async () => {
    // The adapter asks Anthropic for JSON through a forced tool and turns its input back into text.
    s.fake.script({ toolCalls: [{ name: 'json_answer', arguments: ['{"colour":', ' "red"}'] }] });
    const completion = await openai(s).chat.completions.create({
      model: 'claude-sonnet-5',
      messages: [{ role: 'user', content: 'Name a colour.' }],
      response_format: { type: 'json_schema', json_schema: { name: 'colour', schema, strict: true } },
    });
    assert.deepEqual(JSON.parse(completion.choices[0]!.message.content!), { colour: 'red' });
    assert.equal(completion.choices[0]!.finish_reason, 'stop');
    assert.equal(completion.choices[0]!.message.tool_calls, undefined);
  });

  test("an Anthropic client's output_format reaches an OpenAI-compatible model as response_format json_schema", async () => {
    s.fake.script({ text: ['{"colour": "red"}'] });
    const message = await anthropic(s).messages.create({
      model: 'llama',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'Name a colour.' }],
      // @ts-expect-error structured outputs are newer than this SDK's types
      output_format: { type: 'json_schema', schema },
    });
    assert.deepEqual(message.content, [{ type: 'text', text: '{"colour": "red"}' }]);
    const format = lastRequest(s).body.response_format;
    assert.equal(format.type, 'json_schema');
    assert.deepEqual(format.json_schema.schema, schema);
  });

  test('reasoning and cache usage: reasoning_content and cached_tokens for an OpenAI client', async () => {
    s.fake.script({
      reasoning: ['Red is ', 'a colour.'],
      text: ['Red.'],
      usage: { input: 1200, output: 30, cacheRead: 1024, reasoning: 20 },
    });
    const completion = await openai(s).chat.completions.create({
      model: 'llama',
      messages: [{ role: 'user', content: 'A colour?' }],
    });
    const message = completion.choices[0]!.message as OpenAI.ChatCompletionMessage & { reasoning_content?: string };
    assert.equal(message.content, 'Red.');
    assert.equal(message.reasoning_content, 'Red is a colour.');
    assert.equal(completion.usage!.prompt_tokens, 1200);
    assert.equal(completion.usage!.prompt_tokens_details?.cached_tokens, 1024);
    assert.equal(completion.usage!.completion_tokens_details?.reasoning_tokens, 20);
  });

  test('signed thinking and cache usage: a thinking block with its signature for an Anthropic client, streaming and not', async () => {
    const step = {
      reasoning: ['Red is ', 'a colour.'],
      reasoningSignature: 'sig-EqQBCgIYAhIM',
      text: ['Red.'],
      usage: { input: 50, output: 30, cacheRead: 1800, cacheWrite: 250 },
    };
    for (const stream of [false, true]) {
      s.fake.script(step);
      const request = {
        model: 'claude-sonnet-5',
        max_tokens: 100,
        messages: [{ role: 'user' as const, content: 'A colour?' }],
      };
      const message = stream
        ? await anthropic(s).messages.stream(request).finalMessage()
        : await anthropic(s).messages.create(request);
      assert.deepEqual(
        message.content,
        [
          { type: 'thinking', thinking: 'Red is a colour.', signature: 'sig-EqQBCgIYAhIM' },
          { type: 'text', text: 'Red.' },
        ],
        `stream: ${stream}`,
      );
      assert.equal(message.usage.input_tokens, 50, 'input without the cache reads and writes, as Anthropic reports it');
      assert.equal(message.usage.cache_read_input_tokens, 1800);
      assert.equal(message.usage.cache_creation_input_tokens, 250);
    }
  });

  test('count_tokens counts tool definitions', async () => {
    const messages = [{ role: 'user' as const, content: 'How warm is it in Paris?' }];
    const plain = await anthropic(s).messages.countTokens({ model: 'auto', messages });
    const withTools = await anthropic(s).messages.countTokens({
      model: 'auto',
      messages,
      tools: [
        {
          name: 'get_weather',
          description: 'Current temperature in a city, in degrees Celsius',
          input_schema: { type: 'object', properties: { location: { type: 'string' } } },
        },
      ],
    });
    assert.ok(withTools.input_tokens > plain.input_tokens + 10, `${withTools.input_tokens} vs ${plain.input_tokens}`);
  });
});

// The official clients -> the real `llm-gateway serve` subprocess -> the fake upstream: both endpoints, streaming and
// not, to both upstream protocols; fallback before the first byte; the error statuses a client acts on.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { usageRows } from '../helpers/chat-e2e.ts';
import { startServe, type Served } from '../helpers/serve.ts';

const openai = (s: Served) => new OpenAI({ baseURL: `${s.url}/v1`, apiKey: s.key, maxRetries: 0 });
const anthropic = (s: Served) => new Anthropic({ baseURL: s.url, apiKey: s.key, maxRetries: 0 });
const hi = [{ role: 'user' as const, content: 'hi' }];

describe('official SDKs through serve', () => {
  let s: Served;
  before(async () => {
    s = await startServe({ keys: ['groq', 'siliconflow', 'anthropic'], args: ['--allow-paid'] });
  });
  after(async () => {
    assert.equal(await s.stop(), 0);
  });

  test('openai SDK, not streaming, to an OpenAI-protocol provider: the answer, usage and who answered', async () => {
    const { data, response } = await openai(s).chat.completions.create({ model: 'llama', messages: hi }).withResponse();
    assert.equal(data.choices[0]!.message.content, 'Hello, world');
    assert.equal(data.model, 'llama-3.1-8b-instant');
    assert.deepEqual(data.usage, { prompt_tokens: 11, completion_tokens: 3, total_tokens: 14 });
    assert.equal(response.headers.get('x-llm-gateway-provider'), 'groq');
    assert.equal(response.headers.get('x-llm-gateway-billing'), 'free-tier');
    assert.equal(response.headers.get('x-llm-gateway-free-remaining'), String(1_000_000 - 14));
    assert.equal(
      s.fake.requests.at(-1)!.authorization,
      'Bearer gsk-CANARY-groq-7d41c9e2b8a05f36',
      'the provider key goes to the provider',
    );
  });

  test('openai SDK, streaming with include_usage: every delta, then the usage chunk', async () => {
    const stream = await openai(s).chat.completions.create({
      model: 'llama',
      messages: hi,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: unknown;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    assert.equal(text, 'Hello, world');
    assert.deepEqual(usage, { prompt_tokens: 11, completion_tokens: 3, total_tokens: 14 });
  });

  test('anthropic SDK, not streaming, routed to an OpenAI-protocol provider', async () => {
    const message = await anthropic(s).messages.create({
      model: 'llama',
      max_tokens: 50,
      system: 'be brief',
      messages: hi,
    });
    assert.deepEqual(message.content, [{ type: 'text', text: 'Hello, world' }]);
    assert.equal(message.stop_reason, 'end_turn');
    assert.deepEqual([message.usage.input_tokens, message.usage.output_tokens], [11, 3]);
    assert.deepEqual(s.fake.requests.at(-1)!.body.messages[0], { role: 'system', content: 'be brief' });
  });

  test('anthropic SDK, streaming: the SDK accumulates the full event sequence into a final message', async () => {
    const stream = anthropic(s).messages.stream({ model: 'llama', max_tokens: 50, messages: hi });
    const types: string[] = [];
    stream.on('streamEvent', (e) => types.push(e.type));
    const message = await stream.finalMessage();
    assert.equal(message.content[0]!.type === 'text' && message.content[0]!.text, 'Hello, world');
    assert.deepEqual([message.usage.input_tokens, message.usage.output_tokens], [11, 3]);
    assert.deepEqual(types, [
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
  });

  test('both SDKs to an Anthropic-protocol provider (paid, allowed by --allow-paid), streaming and not', async () => {
    const viaOpenAi = await openai(s).chat.completions.create({ model: 'haiku', messages: hi });
    assert.equal(viaOpenAi.choices[0]!.message.content, 'Hello, world');
    const last = s.fake.requests.at(-1)!;
    assert.equal(last.format, 'anthropic');
    assert.equal(last.xApiKey, 'sk-ant-CANARY-apikey-58f1d3e7a2c4');

    const stream = await openai(s).chat.completions.create({ model: 'haiku', messages: hi, stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    assert.equal(text, 'Hello, world');

    const message = await anthropic(s)
      .messages.stream({ model: 'claude-haiku-5-5', max_tokens: 50, messages: hi })
      .finalMessage();
    assert.equal(message.model, 'claude-haiku-5-5');
    assert.deepEqual([message.usage.input_tokens, message.usage.output_tokens], [11, 3]);
  });

  test('a request narrows paid use with x-llm-gateway-allow-paid: false (and cannot widen it elsewhere)', async () => {
    const err = await openai(s)
      .chat.completions.create({ model: 'haiku', messages: hi }, { headers: { 'x-llm-gateway-allow-paid': 'false' } })
      .catch((e) => e);
    assert.ok(err instanceof OpenAI.APIError);
    assert.equal(err.status, 429);
    assert.match(err.message, /paid models are off/);
  });

  test('fallback before the first byte: the client sees one clean stream and a fallback header', async () => {
    const before = s.fake.requests.length;
    s.fake.script({ fault: 'unauthorized' });
    const { data: stream, response } = await openai(s)
      .chat.completions.create(
        { model: 'auto', messages: hi, stream: true },
        { headers: { 'x-llm-gateway-allow-paid': 'false' } },
      )
      .withResponse();
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    assert.equal(text, 'Hello, world');
    assert.equal(s.fake.requests.length - before, 2);
    // SiliconFlow's daily tier lapses first, so auto tries it first; its 401 passes the call to Groq.
    assert.match(response.headers.get('x-llm-gateway-fallback') ?? '', /^Qwen2.5-7B-Instruct \(siliconflow\): .*401/);
    assert.equal(response.headers.get('x-llm-gateway-provider'), 'groq');
  });

  test("an unknown model is a 404 naming the field (as OpenAI answers it), in each wire's error object", async () => {
    const e1 = await openai(s)
      .chat.completions.create({ model: 'lama-3', messages: hi })
      .catch((e) => e);
    assert.equal(e1.status, 404);
    assert.equal(e1.code, 'model_not_found');
    assert.equal(e1.param, 'model');
    assert.match(e1.message, /llama/);
    const e2 = await anthropic(s)
      .messages.create({ model: 'lama-3', max_tokens: 5, messages: hi })
      .catch((e) => e);
    assert.equal(e2.status, 404);
    assert.equal(e2.error.type, 'error');
    assert.equal(e2.error.error.type, 'not_found_error');
  });

  test('a part the gateway does not carry (audio input) is a 400 that names it, before any upstream call', async () => {
    const before = s.fake.requests.length;
    const err = await openai(s)
      .chat.completions.create({
        model: 'llama',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'what is said?' },
              { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
            ],
          },
        ],
      })
      .catch((e) => e);
    assert.equal(err.status, 400);
    assert.equal(err.param, 'messages[0].content[1]');
    assert.equal(err.code, 'field_not_supported');
    assert.match(err.message, /audio input/);
    assert.equal(s.fake.requests.length, before);
  });

  test('GET /v1/models lists catalog models, auto and the scenarios; count_tokens answers the estimate', async () => {
    const ids = [];
    for await (const m of openai(s).models.list()) ids.push(m.id);
    for (const id of ['llama-3.1-8b-instant', 'claude-sonnet-5', 'auto', 'default', 'code'])
      assert.ok(ids.includes(id), id);
    const viaAnthropic = await anthropic(s).models.list();
    assert.ok(viaAnthropic.data.some((m) => m.id === 'auto'));
    const count = await anthropic(s).messages.countTokens({ model: 'auto', messages: hi });
    assert.ok(count.input_tokens > 0);
  });

  test('every answer was recorded in the ledger', () => {
    const rows = usageRows(s.home);
    assert.ok(rows.length >= 8, JSON.stringify(rows));
    assert.ok(
      rows.every((r) => r.outcome === 'ok'),
      JSON.stringify(rows),
    );
  });
});

describe('error statuses', () => {
  test('free tier used up -> 429 with Retry-After at the next reset; no key anywhere -> 503 naming the keys', async () => {
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const { tempHome } = await import('../helpers/cli.ts');
    const home = tempHome();
    mkdirSync(home, { recursive: true });
    // Groq's free tier shrunk to 100 tokens a month: a request needs more than that, and nothing paid is allowed.
    writeFileSync(
      `${home}/settings.json`,
      JSON.stringify({
        freeTiers: [
          { provider: 'groq', model: 'llama-3.1-8b-instant', tokens: 100, period: 'monthly', anchor: '2026-02-15' },
        ],
      }),
    );
    const s = await startServe({ keys: ['groq'], home });
    try {
      const err = await openai(s)
        .chat.completions.create({ model: 'llama', messages: hi })
        .catch((e) => e);
      assert.equal(err.status, 429);
      // LLM_GATEWAY_NOW is 2026-11-26T04:00Z; the monthly window anchored on the 15th resets 2026-12-15.
      assert.equal(
        err.headers.get('retry-after'),
        String((Date.parse('2026-12-15T00:00:00Z') - Date.parse('2026-11-26T04:00:00Z')) / 1000),
      );
      assert.equal(err.code, 'no_free_quota');
      assert.equal(s.fake.requests.length, 0, 'nothing was sent upstream');

      const noKey = await anthropic(s)
        .messages.create({ model: 'haiku', max_tokens: 5, messages: hi })
        .catch((e) => e);
      assert.equal(noKey.status, 503);
      assert.match(noKey.message, /ANTHROPIC_API_KEY/);
      assert.doesNotMatch(noKey.message, /--allow-paid|--api-key/);
    } finally {
      assert.equal(await s.stop(), 0);
    }
  });

  test("every upstream failed -> 502 in the wire's error object", async () => {
    const s = await startServe({ keys: ['groq'] });
    try {
      s.fake.script({ fault: 'server_error' }, { fault: 'server_error' });
      const err = await anthropic(s)
        .messages.create({ model: 'llama', max_tokens: 5, messages: hi })
        .catch((e) => e);
      assert.equal(err.status, 502);
      assert.equal(err.error.error.type, 'api_error');
      assert.equal(s.fake.requests.length, 2, 'retried once, then gave up');
    } finally {
      await s.stop();
    }
  });
});

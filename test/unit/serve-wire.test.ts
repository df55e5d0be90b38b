// The wire translators alone: request bodies in (OpenAI chat-completions, Anthropic Messages), answers out (JSON
// and SSE). Bodies follow the public API references the files cite; the SSE output is read back with a plain parser.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ChatResult } from '../../src/core/gateway.ts';
import { HttpError } from '../../src/server/http-error.ts';
import { readAnthropicRequest } from '../../src/protocols/anthropic-messages/request-decode.ts';
import { anthropicError, anthropicMessage } from '../../src/protocols/anthropic-messages/answer-encode.ts';
import { anthropicStream } from '../../src/protocols/anthropic-messages/stream-encode.ts';
import { readOpenAiRequest } from '../../src/protocols/openai-chat/request-decode.ts';
import { openAiCompletion, openAiError } from '../../src/protocols/openai-chat/answer-encode.ts';
import { openAiStream } from '../../src/protocols/openai-chat/stream-encode.ts';

const meta = { id: 'req-1', created: 1_800_000_000, inputEstimate: 9 };
const result: ChatResult = {
  requestId: 'r',
  text: 'Hello, world',
  model: 'llama-3.1-8b-instant',
  provider: 'groq',
  billing: 'free-tier',
  usage: { inputTokens: 11, outputTokens: 3, estimated: false },
  finishReason: 'length',
  toolCalls: [],
  fallbacks: [],
  freeRemaining: 10,
};

function rejects(fn: () => unknown, param: string, code?: string) {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof HttpError, String(err));
    assert.equal(err.status, 400);
    assert.equal(err.param, param);
    if (code) assert.equal(err.code, code);
    assert.ok(err.message.includes(param.split('[')[0]!), err.message);
    return true;
  });
}

/** `data:` payloads (and event names) of an SSE text. */
function events(text: string): Array<{ event?: string; data: string }> {
  return text
    .split('\n\n')
    .filter(Boolean)
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1];
      return { event, data: /^data: (.*)$/m.exec(block)![1]! };
    });
}

describe('OpenAI request in', () => {
  test('text messages, developer as system, text parts joined, max_completion_tokens preferred', () => {
    const r = readOpenAiRequest({
      model: 'auto',
      messages: [
        { role: 'developer', content: 'be brief' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'hel' },
            { type: 'text', text: 'lo' },
          ],
        },
      ],
      max_tokens: 5,
      max_completion_tokens: 7,
      temperature: 0.5,
      stream: true,
      stream_options: { include_usage: true },
      user: 'u1',
      top_p: 1,
    });
    assert.deepEqual(r, {
      model: 'auto',
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'hello' },
      ],
      maxTokens: 7,
      temperature: 0.5,
      stream: true,
      includeUsage: true,
    });
  });
  test('a field naming an upstream or its key is refused with its own code', () => {
    for (const field of ['api_base', 'base_url', 'api_key']) {
      rejects(
        () =>
          readOpenAiRequest({
            model: 'auto',
            messages: [{ role: 'user', content: 'hi' }],
            [field]: 'http://127.0.0.1:9/v1',
          }),
        field,
        'upstream_not_allowed',
      );
    }
  });
  test('bad values name their field; unknown fields are refused as the API itself does', () => {
    rejects(() => readOpenAiRequest({ messages: [{ role: 'user', content: 'hi' }] }), 'model');
    rejects(() => readOpenAiRequest({ model: 'auto', messages: [] }), 'messages');
    rejects(
      () => readOpenAiRequest({ model: 'auto', messages: [{ role: 'user', content: 'hi' }], temperature: 3 }),
      'temperature',
    );
    rejects(
      () => readOpenAiRequest({ model: 'auto', messages: [{ role: 'user', content: 'hi' }], max_tokens: 0 }),
      'max_tokens',
    );
    rejects(() => readOpenAiRequest({ model: 'auto', messages: [{ role: 'user', content: 'hi' }], n: 2 }), 'n');
    rejects(
      () => readOpenAiRequest({ model: 'auto', messages: [{ role: 'user', content: 'hi' }], frobnicate: 1 }),
      'frobnicate',
      'unknown_field',
    );
    rejects(() => readOpenAiRequest([1, 2]), 'body');
  });
});

describe('Anthropic request in', () => {
  test('system (string or text blocks) leads; a block with cache_control stays a part carrying it', () => {
    const r = readAnthropicRequest({
      model: 'sonnet',
      max_tokens: 64,
      system: [{ type: 'text', text: 'be brief', cache_control: { type: 'ephemeral' } }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'hi' }] },
        { role: 'assistant', content: 'hello' },
        { role: 'user', content: 'again' },
      ],
      metadata: { user_id: 'x' },
    });
    assert.deepEqual(r.messages, [
      { role: 'system', content: [{ type: 'text', text: 'be brief', hints: { cacheControl: { type: 'ephemeral' } } }] },
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'hello' },
      { role: 'user', content: 'again' },
    ]);
    assert.equal(r.maxTokens, 64);
    assert.equal(r.stream, false);
  });
  test('max_tokens is required except for count_tokens', () => {
    rejects(() => readAnthropicRequest({ model: 'auto', messages: [{ role: 'user', content: 'hi' }] }), 'max_tokens');
    assert.equal(
      readAnthropicRequest({ model: 'auto', messages: [{ role: 'user', content: 'hi' }] }, { countTokens: true })
        .maxTokens,
      undefined,
    );
  });
  test('bad values name their field', () => {
    const user = (content: unknown) => ({ model: 'auto', max_tokens: 9, messages: [{ role: 'user', content }] });
    rejects(
      () => readAnthropicRequest({ ...user('hi'), base_url: 'http://127.0.0.1:9' }),
      'base_url',
      'upstream_not_allowed',
    );
    rejects(() => readAnthropicRequest({ ...user('hi'), temperature: 1.5 }), 'temperature');
    rejects(
      () => readAnthropicRequest({ model: 'auto', max_tokens: 9, messages: [{ role: 'tool', content: 'x' }] }),
      'messages[0].role',
    );
    rejects(
      () => readAnthropicRequest(user([{ type: 'tool_result', content: 'x' }])),
      'messages[0].content[0].tool_use_id',
    );
    rejects(() => readAnthropicRequest({ ...user('hi'), tools: [{ name: 't' }] }), 'tools[0].input_schema');
    rejects(() => readAnthropicRequest({ ...user('hi'), tool_choice: { type: 'tool' } }), 'tool_choice.name');
  });
});

describe('OpenAI answer out', () => {
  test('chat.completion JSON with usage and the answering model', () => {
    const body = openAiCompletion(result, meta);
    assert.equal(body.object, 'chat.completion');
    assert.equal(body.model, 'llama-3.1-8b-instant');
    assert.equal(body.choices[0]!.message.content, 'Hello, world');
    assert.equal(body.choices[0]!.finish_reason, 'length');
    assert.deepEqual(body.usage, { prompt_tokens: 11, completion_tokens: 3, total_tokens: 14 });
  });
  test('stream: role chunk, deltas, finish chunk, usage chunk only when asked, then [DONE]', () => {
    for (const includeUsage of [true, false]) {
      const enc = openAiStream({ includeUsage }, meta);
      const text =
        enc.start('m') +
        enc.event({ type: 'text-delta', text: 'Hel' }) +
        enc.event({ type: 'text-delta', text: 'lo' }) +
        enc.finish(result);
      const data = events(text).map((e) => e.data);
      assert.equal(data.at(-1), '[DONE]');
      const chunks = data.slice(0, -1).map((d) => JSON.parse(d));
      assert.ok(
        chunks.every((c) => c.object === 'chat.completion.chunk' && c.id === 'chatcmpl-req-1' && c.model === 'm'),
      );
      assert.deepEqual(chunks[0].choices[0].delta, { role: 'assistant', content: '' });
      assert.equal(chunks.map((c) => c.choices[0]?.delta?.content ?? '').join(''), 'Hello');
      assert.equal(chunks[3].choices[0].finish_reason, 'length');
      if (includeUsage) {
        assert.equal(chunks.length, 5);
        assert.deepEqual(chunks[4].choices, []);
        assert.equal(chunks[4].usage.total_tokens, 14);
        assert.ok(chunks.slice(0, 4).every((c) => c.usage === null));
      } else {
        assert.equal(chunks.length, 4);
        assert.ok(chunks.every((c) => !('usage' in c)));
      }
    }
  });
  test('errors in the OpenAI error object, in a body or in the stream', () => {
    const err = new HttpError('rate_limit', 'no free quota', undefined, {}, 'no_free_quota');
    assert.deepEqual(openAiError(err), {
      error: { message: 'no free quota', type: 'rate_limit_error', param: null, code: 'no_free_quota' },
    });
    assert.deepEqual(
      JSON.parse(events(openAiStream({ includeUsage: false }, meta).error(err))[0]!.data),
      openAiError(err),
    );
  });
});

describe('Anthropic answer out', () => {
  test('message JSON with stop_reason and usage', () => {
    const body = anthropicMessage(result, meta);
    assert.equal(body.type, 'message');
    assert.deepEqual(body.content, [{ type: 'text', text: 'Hello, world' }]);
    assert.equal(body.stop_reason, 'max_tokens');
    assert.deepEqual(body.usage, { input_tokens: 11, output_tokens: 3 });
  });
  test('stream: the full event sequence, each event named as its type', () => {
    const enc = anthropicStream({}, meta);
    const list = events(
      enc.start('m') +
        enc.event({ type: 'text-delta', text: 'Hel' }) +
        enc.event({ type: 'text-delta', text: 'lo' }) +
        enc.finish(result),
    );
    assert.deepEqual(
      list.map((e) => e.event),
      [
        'message_start',
        'ping',
        'content_block_start',
        'content_block_delta',
        'content_block_delta',
        'content_block_stop',
        'message_delta',
        'message_stop',
      ],
    );
    const payloads = list.map((e) => JSON.parse(e.data));
    assert.ok(payloads.every((p, i) => p.type === list[i]!.event));
    assert.equal(payloads[0].message.usage.input_tokens, 9, 'the estimate until the real count arrives');
    assert.equal(payloads[3].delta.text + payloads[4].delta.text, 'Hello');
    assert.deepEqual(payloads[6].usage, { input_tokens: 11, output_tokens: 3 });
    assert.equal(payloads[6].delta.stop_reason, 'max_tokens');
  });
  test('errors in the Anthropic error object; in a stream as an error event', () => {
    const err = new HttpError('upstream_failed', 'every provider failed');
    assert.deepEqual(anthropicError(err), {
      type: 'error',
      error: { type: 'api_error', message: 'every provider failed' },
    });
    const [event] = events(anthropicStream({}, meta).error(err));
    assert.equal(event!.event, 'error');
    assert.deepEqual(JSON.parse(event!.data), anthropicError(err));
  });
});

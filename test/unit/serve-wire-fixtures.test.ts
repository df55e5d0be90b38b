// The wire translation tables, case by case, on recorded request and response pairs: every file under
// test/fixtures/wire/<table>/ is one case — `source` (the public page its input copies), `input`, `expected` — so a
// reader sees each translation whole and a new case is a new file. Tables:
//   openai-in, anthropic-in    a client's request body -> the request the gateway runs (or the 400 it gets)
//   openai-out, anthropic-out  an answer (the gateway's events and result) -> the JSON body or the SSE events
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { ChatResult } from '../../src/core/gateway.ts';
import { HttpError } from '../../src/server/http-error.ts';
import { readAnthropicRequest } from '../../src/protocols/anthropic-messages/request-decode.ts';
import { anthropicMessage } from '../../src/protocols/anthropic-messages/answer-encode.ts';
import { anthropicStream } from '../../src/protocols/anthropic-messages/stream-encode.ts';
import { readOpenAiRequest } from '../../src/protocols/openai-chat/request-decode.ts';
import { openAiCompletion } from '../../src/protocols/openai-chat/answer-encode.ts';
import { openAiStream } from '../../src/protocols/openai-chat/stream-encode.ts';
import type { AnswerEvent, AnswerMeta, StreamEncoder } from '../../src/server/wire/wire.ts';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'wire');

interface Fixture {
  source: string;
  note?: string;
  input: any;
  expected: any;
}

function cases(table: string): Array<[string, Fixture]> {
  return readdirSync(join(DIR, table))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => [f.replace(/\.json$/, ''), JSON.parse(readFileSync(join(DIR, table, f), 'utf8')) as Fixture]);
}

function checkSource(fixture: Fixture): void {
  assert.match(
    fixture.source,
    /^https:\/\/(platform\.openai\.com|docs\.anthropic\.com|docs\.claude\.com|api-docs\.deepseek\.com)\//,
    'each case names the public page it copies',
  );
}

/** A request case: the reader's result, or the 400 it throws (`expected.error`: status, param, code, words). */
function checkRequest(read: () => unknown, expected: any): void {
  if (!expected.error) {
    assert.deepEqual(read(), expected);
    return;
  }
  assert.throws(read, (err: unknown) => {
    assert.ok(err instanceof HttpError, String(err));
    assert.equal(err.status, expected.error.status);
    assert.equal(err.param, expected.error.param);
    if (expected.error.code) assert.equal(err.code, expected.error.code);
    for (const words of expected.error.messageIncludes ?? [])
      assert.ok(err.message.includes(words), `"${err.message}" should say "${words}"`);
    return true;
  });
}

const META: AnswerMeta = { id: 'req-1', created: 1_800_000_000, inputEstimate: 9 };

function resultOf(partial: Partial<ChatResult>): ChatResult {
  return {
    requestId: 'r',
    text: '',
    toolCalls: [],
    model: 'm',
    provider: 'p',
    billing: 'free',
    fallbacks: [],
    finishReason: 'stop',
    usage: { inputTokens: 11, outputTokens: 3, estimated: false },
    ...partial,
  };
}

/** The SSE text an encoder writes for the case's events, as a list of `{event?, data}` (data parsed). */
function streamed(encoder: StreamEncoder, input: { events: AnswerEvent[]; result: Partial<ChatResult> }) {
  const result = resultOf(input.result);
  const text =
    encoder.start(result.model) + input.events.map((e) => encoder.event(e)).join('') + encoder.finish(result);
  return text
    .split('\n\n')
    .filter(Boolean)
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)![1]!;
      return { ...(event ? { event } : {}), data: data === '[DONE]' ? data : JSON.parse(data) };
    });
}

/** OpenAI chunks carry the same id, object, created and model throughout; the cases show choices and usage only. */
function chunkBodies(list: Array<{ data: any }>, model: string) {
  return list.map(({ data }) => {
    if (data === '[DONE]') return data;
    const { id, object, created, model: m, ...rest } = data;
    assert.deepEqual([id, object, created, m], ['chatcmpl-req-1', 'chat.completion.chunk', META.created, model]);
    return rest;
  });
}

describe('openai-in: chat-completions request bodies', () => {
  for (const [name, fixture] of cases('openai-in')) {
    test(name, () => {
      checkSource(fixture);
      checkRequest(() => readOpenAiRequest(fixture.input), fixture.expected);
    });
  }
});

describe('anthropic-in: Messages request bodies', () => {
  for (const [name, fixture] of cases('anthropic-in')) {
    test(name, () => {
      checkSource(fixture);
      checkRequest(
        () => readAnthropicRequest(fixture.input.body, { countTokens: fixture.input.countTokens }),
        fixture.expected,
      );
    });
  }
});

describe('openai-out: chat.completion JSON and chunks', () => {
  for (const [name, fixture] of cases('openai-out')) {
    test(name, () => {
      checkSource(fixture);
      const { input, expected } = fixture;
      if (input.stream) {
        const list = streamed(openAiStream({ includeUsage: input.includeUsage ?? false }, META), input);
        assert.deepEqual(chunkBodies(list, resultOf(input.result).model), expected);
      } else {
        assert.deepEqual(openAiCompletion(resultOf(input.result), META), expected);
      }
    });
  }
});

describe('anthropic-out: Message JSON and stream events', () => {
  for (const [name, fixture] of cases('anthropic-out')) {
    test(name, () => {
      checkSource(fixture);
      const { input, expected } = fixture;
      const meta = { ...META, ...(input.reasoningSignature ? { reasoningSignature: input.reasoningSignature } : {}) };
      if (input.stream) {
        const list = streamed(anthropicStream({}, meta), input);
        for (const e of list)
          assert.equal(e.event, (e.data as { type: string }).type, 'each event is named as its type');
        assert.deepEqual(
          list.map((e) => e.data),
          expected,
        );
      } else {
        assert.deepEqual(anthropicMessage(resultOf(input.result), meta), expected);
      }
    });
  }
});

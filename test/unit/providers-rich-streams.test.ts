// What the adapters make of rich answers (issue 11): streamed parallel tool calls in each wire's shape and in the
// shapes compatible servers use, a call cut mid-arguments, reasoning with Anthropic's signature, JSON answers
// through Anthropic's forced tool, and usage with cache reads and writes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AdapterCall, ChatEvent, ProviderSpec } from '../../src/core/types.ts';
import { anthropicAdapter } from '../../src/providers/anthropic.ts';
import { openAiCompatibleAdapter } from '../../src/providers/openai-compatible.ts';
import { collect, startFakeUpstream, type FakeUpstream, type Step } from '../fake-upstream/index.ts';

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
const weather = (city: string, id?: string | null) => ({
  ...(id === undefined ? {} : { id }),
  name: 'get_weather',
  arguments: ['{"ci', `ty":"${city}"}`],
});

async function run(protocol: 'openai' | 'anthropic', step: Step, extra: Partial<AdapterCall> = {}) {
  fake.script(step);
  return collect<ChatEvent>(
    (protocol === 'openai' ? openAiCompatibleAdapter : anthropicAdapter).stream({
      provider: spec(protocol === 'openai' ? 'moonshot' : 'anthropic', protocol),
      baseUrl: protocol === 'openai' ? fake.openaiBaseUrl : fake.anthropicBaseUrl,
      apiKey: 'k-test',
      upstreamModel: 'm',
      messages: [{ role: 'user', content: 'Weather?' }],
      tools: [{ name: 'get_weather', parameters: { type: 'object' } }],
      timeouts: { connectMs: 5000, idleMs: 5000 },
      ...extra,
    }),
  );
}
/** The tool calls the events describe, whole, in start order: [id, name, arguments, ended]. */
function calls(events: ChatEvent[]) {
  const byIndex = new Map<number, [string, string, string, boolean]>();
  for (const e of events) {
    if (e.type === 'tool-call-start') byIndex.set(e.index, [e.id, e.name, '', false]);
    if (e.type === 'tool-call-delta') byIndex.get(e.index)![2] += e.argumentsDelta;
    if (e.type === 'tool-call-end') byIndex.get(e.index)![3] = true;
  }
  return [...byIndex.values()];
}
const finish = (events: ChatEvent[]) => events.at(-1) as Extract<ChatEvent, { type: 'finish' }>;

for (const protocol of ['openai', 'anthropic'] as const) {
  describe(`${protocol}: tool calls from a stream`, () => {
    test('parallel calls: start with id and name, argument fragments, end, finish tool_calls', async () => {
      const out = await run(protocol, {
        text: ['Checking.'],
        toolCalls: [weather('Paris', protocol === 'openai' ? 'call_a' : 'toolu_a'), weather('Oslo')],
      });
      assert.equal(out.error, undefined, String(out.error));
      const second = protocol === 'openai' ? 'call_fake_2' : 'toolu_fake_2';
      assert.deepEqual(calls(out.events), [
        [protocol === 'openai' ? 'call_a' : 'toolu_a', 'get_weather', '{"city":"Paris"}', true],
        [second, 'get_weather', '{"city":"Oslo"}', true],
      ]);
      assert.deepEqual(out.deltas, ['Checking.']);
      assert.equal(finish(out.events).reason, 'tool_calls');
      const answer = out.events.filter((e) => e.type !== 'usage');
      assert.deepEqual(
        answer.slice(-2).map((e) => e.type),
        ['tool-call-end', 'finish'],
        'every call ends before the finish',
      );
    });

    test('cut mid-arguments: the fragments so far, no end, then an error', async () => {
      const out = await run(protocol, { toolCalls: [weather('Paris')], cutAfter: 1 });
      assert.ok(out.error, 'the cut is an error');
      assert.deepEqual(calls(out.events), [
        [protocol === 'openai' ? 'call_fake_1' : 'toolu_fake_1', 'get_weather', '{"ci', false],
      ]);
      assert.ok(!out.events.some((e) => e.type === 'finish'));
    });
  });
}

describe('openai-compatible: the shapes compatible servers send', () => {
  test('whole calls in one chunk without index or id: each gets its own index and a made id', async () => {
    const out = await run('openai', {
      toolCalls: [weather('Paris', null), weather('Oslo', null)],
      toolCallChunks: 'whole',
      omitToolIndex: true,
    });
    const got = calls(out.events);
    assert.deepEqual(
      got.map(([, name, args, ended]) => [name, args, ended]),
      [
        ['get_weather', '{"city":"Paris"}', true],
        ['get_weather', '{"city":"Oslo"}', true],
      ],
    );
    assert.match(got[0]![0], /^call_[0-9a-f]{24}$/);
    assert.notEqual(got[0]![0], got[1]![0]);
  });

  test("fragments without index continue the last call; Kimi's ids are kept verbatim", async () => {
    const out = await run('openai', {
      toolCalls: [weather('Paris', 'functions.get_weather:0'), weather('Oslo', 'functions.get_weather:1')],
      omitToolIndex: true,
    });
    assert.deepEqual(calls(out.events), [
      ['functions.get_weather:0', 'get_weather', '{"city":"Paris"}', true],
      ['functions.get_weather:1', 'get_weather', '{"city":"Oslo"}', true],
    ]);
  });

  test("a server that says 'stop' after tool calls still finishes with tool_calls", async () => {
    const out = await run('openai', { toolCalls: [weather('Paris')], finish: 'stop' });
    assert.equal(finish(out.events).reason, 'tool_calls');
  });

  test('reasoning_content as reasoning, cached and reasoning tokens in the usage', async () => {
    const out = await run('openai', {
      reasoning: ['Let me', ' think'],
      text: ['Sunny'],
      usage: { input: 120, output: 30, cacheRead: 100, reasoning: 12 },
    });
    assert.deepEqual(
      out.events.filter((e) => e.type === 'reasoning-delta').map((e) => (e as { text: string }).text),
      ['Let me', ' think'],
    );
    assert.deepEqual(finish(out.events).usage, {
      inputTokens: 120,
      outputTokens: 30,
      reasoningTokens: 12,
      cacheReadTokens: 100,
      estimated: false,
    });
  });
});

describe('anthropic: thinking, JSON answers, cache usage', () => {
  test('thinking deltas as reasoning, then its signature; cache reads and writes counted as input and kept apart', async () => {
    const out = await run('anthropic', {
      reasoning: ['Hmm', '.'],
      reasoningSignature: 'sig-9',
      text: ['Hi'],
      usage: { input: 10, output: 5, cacheRead: 300, cacheWrite: 50 },
    });
    assert.deepEqual(
      out.events.filter((e) => e.type === 'reasoning-delta'),
      [
        { type: 'reasoning-delta', text: 'Hmm' },
        { type: 'reasoning-delta', text: '.' },
        { type: 'reasoning-delta', text: '', signature: 'sig-9' },
      ],
    );
    assert.deepEqual(finish(out.events).usage, {
      inputTokens: 360,
      outputTokens: 5,
      cacheReadTokens: 300,
      cacheWriteTokens: 50,
      estimated: false,
    });
  });

  test('the forced json_answer tool comes back as text with finish stop, not as a tool call', async () => {
    const out = await run(
      'anthropic',
      { toolCalls: [{ name: 'json_answer', arguments: ['{"n":', '42}'] }] },
      { tools: undefined, responseFormat: { type: 'json' } },
    );
    assert.equal(out.error, undefined, String(out.error));
    assert.equal(out.deltas.join(''), '{"n":42}');
    assert.deepEqual(calls(out.events), []);
    assert.equal(finish(out.events).reason, 'stop');
  });

  test('a server that puts the whole input in content_block_start still gives the arguments', async () => {
    const start = (b: object) =>
      `event: content_block_start\ndata: ${JSON.stringify({ type: 'content_block_start', index: 0, content_block: b })}\n\n`;
    const rawSse =
      `event: message_start\ndata: ${JSON.stringify({ type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 3, output_tokens: 1 } } })}\n\n` +
      start({ type: 'tool_use', id: 'toolu_w', name: 'get_weather', input: { city: 'Rome' } }) +
      `event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n` +
      `event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":7}}\n\n` +
      `event: message_stop\ndata: {"type":"message_stop"}\n\n`;
    const out = await run('anthropic', { rawSse });
    assert.deepEqual(calls(out.events), [['toolu_w', 'get_weather', '{"city":"Rome"}', true]]);
  });
});

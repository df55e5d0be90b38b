// Token accounting for tool answers (issue 11 point 6): what is settled in the ledger is the usage the provider
// reported — cache reads and writes kept apart — for an answer made of tool calls as for text; a call cut
// mid-arguments settles what was spent and keeps no half call. The real adapters run against the fake upstream
// under the real gateway loop, with an in-memory ledger.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildCatalog, type CatalogData } from '../../src/core/catalog.ts';
import { createGateway, PartialAnswerError, type GatewayEvent } from '../../src/core/gateway.ts';
import type { ChatRequest } from '../../src/core/types.ts';
import { anthropicAdapter } from '../../src/providers/anthropic.ts';
import { openAiCompatibleAdapter } from '../../src/providers/openai-compatible.ts';
import { startFakeUpstream, type FakeUpstream, type Step } from '../fake-upstream/index.ts';
import { MemoryLedger } from '../helpers/memory-ledger.ts';

let fake: FakeUpstream;
before(async () => (fake = await startFakeUpstream()));
after(() => fake.close());

const FREE = { input: 0, output: 0 };
const DATA: CatalogData = {
  providers: [
    { id: 'oa', name: 'OpenAI-compatible', protocol: 'openai' },
    { id: 'an', name: 'Anthropic', protocol: 'anthropic' },
  ],
  models: [
    { id: 'oa-model', capabilities: ['text', 'tools'], deployments: [{ provider: 'oa', price: FREE }] },
    { id: 'an-model', capabilities: ['text', 'tools'], deployments: [{ provider: 'an', price: FREE }] },
  ],
};
const weather = { name: 'get_weather', parameters: { type: 'object' } };

async function ask(model: string, step: Step) {
  fake.script(step);
  const ledger = new MemoryLedger([]);
  const gateway = createGateway({
    catalog: buildCatalog(DATA),
    ledger,
    adapterFor: async (protocol) => (protocol === 'openai' ? openAiCompatibleAdapter : anthropicAdapter),
    credentials: (p) => ({
      apiKey: 'k-test',
      baseUrl: p.protocol === 'openai' ? fake.openaiBaseUrl : fake.anthropicBaseUrl,
    }),
    now: () => Date.UTC(2026, 1, 20),
    newRequestId: () => 'r1',
    timeouts: { connectMs: 5000, idleMs: 5000 },
    allowPaid: false,
  });
  const request: ChatRequest = { model, messages: [{ role: 'user', content: 'Weather in Paris?' }], tools: [weather] };
  const events: GatewayEvent[] = [];
  let error: unknown;
  try {
    for await (const e of gateway.chat(request)) events.push(e);
  } catch (err) {
    error = err;
  }
  return { events, error, settles: ledger.settles };
}

const call = { id: 'call_1', name: 'get_weather', arguments: ['{"city":', '"Paris"}'] };

describe('a tool answer settles the usage the provider reported', () => {
  test('OpenAI-compatible: prompt, completion and cached tokens as reported', async () => {
    const { events, error, settles } = await ask('oa-model', {
      toolCalls: [call],
      usage: { input: 900, output: 21, cacheRead: 640 },
    });
    assert.equal(error, undefined, String(error));
    const done = events.at(-1) as Extract<GatewayEvent, { type: 'done' }>;
    assert.deepEqual(done.result.toolCalls, [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }]);
    assert.equal(done.result.finishReason, 'tool_calls');
    assert.equal(settles.length, 1);
    assert.deepEqual([settles[0]!.inputTokens, settles[0]!.outputTokens, settles[0]!.cacheReadTokens], [900, 21, 640]);
  });

  test('Anthropic: input plus cache reads and writes, the last cumulative output', async () => {
    const { error, settles } = await ask('an-model', {
      toolCalls: [{ ...call, id: 'toolu_1' }],
      usage: { input: 12, output: 0, cacheRead: 800, cacheWrite: 100 },
      cumulativeOutput: [5, 30],
    });
    assert.equal(error, undefined, String(error));
    assert.equal(settles.length, 1);
    const s = settles[0]!;
    assert.deepEqual([s.inputTokens, s.outputTokens, s.cacheReadTokens, s.cacheWriteTokens], [912, 30, 800, 100]);
  });

  test('cut mid-arguments: an error without fallback, the half call dropped, usage settled once', async () => {
    const { error, settles } = await ask('oa-model', { toolCalls: [call], cutAfter: 1 });
    assert.ok(error instanceof PartialAnswerError, String(error));
    assert.deepEqual(error.partial.toolCalls, []);
    assert.equal(error.partial.usage.estimated, true, 'no usage was reported before the cut: our estimate is settled');
    assert.equal(settles.length, 1);
    assert.ok(settles[0]!.outputTokens > 0, 'the fragment that arrived is counted');
  });
});

// Provider hints (issue 17.4) as each codec's request encoder treats them: Anthropic applies `cache_control` where the
// part or tool carried it, sends thinking as the client spelled it and effort as `output_config.effort`; the
// OpenAI chat codec sends an effort level only where the provider and model take `reasoning_effort`, and names
// every hint it leaves out (the request log's `dropped`).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AdapterCall, ProviderSpec } from '../../src/core/types.ts';
import { anthropicRequest } from '../../src/protocols/anthropic-messages/request-encode.ts';
import { openAiDroppedHints, openAiRequest } from '../../src/protocols/openai-chat/request-encode.ts';

const EPHEMERAL = { type: 'ephemeral' };
const spec = (id: string, protocol: 'openai' | 'anthropic'): ProviderSpec => ({
  id,
  name: id,
  protocol,
  baseUrl: '',
  keyEnv: [],
  builtIn: true,
});

function call(provider: ProviderSpec, extra: Partial<AdapterCall> = {}): AdapterCall {
  return {
    provider,
    baseUrl: '',
    apiKey: 'k',
    upstreamModel: 'm',
    timeouts: { connectMs: 1000, idleMs: 1000 },
    messages: [
      { role: 'system', content: [{ type: 'text', text: 'Be brief.', hints: { cacheControl: EPHEMERAL } }] },
      { role: 'user', content: [{ type: 'text', text: 'hi', hints: { cacheControl: EPHEMERAL } }] },
      { role: 'assistant', content: 'hello' },
      { role: 'user', content: 'again' },
    ],
    tools: [{ name: 'Read', parameters: { type: 'object' }, hints: { cacheControl: EPHEMERAL } }],
    reasoning: {
      thinking: { type: 'adaptive' },
      effort: 'high',
      hints: { thinking: { type: 'adaptive', display: 'omitted' } },
    },
    ...extra,
  };
}

describe('Anthropic request encoding applies hints', () => {
  test('cache_control on system, tools and message blocks; thinking as sent; effort in output_config', () => {
    const { params, dropped } = anthropicRequest(call(spec('anthropic', 'anthropic')));
    const body = params as unknown as Record<string, unknown>;
    assert.deepEqual(body.system, [{ type: 'text', text: 'Be brief.', cache_control: EPHEMERAL }]);
    assert.deepEqual((body.tools as Array<Record<string, unknown>>)[0]!.cache_control, EPHEMERAL);
    assert.deepEqual(params.messages[0], {
      role: 'user',
      content: [{ type: 'text', text: 'hi', cache_control: EPHEMERAL }],
    });
    assert.deepEqual(params.messages[1], { role: 'assistant', content: 'hello' }, 'a turn without hints stays text');
    assert.deepEqual(body.thinking, { type: 'adaptive', display: 'omitted' });
    assert.deepEqual(body.output_config, { effort: 'high' });
    assert.deepEqual(dropped, []);
  });

  test('a budget without the spelling sent becomes enabled + budget_tokens', () => {
    const { params } = anthropicRequest(
      call(spec('anthropic', 'anthropic'), { reasoning: { thinking: { type: 'enabled', budgetTokens: 4096 } } }),
    );
    assert.deepEqual((params as unknown as Record<string, unknown>).thinking, {
      type: 'enabled',
      budget_tokens: 4096,
    });
  });

  test('thinking beside a forced JSON answer tool is dropped and reported (Anthropic refuses both at once)', () => {
    const { params, dropped } = anthropicRequest(
      call(spec('anthropic', 'anthropic'), { tools: [], responseFormat: { type: 'json' } }),
    );
    assert.equal((params as unknown as Record<string, unknown>).thinking, undefined);
    assert.deepEqual(dropped, ['thinking']);
  });
});

describe('OpenAI chat request encoding drops what it cannot take, and says so', () => {
  test('an OpenAI reasoning model gets reasoning_effort; cache_control and thinking are reported', () => {
    const c = call(spec('openai', 'openai'), { reasoningModel: true });
    const body = openAiRequest(c) as unknown as Record<string, unknown>;
    assert.equal(body.reasoning_effort, 'high');
    assert.equal(JSON.stringify(body).includes('cache_control'), false);
    assert.deepEqual(openAiDroppedHints(c), ['cache_control', 'thinking']);
  });

  test('a provider or model that takes no effort level gets none, and effort is reported', () => {
    for (const c of [call(spec('groq', 'openai'), { reasoningModel: true }), call(spec('openai', 'openai'))]) {
      assert.equal((openAiRequest(c) as unknown as Record<string, unknown>).reasoning_effort, undefined);
      assert.deepEqual(openAiDroppedHints(c), ['cache_control', 'thinking', 'effort']);
    }
  });

  test('a call without hints drops nothing', () => {
    const c = call(spec('groq', 'openai'), {
      messages: [{ role: 'user', content: 'hi' }],
      tools: undefined,
      reasoning: undefined,
    });
    assert.deepEqual(openAiDroppedHints(c), []);
  });
});

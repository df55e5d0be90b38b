// Routing knows what a request needs (issue 11 point 3): tools, images and JSON output are read from the request,
// and a deployment whose model lacks one is skipped with its reason — in the plan `chat --explain` prints and in
// serve's error — before any request is spent on a provider that would refuse it or ignore the image.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import builtin from '../../src/catalog/builtin.json' with { type: 'json' };
import { skipText } from '../../src/cli/common/skip-text.ts';
import { ASSUMED_CAPABILITIES, buildCatalog, type CatalogData } from '../../src/core/catalog.ts';
import { createGateway } from '../../src/core/gateway.ts';
import { requiredCapabilities } from '../../src/core/request-capabilities.ts';
import type { ChatRequest, Message } from '../../src/core/types.ts';
import { MemoryLedger } from '../helpers/memory-ledger.ts';
import { startServe, type Served } from '../helpers/serve.ts';

const NOW = Date.UTC(2026, 1, 20, 12, 0, 0);
const image: Message = {
  role: 'user',
  content: [
    { type: 'text', text: 'What is this?' },
    { type: 'image', source: { kind: 'url', url: 'https://example.com/a.png' } },
  ],
};
const tool = { name: 'get_weather', parameters: { type: 'object' } };

describe('what a request needs', () => {
  test('tools unless the choice is none; an image in any turn, a tool result included; a JSON format', () => {
    const text: Message[] = [{ role: 'user', content: 'hi' }];
    assert.deepEqual(requiredCapabilities({ messages: text }), []);
    assert.deepEqual(requiredCapabilities({ messages: text, tools: [tool] }), ['tools']);
    assert.deepEqual(requiredCapabilities({ messages: text, tools: [tool], toolChoice: { type: 'none' } }), []);
    assert.deepEqual(requiredCapabilities({ messages: [image] }), ['vision']);
    const toolImage: Message = {
      role: 'tool',
      content: [
        {
          type: 'tool-result',
          callId: 'c1',
          content: [{ type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'AA==' } }],
        },
      ],
    };
    assert.deepEqual(requiredCapabilities({ messages: [...text, toolImage] }), ['vision']);
    assert.deepEqual(requiredCapabilities({ messages: text, responseFormat: { type: 'json' } }), ['json']);
    assert.deepEqual(requiredCapabilities({ messages: text, responseFormat: { type: 'text' } }), []);
    assert.deepEqual(
      requiredCapabilities({ messages: [image], tools: [tool], responseFormat: { type: 'json-schema', schema: {} } }),
      ['tools', 'vision', 'json'],
    );
  });

  test('a model added without capabilities takes tools and JSON but not images; a declared list is taken as it is', () => {
    const catalog = buildCatalog(builtin as CatalogData, {
      providers: [{ id: 'local', name: 'Local' }],
      models: [
        { id: 'mine', deployments: [{ provider: 'local', price: { input: 0, output: 0 } }] },
        {
          id: 'declared',
          capabilities: ['text'],
          deployments: [{ provider: 'local', price: { input: 0, output: 0 } }],
        },
      ],
    });
    assert.deepEqual(catalog.models.get('mine')!.capabilities, [...ASSUMED_CAPABILITIES]);
    assert.deepEqual(catalog.models.get('declared')!.capabilities, ['text']);
  });
});

describe('the plan skips a deployment that lacks what the request needs', () => {
  const gateway = createGateway({
    catalog: buildCatalog(builtin as CatalogData),
    ledger: new MemoryLedger([]),
    adapterFor: async () => ({ stream: async function* () {} }),
    credentials: (p) => ({ apiKey: `key-${p.id}`, baseUrl: `https://${p.id}.invalid/v1` }),
    now: () => NOW,
    newRequestId: () => 'r1',
    timeouts: { connectMs: 1000, idleMs: 1000 },
    allowPaid: true,
  });
  const plan = (request: ChatRequest) => gateway.plan(request);

  test('an image skips the text-only free models with the reason --explain prints, and goes to one that sees', async () => {
    const p = await plan({ messages: [image] });
    const groq = p.skipped.find((s) => s.provider === 'groq' && s.model === 'llama-3.1-8b-instant');
    assert.equal(groq?.reason, 'missing_capability');
    assert.equal(skipText(groq!, p.at), 'lacks vision (has text, code, tools, json)');
    assert.ok(p.candidates.length > 0);
    for (const c of p.candidates) assert.ok(c.model.capabilities.includes('vision'), `${c.model.id} cannot see`);
  });

  test('tools and JSON keep the free models that take them', async () => {
    const p = await plan({
      messages: [{ role: 'user', content: 'hi' }],
      tools: [tool],
      responseFormat: { type: 'json' },
    });
    assert.ok(p.candidates.some((c) => c.model.id === 'llama-3.1-8b-instant'));
    assert.ok(!p.skipped.some((s) => s.reason === 'missing_capability'));
  });
});

describe('serve names the reason', () => {
  let served: Served;
  before(async () => (served = await startServe({ keys: ['groq'] })));
  after(() => served.stop());

  test('an image for a text-only model is refused before any upstream request, saying it lacks vision', async () => {
    const client = new OpenAI({ baseURL: `${served.url}/v1`, apiKey: served.key, maxRetries: 0 });
    const err = await client.chat.completions
      .create({
        model: 'llama-3.1-8b-instant',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is this?' },
              { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
            ],
          },
        ],
      })
      .then(
        () => undefined,
        (e: unknown) => e as InstanceType<typeof OpenAI.APIError>,
      );
    assert.ok(err, 'the request was answered');
    assert.equal(err.status, 400);
    assert.match(err.message, /lacks vision/);
    assert.equal((err.error as { code?: string } | undefined)?.code, 'missing_capability');
    assert.equal(served.fake.requests.length, 0);
  });
});

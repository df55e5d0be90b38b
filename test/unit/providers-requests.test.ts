// What the adapters put on the wire, as the fake recorded it: model ids, usage options, token budgets, system
// prompts, auth headers per style, and no settings leaking in from the SDKs' environment variables.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AdapterCall, ProviderSpec } from '../../src/core/types.ts';
import { anthropicAdapter, DEFAULT_ANTHROPIC_MAX_TOKENS } from '../../src/providers/anthropic.ts';
import { createAnthropicAdapter } from '../../src/providers/anthropic.ts';
import { createOpenAiCompatibleAdapter } from '../../src/providers/openai-compatible.ts';
import { openAiCompatibleAdapter } from '../../src/providers/openai-compatible.ts';
import { collect, startFakeUpstream, type FakeUpstream } from '../fake-upstream/index.ts';

let fake: FakeUpstream;
before(async () => (fake = await startFakeUpstream()));
after(() => fake.close());

const spec = (id: string, protocol: 'openai' | 'anthropic', extra: Partial<ProviderSpec> = {}): ProviderSpec => ({
  id,
  name: id,
  protocol,
  baseUrl: '',
  keyEnv: [],
  builtIn: true,
  ...extra,
});
const base = (extra: Partial<AdapterCall>): AdapterCall => ({
  provider: spec('groq', 'openai'),
  baseUrl: fake.openaiBaseUrl,
  apiKey: 'gsk-test-key-1',
  upstreamModel: 'llama-3.1-8b-instant',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'system', content: 'Answer in French.' },
    { role: 'user', content: 'Hi' },
  ],
  timeouts: { connectMs: 2000, idleMs: 2000 },
  ...extra,
});
async function recorded(adapter: typeof openAiCompatibleAdapter, call: AdapterCall) {
  const before = fake.requests.length;
  const out = await collect(adapter.stream(call));
  assert.equal(out.error, undefined, String(out.error));
  assert.equal(fake.requests.length, before + 1);
  return { out, req: fake.requests.at(-1)! };
}

describe('openai-compatible requests', () => {
  test('upstream model, bearer key, include_usage, max_tokens and temperature for a compatible vendor', async () => {
    const { req } = await recorded(
      openAiCompatibleAdapter,
      base({ maxTokens: 99, temperature: 0.2, baseUrl: `${fake.openaiBaseUrl}/` }),
    );
    assert.equal(req.path, '/v1/chat/completions');
    assert.equal(req.model, 'llama-3.1-8b-instant');
    assert.equal(req.authorization, 'Bearer gsk-test-key-1');
    assert.deepEqual(req.body.stream_options, { include_usage: true });
    assert.equal(req.body.max_tokens, 99);
    assert.equal(req.body.max_completion_tokens, undefined);
    assert.equal(req.body.temperature, 0.2);
    assert.deepEqual(req.body.messages[0], { role: 'system', content: 'Be brief.' });
  });

  test('OpenAI itself gets max_completion_tokens', async () => {
    const { req } = await recorded(
      openAiCompatibleAdapter,
      base({ provider: spec('openai', 'openai'), maxTokens: 50 }),
    );
    assert.equal(req.body.max_completion_tokens, 50);
    assert.equal(req.body.max_tokens, undefined);
  });

  test('streamUsage false: no stream_options, and the finish carries usage null', async () => {
    const { req, out } = await recorded(
      openAiCompatibleAdapter,
      base({ provider: spec('oldvendor', 'openai', { streamUsage: false }) }),
    );
    assert.equal('stream_options' in req.body, false);
    assert.deepEqual(out.events.at(-1), { type: 'finish', reason: 'stop', usage: null });
  });

  test('keys are not mixed up between cached clients', async () => {
    const a = await recorded(openAiCompatibleAdapter, base({ apiKey: 'key-A-123' }));
    const b = await recorded(openAiCompatibleAdapter, base({ apiKey: 'key-B-456' }));
    assert.equal(a.req.authorization, 'Bearer key-A-123');
    assert.equal(b.req.authorization, 'Bearer key-B-456');
  });

  test('OPENAI_* environment variables do not leak into a request', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      OPENAI_ORG_ID: 'org-leak',
      OPENAI_PROJECT_ID: 'proj-leak',
      OPENAI_API_KEY: 'env-key',
      OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
    });
    try {
      const { req } = await recorded(openAiCompatibleAdapter, base({ apiKey: 'fresh-key-for-env-test' }));
      assert.equal(req.authorization, 'Bearer fresh-key-for-env-test');
      assert.equal(req.headers['openai-organization'], undefined);
      assert.equal(req.headers['openai-project'], undefined);
    } finally {
      process.env = saved;
    }
  });
});

describe('auth kinds, on both protocols', () => {
  const calls = {
    openai: (extra: Partial<AdapterCall>) => base(extra),
    anthropic: (extra: Partial<AdapterCall>) =>
      base({
        provider: spec('anthropic', 'anthropic'),
        baseUrl: `${fake.url}/v1`,
        upstreamModel: 'claude-test',
        ...extra,
      }),
  };
  const adapters = { openai: openAiCompatibleAdapter, anthropic: anthropicAdapter };
  const AUTH_HEADERS = ['authorization', 'x-api-key', 'api-key'];
  const authHeadersOf = (req: { headers: Record<string, unknown> }) =>
    Object.fromEntries(AUTH_HEADERS.filter((h) => req.headers[h] !== undefined).map((h) => [h, req.headers[h]]));

  for (const protocol of ['openai', 'anthropic'] as const) {
    test(`${protocol}: auth none sends no key header at all, and needs no key`, async () => {
      const saved = { ...process.env };
      // Neither SDK may find a key of its own to send instead.
      Object.assign(process.env, {
        OPENAI_API_KEY: 'env-openai-key',
        ANTHROPIC_API_KEY: 'env-ant-key',
        ANTHROPIC_AUTH_TOKEN: 'env-ant-token',
      });
      try {
        const { req, out } = await recorded(
          adapters[protocol],
          calls[protocol]({ apiKey: '', auth: { kind: 'none' } }),
        );
        assert.deepEqual(authHeadersOf(req), {});
        assert.equal(out.deltas.join(''), 'Hello, world');
      } finally {
        process.env = saved;
      }
    });

    test(`${protocol}: auth by a named header sends the key there and nowhere else`, async () => {
      const { req } = await recorded(
        adapters[protocol],
        calls[protocol]({ apiKey: 'azure-style-key-1', auth: { kind: 'header', name: 'Api-Key' } }),
      );
      assert.deepEqual(authHeadersOf(req), { 'api-key': 'azure-style-key-1' });
    });

    test(`${protocol}: a key that is needed but empty fails as auth, without a request`, async () => {
      const before = fake.requests.length;
      const out = await collect(adapters[protocol].stream(calls[protocol]({ apiKey: '' })));
      assert.equal((out.error as { kind?: string })?.kind, 'auth');
      assert.equal(fake.requests.length, before);
    });
  }

  test('headers from OPENAI_CUSTOM_HEADERS / ANTHROPIC_CUSTOM_HEADERS never reach a provider', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      OPENAI_CUSTOM_HEADERS: 'X-Org-Secret: org-secret-1\nAuthorization: Bearer env-leak',
      ANTHROPIC_CUSTOM_HEADERS: 'X-Org-Secret: org-secret-2\nx-api-key: env-leak',
    });
    try {
      // Fresh adapters: the SDKs read the variables when a client is built.
      const o = await recorded(createOpenAiCompatibleAdapter(), base({ apiKey: 'custom-env-key-1' }));
      const a = await recorded(createAnthropicAdapter(), calls.anthropic({ apiKey: 'custom-env-key-2' }));
      assert.deepEqual(
        [o.req.headers['x-org-secret'], authHeadersOf(o.req)],
        [undefined, { authorization: 'Bearer custom-env-key-1' }],
      );
      assert.deepEqual(
        [a.req.headers['x-org-secret'], authHeadersOf(a.req)],
        [undefined, { 'x-api-key': 'custom-env-key-2' }],
      );
    } finally {
      process.env = saved;
    }
  });

  test('one cached client per way of sending the key: the same key, once bearer, once none', async () => {
    const a = await recorded(openAiCompatibleAdapter, base({ apiKey: 'same-key-123' }));
    const b = await recorded(
      openAiCompatibleAdapter,
      base({ apiKey: 'same-key-123', auth: { kind: 'header', name: 'x-api-key' } }),
    );
    assert.deepEqual(
      [authHeadersOf(a.req), authHeadersOf(b.req)],
      [{ authorization: 'Bearer same-key-123' }, { 'x-api-key': 'same-key-123' }],
    );
  });
});

describe('anthropic requests', () => {
  const call = (extra: Partial<AdapterCall> = {}): AdapterCall => ({
    ...base({
      provider: spec('anthropic', 'anthropic'),
      baseUrl: `${fake.url}/v1`,
      apiKey: 'sk-ant-test-1',
      upstreamModel: 'claude-test',
    }),
    ...extra,
  });

  test('system messages as text blocks, max_tokens defaulted, path /v1/messages from a /v1 base', async () => {
    const { req } = await recorded(anthropicAdapter, call());
    assert.equal(req.path, '/v1/messages');
    assert.equal(req.model, 'claude-test');
    assert.deepEqual(req.body.system, [
      { type: 'text', text: 'Be brief.' },
      { type: 'text', text: 'Answer in French.' },
    ]);
    assert.deepEqual(req.body.messages, [{ role: 'user', content: 'Hi' }]);
    assert.equal(req.body.max_tokens, DEFAULT_ANTHROPIC_MAX_TOKENS);
    assert.equal(req.body.stream, true);
    assert.ok(req.headers['anthropic-version']);
  });

  test('maxTokens and temperature pass through; a base without /v1 works too', async () => {
    const { req } = await recorded(
      anthropicAdapter,
      call({ baseUrl: `${fake.url}/`, maxTokens: 321, temperature: 0.5 }),
    );
    assert.equal(req.path, '/v1/messages');
    assert.equal(req.body.max_tokens, 321);
    assert.equal(req.body.temperature, 0.5);
  });

  test('by default the key travels as x-api-key, with no Authorization', async () => {
    const { req } = await recorded(anthropicAdapter, call());
    assert.equal(req.xApiKey, 'sk-ant-test-1');
    assert.equal(req.authorization, undefined);
  });

  test('auth bearer (ANTHROPIC_AUTH_TOKEN): Authorization: Bearer and no x-api-key', async () => {
    const { req } = await recorded(anthropicAdapter, call({ apiKey: 'oauth-token-1', auth: { kind: 'bearer' } }));
    assert.equal(req.authorization, 'Bearer oauth-token-1');
    assert.equal(req.xApiKey, undefined);
  });

  test('ANTHROPIC_* environment variables do not override the given key or base', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      ANTHROPIC_API_KEY: 'env-key',
      ANTHROPIC_AUTH_TOKEN: 'env-token',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:9',
    });
    try {
      const a = await recorded(anthropicAdapter, call({ apiKey: 'fresh-ant-key' }));
      assert.equal(a.req.xApiKey, 'fresh-ant-key');
      assert.equal(a.req.authorization, undefined);
      const b = await recorded(anthropicAdapter, call({ apiKey: 'fresh-ant-token', auth: { kind: 'bearer' } }));
      assert.equal(b.req.authorization, 'Bearer fresh-ant-token');
      assert.equal(b.req.xApiKey, undefined);
    } finally {
      process.env = saved;
    }
  });
});

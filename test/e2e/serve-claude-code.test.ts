// What Claude Code sends, through the real `serve` binary, with only a free provider's key: its hints accepted and
// logged as dropped, its system turns carried, its Claude ids routed by family, and its probe of the bare address.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { rawRequest, startServe, type Served } from '../helpers/serve.ts';

/**
 * The shape of a Claude Code 2.1.337 request (`claude -p`, captured on loopback): hints on every call, adaptive
 * thinking, a deferred tool, and a system turn at the end of `messages`.
 */
function claudeCodeBody(model: string, extra: Record<string, unknown> = {}) {
  return {
    model,
    max_tokens: 1024, // Claude Code asks 32000-128000, more than a free window allows (issue 17 point 5)
    system: [{ type: 'text', text: 'You are Claude Code.', cache_control: { type: 'ephemeral' } }],
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'say hi', cache_control: { type: 'ephemeral' } }] },
      { role: 'system', content: [{ type: 'text', text: '# Environment\nPlatform: linux' }] },
    ],
    tools: [
      { name: 'Read', description: 'Read a file', input_schema: { type: 'object', properties: {} } },
      {
        name: 'DeferredToolPlaceholder',
        description: 'x',
        input_schema: { type: 'object', properties: {} },
        defer_loading: true,
      },
    ],
    metadata: { user_id: 'user_abc' },
    thinking: { type: 'adaptive', display: 'omitted' },
    context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
    output_config: { effort: 'medium' },
    ...extra,
  };
}

/** The request log's line that matches, once serve has written it (it follows the answer by a moment). */
async function logLine(s: Served, pattern: RegExp): Promise<string> {
  for (;;) {
    const line = s
      .stdout()
      .split('\n')
      .find((l) => pattern.test(l));
    if (line) return line;
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('Claude Code through serve, with a free key only', () => {
  let s: Served;
  before(async () => {
    s = await startServe({ keys: ['groq'] });
  });
  after(async () => {
    assert.equal(await s.stop(), 0);
  });

  const post = (path: string, body: unknown) =>
    rawRequest(s.url, {
      method: 'POST',
      path,
      headers: {
        'x-api-key': s.key,
        'content-type': 'application/json',
        'anthropic-version': '2023-06-01',
        'anthropic-beta': 'claude-code-20250219,interleaved-thinking-2025-05-14,context-management-2025-06-27',
      },
      body: JSON.stringify(body),
    });

  test('HEAD / and GET / answer 200 without a key', async () => {
    assert.equal((await rawRequest(s.url, { method: 'HEAD', path: '/' })).status, 200);
    const got = await rawRequest(s.url, { path: '/' });
    assert.equal(got.status, 200);
    assert.deepEqual(JSON.parse(got.body), { status: 'ok' });
  });

  test('its default id, newer than the catalog, with thinking on and no reasoning model keyed, answers', async () => {
    const r = await post('/v1/messages?beta=true', claudeCodeBody('claude-opus-5-5'));
    assert.equal(r.status, 200, r.body);
    assert.equal(JSON.parse(r.body).content[0].text, 'Hello, world');
    assert.equal(r.headers['x-llm-gateway-provider'], 'groq');
    const sent = s.fake.requests.at(-1)!.body as { messages: Array<{ role: string; content: unknown }> };
    assert.deepEqual(
      sent.messages.map((m) => m.role),
      ['system', 'user', 'system'],
      'the system turn reaches an OpenAI-protocol upstream where it stood',
    );
    const line = await logLine(s, /claude-opus-5-5/);
    assert.match(line, /claude-opus-5-5 -> llama-[^ ]+ \(groq\)/, 'the id asked for, and who answered');
    // The wire's own hints first, then those an OpenAI-protocol upstream could not take.
    assert.match(line, /dropped: \[metadata, context_management, cache_control, thinking, effort\]/);
  });

  test('a catalog Claude id whose provider has no key here takes its family route too', async () => {
    const r = await post('/v1/messages', claudeCodeBody('claude-haiku-5-5', { stream: true }));
    assert.equal(r.status, 200, r.body);
    assert.match(r.body, /event: message_stop/);
    assert.match(r.body, /"text":"Hello"/);
  });

  test('count_tokens takes the same body for any Claude id', async () => {
    const { max_tokens: _, ...body } = claudeCodeBody('claude-sonnet-5');
    const r = await post('/v1/messages/count_tokens?beta=true', body);
    assert.equal(r.status, 200, r.body);
    assert.ok(JSON.parse(r.body).input_tokens > 0);
  });

  test("its agent-sized answer budget is clamped to what a free model's window allows, and said so", async () => {
    const r = await post('/v1/messages', claudeCodeBody('claude-haiku-4-5-20251001', { max_tokens: 32000 }));
    assert.equal(r.status, 200, r.body);
    const sent = s.fake.requests.at(-1)!.body as { max_tokens: number };
    assert.ok(sent.max_tokens < 6000, `llama's free window is 6,000 tokens a minute; sent ${sent.max_tokens}`);
    assert.match(String(r.headers['x-llm-gateway-max-tokens']), new RegExp(`^${sent.max_tokens} \\(asked 32000`));
    assert.match(await logLine(s, /claude-haiku-4-5-20251001/), /max_tokens clamped from 32000/);
  });

  test('a field that changes what the answer means is still a 400 naming it', async () => {
    const r = await post('/v1/messages', claudeCodeBody('claude-opus-4-8', { mcp_servers: [{ type: 'url' }] }));
    assert.equal(r.status, 400);
    assert.match(JSON.parse(r.body).error.message, /mcp_servers/);
  });
});

describe('Claude Code through serve, with paid models of a 128K context only', () => {
  let s: Served;
  before(async () => {
    s = await startServe({ keys: ['moonshot'], args: ['--allow-paid'] });
  });
  after(async () => {
    assert.equal(await s.stop(), 0);
  });

  test("its default budget of 128000 plus a long prompt is clamped to the answering model's context", async () => {
    // Claude Code's own prompt is ~20K tokens; with 128000 to answer in, no 128K-context model could take it.
    const long = claudeCodeBody('claude-opus-5-5', { max_tokens: 128000 });
    long.messages[0]!.content = [{ type: 'text', text: 'word '.repeat(60_000), cache_control: { type: 'ephemeral' } }];
    const r = await rawRequest(s.url, {
      method: 'POST',
      path: '/v1/messages?beta=true',
      headers: { 'x-api-key': s.key, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify(long),
    });
    assert.equal(r.status, 200, r.body);
    const sent = s.fake.requests.at(-1)!.body as { max_tokens: number };
    assert.ok(sent.max_tokens < 128000 && sent.max_tokens >= 1024, `sent ${sent.max_tokens}`);
    assert.equal(
      r.headers['x-llm-gateway-max-tokens'],
      `${sent.max_tokens} (asked 128000: the most the answering model's window allows)`,
    );
    assert.match(await logLine(s, /claude-opus-5-5/), /-> kimi-[^ ]+ \(moonshot\).*max_tokens clamped from 128000/);
  });
});

// Each attack on a local LLM server, one test each, against the real `serve` subprocess: missing and wrong keys,
// DNS rebinding (a foreign Host), cross-site requests (a foreign Origin), a client-chosen upstream, oversized and
// malformed bodies, an exposed bind with a generated key, and a key leaking into what the server prints.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startFakeUpstream, type FakeUpstream } from '../fake-upstream/index.ts';
import { KEYS } from '../helpers/chat-e2e.ts';
import { runCli, tempHome } from '../helpers/cli.ts';
import { rawRequest, startServe, type Served } from '../helpers/serve.ts';

const CHAT = JSON.stringify({ model: 'llama', messages: [{ role: 'user', content: 'hi' }] });

describe('serve refuses attacks', () => {
  let s: Served;
  let attacker: FakeUpstream;
  before(async () => {
    s = await startServe({ keys: ['groq'], args: ['--cors-origin', 'http://localhost:5173', '--max-body', '4096'] });
    attacker = await startFakeUpstream();
  });
  after(async () => {
    assert.equal(await s.stop(), 0);
    await attacker.close();
    // Whatever was tried above, neither the access key nor a provider key was ever printed.
    for (const text of [s.stdout(), s.stderr()]) {
      assert.ok(!text.includes(s.key), 'the access key was printed');
      for (const secret of Object.values(KEYS)) assert.ok(!text.includes(secret), 'a provider key was printed');
    }
  });

  const post = (headers: Record<string, string>, body = CHAT, path = '/v1/chat/completions') =>
    rawRequest(s.url, { method: 'POST', path, headers: { 'content-type': 'application/json', ...headers }, body });

  test('no access key -> 401, in the wire of the route called, and nothing reaches the upstream', async () => {
    const before = s.fake.requests.length;
    const openai = await post({});
    assert.equal(openai.status, 401);
    assert.equal(JSON.parse(openai.body).error.type, 'authentication_error');
    const anthropic = await post(
      {},
      JSON.stringify({ model: 'llama', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }),
      '/v1/messages',
    );
    assert.equal(anthropic.status, 401);
    assert.deepEqual(JSON.parse(anthropic.body).type, 'error');
    assert.equal((await rawRequest(s.url, { path: '/quota' })).status, 401);
    assert.equal(s.fake.requests.length, before);
  });

  test('wrong access key (bearer or x-api-key, or one character short) -> 401', async () => {
    assert.equal((await post({ authorization: `Bearer ${s.key}x` })).status, 401);
    assert.equal((await post({ authorization: `Bearer ${s.key.slice(0, -1)}` })).status, 401);
    assert.equal((await post({ 'x-api-key': 'sk-guess' })).status, 401);
    assert.equal((await post({ authorization: `Bearer ${s.key}` })).status, 200, 'the right key passes');
  });

  test('DNS rebinding: a foreign Host header -> 403, even with the right key', async () => {
    const r = await post({ authorization: `Bearer ${s.key}`, host: `attacker.example:${new URL(s.url).port}` });
    assert.equal(r.status, 403);
    assert.match(JSON.parse(r.body).error.message, /Host/);
    assert.equal(
      (await rawRequest(s.url, { path: '/health', headers: { host: 'rebind.attacker.example' } })).status,
      403,
    );
  });

  test('cross-site request: a foreign Origin -> 403 with no CORS headers at all', async () => {
    const r = await post({ authorization: `Bearer ${s.key}`, origin: 'https://evil.example' });
    assert.equal(r.status, 403);
    assert.ok(!Object.keys(r.headers).some((h) => h.startsWith('access-control-')), JSON.stringify(r.headers));
    const preflight = await rawRequest(s.url, {
      method: 'OPTIONS',
      path: '/v1/chat/completions',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    assert.equal(preflight.status, 403);
    assert.ok(!Object.keys(preflight.headers).some((h) => h.startsWith('access-control-')));
  });

  test('cross-site preflight from an origin allowed with --cors-origin is answered, and its request gets CORS headers', async () => {
    const preflight = await rawRequest(s.url, {
      method: 'OPTIONS',
      path: '/v1/chat/completions',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers['access-control-allow-origin'], 'http://localhost:5173');
    assert.match(String(preflight.headers['access-control-allow-methods']), /POST/);
    assert.match(String(preflight.headers['access-control-allow-headers']), /authorization/);
    const r = await post({ authorization: `Bearer ${s.key}`, origin: 'http://localhost:5173' });
    assert.equal(r.status, 200);
    assert.equal(r.headers['access-control-allow-origin'], 'http://localhost:5173');
  });

  test('client-chosen upstream: api_base / base_url / api_key in the body -> 400, and the attacker server receives nothing', async () => {
    for (const field of ['api_base', 'base_url', 'api_key']) {
      const body = JSON.stringify({
        model: 'llama',
        messages: [{ role: 'user', content: 'hi' }],
        [field]: field === 'api_key' ? 'sk-attacker' : `${attacker.url}/v1`,
      });
      const r = await post({ authorization: `Bearer ${s.key}` }, body);
      assert.equal(r.status, 400, field);
      const error = JSON.parse(r.body).error;
      assert.equal(error.param, field);
      assert.equal(error.code, 'upstream_not_allowed');
    }
    const anthropic = await post(
      { 'x-api-key': s.key },
      JSON.stringify({
        model: 'llama',
        max_tokens: 5,
        messages: [{ role: 'user', content: 'hi' }],
        base_url: attacker.url,
      }),
      '/v1/messages',
    );
    assert.equal(anthropic.status, 400);
    assert.equal(attacker.requests.length, 0);
  });

  test('oversized body -> 413 before it is read to the end', async () => {
    const r = await post(
      { authorization: `Bearer ${s.key}` },
      JSON.stringify({ model: 'llama', messages: [{ role: 'user', content: 'x'.repeat(5000) }] }),
    );
    assert.equal(r.status, 413);
    assert.equal(JSON.parse(r.body).error.type, 'invalid_request_error');
  });

  test('malformed JSON body -> 400 naming the body, with no stack trace', async () => {
    const r = await post({ authorization: `Bearer ${s.key}` }, '{"model": "llama", "messages": [');
    assert.equal(r.status, 400);
    const error = JSON.parse(r.body).error;
    assert.equal(error.param, 'body');
    assert.doesNotMatch(r.body, /\bat \S+ \(|node:internal|\.ts:\d+/);
  });

  test('/health answers without a key, and says nothing else', async () => {
    const r = await rawRequest(s.url, { path: '/health' });
    assert.equal(r.status, 200);
    assert.deepEqual(JSON.parse(r.body), { status: 'ok' });
  });
});

test('exposed bind: a non-loopback --host with a generated key is refused (exit 2), before anything listens', async () => {
  const r = await runCli(['serve', '--host', '0.0.0.0', '--port', '0'], { home: tempHome() });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /LLM_GATEWAY_SERVER_KEY/);
});

test('a model added with providers add while the server runs is found by the next request, without a restart (was 404 unknown model)', async () => {
  const fake = await startFakeUpstream();
  const home = tempHome();
  const s = await startServe({ fake, home, keys: [] });
  try {
    const body = JSON.stringify({ model: 'late-model', messages: [{ role: 'user', content: 'hi' }] });
    const request = () =>
      rawRequest(s.url, {
        method: 'POST',
        path: '/v1/chat/completions',
        headers: { authorization: `Bearer ${s.key}`, 'content-type': 'application/json' },
        body,
      });
    assert.equal((await request()).status, 404, 'not there yet');
    const add = await runCli(
      ['providers', 'add', 'late', '--base-url', fake.openaiBaseUrl, '--no-key', '--free', '--model', 'late-model'],
      { home },
    );
    assert.equal(add.code, 0, add.stderr);
    const r = await request();
    assert.equal(r.status, 200, r.body);
    assert.equal(JSON.parse(r.body).model, 'late-model');
  } finally {
    await s.stop();
    await fake.close();
  }
});

test('a key added with providers add while the server runs is used by the next request, without a restart', async () => {
  const fake = await startFakeUpstream();
  const home = tempHome();
  const s = await startServe({ fake, home, keys: [] });
  try {
    const request = () =>
      rawRequest(s.url, {
        method: 'POST',
        path: '/v1/chat/completions',
        headers: { authorization: `Bearer ${s.key}`, 'content-type': 'application/json' },
        body: CHAT,
      });
    assert.equal((await request()).status, 503, 'no key yet');
    const add = await runCli(['providers', 'add', 'groq', '--api-key-stdin'], {
      home,
      input: `${KEYS.groq}\n`,
      env: { GROQ_BASE_URL: fake.openaiBaseUrl },
    });
    assert.equal(add.code, 0, add.stderr);
    const r = await request();
    assert.equal(r.status, 200, r.body);
    assert.equal(fake.requests.at(-1)!.authorization, `Bearer ${KEYS.groq}`);
  } finally {
    await s.stop();
    await fake.close();
  }
});

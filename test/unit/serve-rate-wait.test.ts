// serve and a short rate limit (issue 19): the server waits a rate limit out on the last candidate only within the
// client's patience — half the timeout its SDK sends in X-Stainless-Timeout — else answers 429 with Retry-After at
// once, which the SDK honours. No real second passes: the test clock is frozen (LLM_GATEWAY_NOW), so the gateway's
// wait returns at once, and what the client gets shows which way the server chose.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { serverRuntimeOf } from '../../src/cli/serve/runtime.ts';
import { createRuntime } from '../../src/runtime/runtime.ts';
import { createGatewayServer, type GatewayServer } from '../../src/server/server.ts';
import { type FakeUpstream, startFakeUpstream } from '../fake-upstream/index.ts';
import { tempHome } from '../helpers/cli.ts';
import { fakeEnv, rawRequest } from '../helpers/serve.ts';

const KEY = 'rate-wait-test-access-key-0123456789';
// The headers OpenAI documents on every response (platform.openai.com/docs/guides/rate-limits, "Rate limits in
// headers"); Groq sends the same set (console.groq.com/docs/rate-limits). The request window is spent for 20 s.
const RATE_LIMITED = {
  status: 429,
  headers: { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '20s' },
  rawBody:
    '{"error":{"message":"Rate limit reached for requests","type":"requests","param":null,"code":"rate_limit_exceeded"}}',
};

let fake: FakeUpstream;
const servers: GatewayServer[] = [];

before(async () => (fake = await startFakeUpstream()));
after(async () => {
  for (const server of servers) await server.close(1_000);
  await fake.close();
});

/** A server of its own (a fresh home, so no cooldown one test left counts in the next). */
async function serve(): Promise<string> {
  const server = createGatewayServer({
    runtime: serverRuntimeOf(createRuntime({ env: fakeEnv(tempHome(), fake, ['groq']) })),
    guard: { accessKey: KEY, allowedHosts: new Set(['127.0.0.1', 'localhost', '::1']), corsOrigins: new Set() },
    allowPaid: false,
    log: () => {},
  });
  servers.push(server);
  return `http://127.0.0.1:${(await server.listen(0, '127.0.0.1')).port}`;
}

/** One chat call pinned to a single Groq model, with the client's timeout in seconds when given. */
async function chat(timeoutSeconds?: number) {
  const url = await serve();
  fake.clear();
  fake.script(RATE_LIMITED, {});
  const before = fake.requests.length;
  const response = await rawRequest(url, {
    method: 'POST',
    path: '/v1/chat/completions',
    headers: {
      authorization: `Bearer ${KEY}`,
      'content-type': 'application/json',
      ...(timeoutSeconds === undefined ? {} : { 'x-stainless-timeout': String(timeoutSeconds) }),
    },
    body: JSON.stringify({ model: 'llama-3.1-8b-instant', messages: [{ role: 'user', content: 'hi' }] }),
  });
  return { ...response, upstreamCalls: fake.requests.length - before };
}

test('a client that waits 60 s gets the answer: 20 s is within half its patience, so the server waits', async () => {
  const r = await chat(60);
  assert.equal(r.status, 200, r.body);
  assert.equal(r.upstreamCalls, 2, 'asked, waited, asked again');
});

test('a client that waits 30 s gets 429 with Retry-After: 20 s is past half its patience', async () => {
  const r = await chat(30);
  assert.equal(r.status, 429, r.body);
  assert.equal(r.headers['retry-after'], '20');
  assert.equal(r.upstreamCalls, 1, 'no second call: the client will retry when it is told');
});

test('a client that names no timeout is not made to wait', async () => {
  const r = await chat();
  assert.equal(r.status, 429, r.body);
  assert.equal(r.headers['retry-after'], '20');
  assert.equal(r.upstreamCalls, 1);
});

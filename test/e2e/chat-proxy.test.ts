// Users in many countries reach OpenAI, Anthropic and Groq only through a proxy (issue 16.3). A real CONNECT
// proxy runs as its own process; the fake upstream serves https with the tests' own certificate, trusted through
// NODE_EXTRA_CA_CERTS as a user's corporate CA would be. The chat goes through HTTPS_PROXY (TLS inside the
// tunnel: the proxy sees neither key nor prompt), NO_PROXY sends it direct, and a provider's own `proxy` setting
// wins over the environment.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ChatE2E, KEYS, LLAMA, TEST_CERT } from '../helpers/chat-e2e.ts';
import { startConnectProxy, type ConnectProxy } from '../helpers/connect-proxy.ts';

const e2e = new ChatE2E();
let proxy: ConnectProxy | undefined;
after(async () => {
  await e2e.close();
  await proxy?.close();
});

test('a chat through HTTPS_PROXY reaches the upstream in a tunnel; NO_PROXY bypasses it', async () => {
  proxy = await startConnectProxy();
  const s = await e2e.scenario({ keys: ['groq'], tls: true, steps: [{ text: ['through'] }, { text: ['direct'] }] });
  const target = `127.0.0.1:${s.fake.port}`;
  const env = { HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: TEST_CERT };

  const through = await s.run(['chat', '-m', `groq:${LLAMA}`, 'hello'], { env });
  assert.equal(through.code, 0, through.stderr);
  assert.match(through.stdout, /through/);
  assert.deepEqual(proxy.tunnels, [target]);
  assert.equal(s.fake.requests.at(-1)?.authorization, `Bearer ${KEYS.groq}`, 'the key arrived, inside the tunnel');

  const direct = await s.run(['chat', '-m', `groq:${LLAMA}`, 'hello'], {
    env: { ...env, NO_PROXY: 'localhost,127.0.0.1' },
  });
  assert.equal(direct.code, 0, direct.stderr);
  assert.match(direct.stdout, /direct/);
  assert.deepEqual(proxy.tunnels, [target], 'NO_PROXY went through the proxy');
  assert.equal(s.fake.requests.length, 2);
});

test("a provider's proxy setting carries its calls, over the environment; an unreachable proxy is a connection failure", async () => {
  proxy ??= await startConnectProxy();
  const s = await e2e.scenario({ keys: ['groq'], steps: [{ text: ['by setting'] }] });
  const settings = (url: string) =>
    writeFileSync(join(s.home, 'settings.json'), JSON.stringify({ providers: { groq: { proxy: url } } }), {
      mode: 0o600,
    });
  settings(proxy.url);
  const before = proxy.tunnels.length;
  const run = await s.run(['chat', '-m', `groq:${LLAMA}`, 'hello'], { env: { HTTP_PROXY: 'http://127.0.0.1:9' } });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /by setting/);
  assert.deepEqual(proxy.tunnels.slice(before), [`127.0.0.1:${s.fake.port}`]);

  settings('http://127.0.0.1:9');
  const refused = await s.run(['chat', '-m', `groq:${LLAMA}`, 'hello']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /proxy 127\.0\.0\.1:9: .*ECONNREFUSED|proxy 127\.0\.0\.1:9/);
});

test('no key canary in any output or file', () => {
  e2e.assertNoCanaries();
});

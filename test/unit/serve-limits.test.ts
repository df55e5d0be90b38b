// The server's limits, in process (so the limits can be set small): a flood of calls past the cap, a client that
// never finishes its headers, an idle keep-alive connection, a streaming client that stops reading. The server runs
// on the CLI's own wiring against the fake upstream.
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, before, test } from 'node:test';
import { createRuntime } from '../../src/runtime/runtime.ts';
import { serverRuntimeOf } from '../../src/cli/serve/runtime.ts';
import { createGatewayServer, type GatewayServer } from '../../src/server/server.ts';
import { startFakeUpstream, type FakeUpstream } from '../fake-upstream/index.ts';
import { tempHome } from '../helpers/cli.ts';
import { fakeEnv, rawRequest } from '../helpers/serve.ts';

const KEY = 'limits-test-access-key-0123456789';
let fake: FakeUpstream;
let server: GatewayServer;
let url: string;
const logged: number[] = [];
const errors: string[] = [];

before(async () => {
  fake = await startFakeUpstream();
  const env = fakeEnv(tempHome(), fake, ['groq']);
  server = createGatewayServer({
    runtime: serverRuntimeOf(createRuntime({ env })),
    guard: { accessKey: KEY, allowedHosts: new Set(['127.0.0.1', 'localhost', '::1']), corsOrigins: new Set() },
    allowPaid: false,
    log: (entry) => {
      logged.push(entry.status);
      if (entry.error) errors.push(entry.error);
    },
    limits: { maxConcurrent: 1, maxQueued: 1, maxWaitMs: 60_000 },
    headersTimeoutMs: 500,
    keepAliveTimeoutMs: 500,
    stalledReaderMs: 300,
  });
  const address = await server.listen(0, '127.0.0.1');
  url = `http://127.0.0.1:${address.port}`;
});

after(async () => {
  await server.close(1_000);
  await fake.close();
});

const chat = () =>
  rawRequest(url, {
    method: 'POST',
    path: '/v1/chat/completions',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'llama', messages: [{ role: 'user', content: 'hi' }] }),
  });

test('flood: calls past the cap and the queue get 429 with Retry-After at once, and never reach the upstream', async () => {
  fake.script({ stallMs: 1_500 }, { stallMs: 10 });
  const before = fake.requests.length;
  const first = chat(); // runs
  await until(() => fake.requests.length > before);
  const second = chat(); // waits in the queue
  await until(() => server.limiter.queued === 1);
  const third = await chat(); // no room anywhere
  assert.equal(third.status, 429);
  assert.equal(third.headers['retry-after'], '1');
  assert.equal(JSON.parse(third.body).error.code, 'server_busy');
  assert.deepEqual([(await first).status, (await second).status], [200, 200]);
  assert.equal(fake.requests.length - before, 2, 'the refused call never went upstream');
});

test('slowloris: a client that never finishes its headers is disconnected by the server', async () => {
  const socket = net.connect(Number(new URL(url).port), '127.0.0.1');
  socket.on('error', () => {});
  socket.write('POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
  const started = Date.now();
  const answer = await new Promise<string>((resolve) => {
    let text = '';
    socket.setEncoding('utf8').on('data', (d) => (text += d));
    socket.on('close', () => resolve(text));
  });
  assert.match(answer, /^HTTP\/1\.1 408/);
  assert.ok(Date.now() - started < 10_000);
});

test('an idle keep-alive connection is closed after the keep-alive timeout', async () => {
  const socket = net.connect(Number(new URL(url).port), '127.0.0.1');
  socket.on('error', () => {});
  socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  socket.resume(); // read the answer, so the server's close is seen
  const closed = await new Promise<boolean>((resolve) => {
    socket.on('close', () => resolve(true));
    setTimeout(() => resolve(false), 10_000);
  });
  assert.ok(closed);
});

test('a streaming client that stops reading is cut after the stall limit: its slot is free again (issue 21.6)', async () => {
  // 16 MB of answer, more than the kernel's socket buffers hold: the server must wait on a client that never reads.
  fake.script({ text: Array.from({ length: 16 }, () => 'x'.repeat(1 << 20)) });
  const before = logged.length;
  const target = new URL(url);
  const stalled = http.request({
    host: target.hostname,
    port: target.port,
    path: '/v1/chat/completions',
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
  });
  stalled.on('error', () => {});
  stalled.on('response', (res) => res.pause()); // reads the headers, then nothing
  stalled.end(JSON.stringify({ model: 'llama', stream: true, messages: [{ role: 'user', content: 'hi' }] }));
  await until(() => logged.length > before); // the server gave up on it
  stalled.destroy();
  assert.equal(logged.at(-1), 499);
  assert.match(errors.at(-1) ?? '', /client stopped reading for 0\.3 s: cut/);
  assert.equal(server.limiter.active, 0, 'the cut client still holds the only slot');
});

async function until(check: () => boolean): Promise<void> {
  const end = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

// The fetch the SDKs run on: what a global fetch would do, on node:http.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { nodeFetch } from '../src/providers/node-fetch.ts';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;
const seen: Array<{ method?: string; url?: string; authorization?: string; body: string }> = [];
let handler: Handler = (_req, res) => res.end('ok');
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (d) => (body += d));
  req.on('end', () => {
    seen.push({ method: req.method, url: req.url, authorization: req.headers.authorization, body });
    handler(req, res, body);
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
after(() => server.close());

test('status, repeated headers and a streamed body come through as a Response', async () => {
  handler = (_req, res) => {
    res.writeHead(201, [['x-a', '1'], ['x-a', '2'], ['content-type', 'text/plain']]);
    res.write('chunk one, ');
    setTimeout(() => res.end('chunk two'), 20);
  };
  const res = await nodeFetch(`${base}/x`, { method: 'POST', body: JSON.stringify({ a: 1 }), headers: { authorization: 'Bearer k' } });
  assert.equal(res.status, 201);
  assert.equal(res.headers.get('x-a'), '1, 2');
  assert.equal(await res.text(), 'chunk one, chunk two');
  assert.deepEqual(seen.at(-1), { method: 'POST', url: '/x', authorization: 'Bearer k', body: '{"a":1}' });
});

test('a refused connection is TypeError("fetch failed") with the network error as its cause', async () => {
  const err = await nodeFetch('http://127.0.0.1:9/').catch((e: unknown) => e);
  assert.ok(err instanceof TypeError);
  assert.equal((err.cause as NodeJS.ErrnoException).code, 'ECONNREFUSED');
});

test('an abort rejects the call and errors a body already being read', async () => {
  handler = (_req, res) => res.write('partial');
  const controller = new AbortController();
  const res = await nodeFetch(`${base}/slow`, { signal: controller.signal });
  const reader = res.body!.getReader();
  await reader.read();
  controller.abort();
  await assert.rejects(reader.read(), /abort/i);
  await assert.rejects(nodeFetch(`${base}/slow`, { signal: AbortSignal.abort() }), /abort/i);
});

test('redirects are followed; a 307 repeats the POST; credentials never go to another origin', async () => {
  handler = (req, res) => {
    if (req.url === '/old') return void res.writeHead(307, { location: '/new' }).end();
    if (req.url === '/away') return void res.writeHead(302, { location: `http://localhost:${(server.address() as AddressInfo).port}/landing` }).end();
    res.end(`at ${req.url}`);
  };
  const moved = await nodeFetch(`${base}/old`, { method: 'POST', body: 'data', headers: { authorization: 'Bearer k' } });
  assert.equal(await moved.text(), 'at /new');
  assert.deepEqual(seen.at(-1), { method: 'POST', url: '/new', authorization: 'Bearer k', body: 'data' });

  const away = await nodeFetch(`${base}/away`, { headers: { authorization: 'Bearer k' } });
  assert.equal(await away.text(), 'at /landing');
  assert.equal(seen.at(-1)!.authorization, undefined, 'the key was sent to another origin');
});

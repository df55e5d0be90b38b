// The fetch the SDKs run on: what a global fetch would do, on node:http.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { after, test } from 'node:test';
import zlib from 'node:zlib';
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
    res.writeHead(201, [
      ['x-a', '1'],
      ['x-a', '2'],
      ['content-type', 'text/plain'],
    ]);
    res.write('chunk one, ');
    setTimeout(() => res.end('chunk two'), 20);
  };
  const res = await nodeFetch(`${base}/x`, {
    method: 'POST',
    body: JSON.stringify({ a: 1 }),
    headers: { authorization: 'Bearer k' },
  });
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
    if (req.url === '/away')
      return void res
        .writeHead(302, { location: `http://localhost:${(server.address() as AddressInfo).port}/landing` })
        .end();
    res.end(`at ${req.url}`);
  };
  const moved = await nodeFetch(`${base}/old`, {
    method: 'POST',
    body: 'data',
    headers: { authorization: 'Bearer k' },
  });
  assert.equal(await moved.text(), 'at /new');
  assert.deepEqual(seen.at(-1), { method: 'POST', url: '/new', authorization: 'Bearer k', body: 'data' });

  const away = await nodeFetch(`${base}/away`, { headers: { authorization: 'Bearer k' } });
  assert.equal(await away.text(), 'at /landing');
  assert.equal(seen.at(-1)!.authorization, undefined, 'the key was sent to another origin');
});

// ---- compressed responses (issue 6.7) ----------------------------------------------------------------------------

const ANSWER = JSON.stringify({
  error: { message: 'This model’s maximum context length is 8192 tokens', code: 'context_length_exceeded' },
});
const ENCODERS: Record<string, (b: Buffer) => Buffer> = {
  gzip: (b) => zlib.gzipSync(b),
  deflate: (b) => zlib.deflateSync(b),
  'deflate (raw, as some servers send it)': (b) => zlib.deflateRawSync(b),
  br: (b) => zlib.brotliCompressSync(b),
  'gzip, br': (b) => zlib.brotliCompressSync(zlib.gzipSync(b)),
};

for (const [name, encode] of Object.entries(ENCODERS)) {
  test(`a ${name} body is decoded, as the global fetch decodes it`, async () => {
    const coding = name.split(' (')[0]!;
    handler = (_req, res) =>
      res
        .writeHead(400, { 'content-encoding': coding, 'content-type': 'application/json' })
        .end(encode(Buffer.from(ANSWER)));
    const res = await nodeFetch(`${base}/compressed`);
    assert.equal(res.status, 400);
    assert.equal(await res.text(), ANSWER);
  });
}

test('we ask for no compression unless the caller asks for some', async () => {
  let asked: string | undefined;
  handler = (req, res) => res.end((asked = req.headers['accept-encoding']));
  await (await nodeFetch(`${base}/ae`)).text();
  assert.equal(asked, 'identity');
  await (await nodeFetch(`${base}/ae`, { headers: { 'Accept-Encoding': 'gzip' } })).text();
  assert.equal(asked, 'gzip');
});

test('a compressed stream is decoded as it arrives, not once it ends', async () => {
  const gzip = zlib.createGzip();
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  handler = (_req, res) => {
    res.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'text/event-stream' });
    gzip.pipe(res);
    gzip.write('data: first\n\n');
    gzip.flush(zlib.constants.Z_SYNC_FLUSH);
    void released.then(() => gzip.end('data: [DONE]\n\n'));
  };
  const res = await nodeFetch(`${base}/sse`);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  // The server holds the rest back until the first event was read: no timing involved.
  assert.equal(decoder.decode((await reader.read()).value), 'data: first\n\n');
  release();
  let rest = '';
  for (let r = await reader.read(); !r.done; r = await reader.read()) rest += decoder.decode(r.value, { stream: true });
  assert.equal(rest, 'data: [DONE]\n\n');
});

test('an unknown coding is passed through as it came (as the global fetch does)', async () => {
  handler = (_req, res) => res.writeHead(200, { 'content-encoding': 'x-custom' }).end('as is');
  assert.equal(await (await nodeFetch(`${base}/custom`)).text(), 'as is');
});

// ---- Request input and request bodies (issue 6.7) ----------------------------------------------------------------

test('a Request brings its method, headers, body and signal', async () => {
  handler = (_req, res, body) => res.end(`got ${body}`);
  const request = new Request(`${base}/req`, {
    method: 'PUT',
    headers: { authorization: 'Bearer r', 'x-extra': 'yes' },
    body: 'payload',
  });
  const res = await nodeFetch(request);
  assert.equal(await res.text(), 'got payload');
  assert.deepEqual(seen.at(-1), { method: 'PUT', url: '/req', authorization: 'Bearer r', body: 'payload' });

  // init still wins over the Request, as `new Request(request, init)` would have it.
  await (await nodeFetch(new Request(`${base}/req2`, { method: 'POST', body: 'old' }), { body: 'new' })).text();
  assert.deepEqual([seen.at(-1)!.method, seen.at(-1)!.body], ['POST', 'new']);

  const aborted = new Request(`${base}/req3`, { signal: AbortSignal.abort() });
  await assert.rejects(nodeFetch(aborted), /abort/i);
});

async function* chunks() {
  yield new TextEncoder().encode('one,');
  yield 'two,';
  yield Buffer.from('three');
}

const BODIES: Record<string, () => { body: any; type?: RegExp }> = {
  'a ReadableStream': () => ({
    body: new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode('one,two,three'));
        c.close();
      },
    }),
  }),
  'an async iterable': () => ({ body: chunks() }),
  'a Node stream': () => ({ body: Readable.from(['one,', 'two,', 'three']) }),
  'a Blob': () => ({ body: new Blob(['one,two,three'], { type: 'text/plain' }), type: /^text\/plain$/ }),
  URLSearchParams: () => ({
    body: new URLSearchParams({ a: 'one,two,three' }),
    type: /^application\/x-www-form-urlencoded/,
  }),
};

for (const [name, make] of Object.entries(BODIES)) {
  test(`${name} as the request body is sent whole`, async () => {
    let type: string | undefined;
    handler = (req, res, body) => {
      type = req.headers['content-type'];
      res.end(body);
    };
    const { body, type: expected } = make();
    const res = await nodeFetch(`${base}/upload`, { method: 'POST', body, duplex: 'half' } as RequestInit);
    assert.equal(await res.text(), name === 'URLSearchParams' ? 'a=one%2Ctwo%2Cthree' : 'one,two,three');
    if (expected) assert.match(type ?? '', expected);
  });
}

test('FormData goes out as multipart with its boundary, as the SDKs upload files', async () => {
  let type = '';
  handler = (req, res, body) => {
    type = req.headers['content-type'] ?? '';
    res.end(body);
  };
  const form = new FormData();
  form.append('purpose', 'batch');
  form.append('file', new Blob(['{"a":1}'], { type: 'application/jsonl' }), 'input.jsonl');
  const text = await (await nodeFetch(`${base}/files`, { method: 'POST', body: form })).text();
  const boundary = type.match(/^multipart\/form-data; boundary=(.+)$/)?.[1];
  assert.ok(boundary, type);
  assert.match(text, /name="purpose"\r\n\r\nbatch\r\n/);
  assert.match(text, /filename="input.jsonl"\r\nContent-Type: application\/jsonl\r\n\r\n\{"a":1\}\r\n/);
});

test('a streamed body that fails fails the request with its error as the cause', async () => {
  handler = (_req, res) => res.end('never');
  async function* broken() {
    yield 'start';
    throw new Error('disk went away');
  }
  const err = await nodeFetch(`${base}/broken`, { method: 'POST', body: broken() } as unknown as RequestInit).catch(
    (e: unknown) => e,
  );
  assert.ok(err instanceof TypeError, String(err));
  assert.equal((err.cause as Error).message, 'disk went away');
});

test('a 307 cannot repeat a streamed body: fetch failed, as the standard says', async () => {
  handler = (req, res) =>
    req.url === '/moved' ? void res.writeHead(307, { location: '/new' }).end() : res.end('at new');
  const err = await nodeFetch(`${base}/moved`, { method: 'POST', body: chunks() } as unknown as RequestInit).catch(
    (e: unknown) => e,
  );
  assert.ok(err instanceof TypeError);
  assert.match((err.cause as Error).message, /streamed request body/);
});

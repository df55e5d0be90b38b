// Our own HTTP transport (src/providers/transport/, src/providers/upstream.ts): POST on node:http, redirects kept
// within the base URL's origin, compressed answers decoded under a cap, the SSE parser over raw bytes, the timers
// that see bytes, and the limits that end an upstream sending too much.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import zlib from 'node:zlib';
import type { UpstreamError } from '../../src/core/errors.ts';
import type { AdapterCall } from '../../src/core/types.ts';
import { dialectFor } from '../../src/providers/dialects/index.ts';
import { CROSS_ORIGIN, post, type Answer } from '../../src/providers/transport/http.ts';
import { DEFAULT_LIMITS, limitsFromEnv } from '../../src/providers/transport/limits.ts';
import { parseProxy, proxyFor } from '../../src/providers/transport/proxy.ts';
import { SseParser } from '../../src/providers/transport/sse.ts';
import { upstreamEvents, type SseEvent } from '../../src/providers/upstream.ts';
import { startConnectProxy } from '../helpers/connect-proxy.ts';

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
const port = (server.address() as AddressInfo).port;
const base = `http://127.0.0.1:${port}`;
after(() => server.close());

const send = (path: string, headers: Record<string, string> = {}, maxDecodedBytes = 1 << 20) =>
  post({ url: new URL(`${base}${path}`), headers, body: Buffer.from('{"a":1}'), maxDecodedBytes, onRequest() {} });

async function text(answer: Answer): Promise<string> {
  let out = '';
  for await (const chunk of answer.body) out += chunk;
  return out;
}

describe('post', () => {
  test('status, headers and a streamed body; the POST arrives whole with its headers', async () => {
    handler = (_req, res) => {
      res.writeHead(201, { 'x-a': '1', 'content-type': 'text/plain' });
      res.write('chunk one, ');
      setTimeout(() => res.end('chunk two'), 5);
    };
    const answer = await send('/x', { authorization: 'Bearer k' });
    assert.equal(answer.status, 201);
    assert.equal(answer.headers['x-a'], '1');
    assert.equal(await text(answer), 'chunk one, chunk two');
    assert.deepEqual(seen.at(-1), { method: 'POST', url: '/x', authorization: 'Bearer k', body: '{"a":1}' });
  });

  test('a refused connection is a TransportError carrying the network code', async () => {
    const err = await post({
      url: new URL('http://127.0.0.1:9/'),
      headers: {},
      body: Buffer.from('x'),
      maxDecodedBytes: 10,
      onRequest() {},
    }).catch((e: unknown) => e);
    assert.equal((err as { code?: string }).code, 'ECONNREFUSED');
  });

  test('a redirect within the origin is followed, a 307 repeating the POST with its key', async () => {
    handler = (req, res) => {
      if (req.url === '/old') return void res.writeHead(307, { location: '/new' }).end();
      res.end(`at ${req.url}`);
    };
    const answer = await send('/old', { authorization: 'Bearer k' });
    assert.equal(await text(answer), 'at /new');
    assert.deepEqual(seen.at(-1), { method: 'POST', url: '/new', authorization: 'Bearer k', body: '{"a":1}' });
  });

  for (const status of [302, 307, 308]) {
    test(`a ${status} to another origin is not followed: neither the key nor the prompt goes there`, async () => {
      handler = (req, res) => {
        if (req.url === '/away')
          return void res.writeHead(status, { location: `http://localhost:${port}/landing` }).end();
        res.end(`at ${req.url}`);
      };
      const before = seen.length;
      const err = await send('/away', { authorization: 'Bearer k' }).catch((e: unknown) => e);
      assert.equal((err as { code?: string }).code, CROSS_ORIGIN);
      assert.match(
        String((err as Error).message),
        /redirected to another origin \(http:\/\/localhost:\d+\), not followed/,
      );
      assert.deepEqual(
        seen.slice(before).map((s) => s.url),
        ['/away'],
        'nothing was sent to the other origin',
      );
    });
  }
});

describe('compressed answers', () => {
  const ANSWER = JSON.stringify({ error: { message: 'maximum context length is 8192 tokens' } });
  const ENCODERS: Record<string, (b: Buffer) => Buffer> = {
    gzip: (b) => zlib.gzipSync(b),
    deflate: (b) => zlib.deflateSync(b),
    'deflate (raw, as some servers send it)': (b) => zlib.deflateRawSync(b),
    br: (b) => zlib.brotliCompressSync(b),
    'gzip, br': (b) => zlib.brotliCompressSync(zlib.gzipSync(b)),
  };
  for (const [name, encode] of Object.entries(ENCODERS)) {
    test(`a ${name} body is decoded`, async () => {
      const coding = name.split(' (')[0]!;
      handler = (_req, res) => res.writeHead(400, { 'content-encoding': coding }).end(encode(Buffer.from(ANSWER)));
      const answer = await send('/compressed');
      assert.equal(answer.status, 400);
      assert.equal(await text(answer), ANSWER);
    });
  }

  test('an unknown coding is passed on as it came', async () => {
    handler = (_req, res) => res.writeHead(200, { 'content-encoding': 'x-custom' }).end('as is');
    assert.equal(await text(await send('/custom')), 'as is');
  });

  test('a gzip bomb stops at the decoded-bytes cap instead of filling memory', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(16 * 1024 * 1024)); // 16 MiB of zeros in ~16 KB
    handler = (_req, res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end(bomb);
    const answer = await send('/bomb', {}, 64 * 1024);
    await assert.rejects(text(answer), /more than 65536 bytes once decoded/);
  });
});

describe('the SSE parser', () => {
  const parse = (chunks: Array<string | Buffer>, max = 1024) => {
    const p = new SseParser(max);
    const out: SseEvent[] = [];
    for (const c of chunks) out.push(...p.push(Buffer.isBuffer(c) ? c : Buffer.from(c)));
    out.push(...p.end());
    return out;
  };

  test('LF, CRLF and CR end lines; data lines join; comments, ids and retries are dropped', () => {
    assert.deepEqual(
      parse([': hi\r\nevent: ping\r\ndata: a\r\ndata: b\r\n\r\nid: 3\rretry: 9\rdata:c\r\r', 'data: d\n\n']),
      [
        { event: 'ping', data: 'a\nb' },
        { event: '', data: 'c' },
        { event: '', data: 'd' },
      ],
    );
  });

  test('a CRLF split across two chunks, and a character split across two chunks, survive', () => {
    const euro = Buffer.from('data: €\n\n');
    assert.deepEqual(parse(['data: x\r', '\n\r', '\n', euro.subarray(0, 7), euro.subarray(7)]), [
      { event: '', data: 'x' },
      { event: '', data: '€' },
    ]);
  });

  test('an event whose blank line never came is still delivered at the end', () => {
    assert.deepEqual(parse(['data: last']), [{ event: '', data: 'last' }]);
  });

  test('a line longer than the limit is refused, in one chunk or in many, after the events before it', () => {
    for (const chunks of [
      [`data: a\n\ndata: ${'x'.repeat(2000)}\n\ndata: b\n\n`],
      ['data: a\n\n', ...Array.from({ length: 40 }, () => 'x'.repeat(64)), '\n\ndata: b\n\n'],
    ]) {
      const p = new SseParser(1024);
      const out = chunks.flatMap((c) => p.push(Buffer.from(c)));
      assert.deepEqual([out, p.tooLong, p.end()], [[{ event: '', data: 'a' }], true, []]);
    }
  });
});

describe('proxies', () => {
  const env = { HTTPS_PROXY: 'http://proxy:3128', http_proxy: 'proxy-lower:8080', NO_PROXY: '.internal,10.0.0.1:8443' };
  test('the environment by scheme (lower case wins), NO_PROXY by host, domain and port, and a setting over both', () => {
    assert.equal(proxyFor(new URL('https://api.groq.com/openai/v1'), undefined, env)?.label, 'proxy:3128');
    assert.equal(proxyFor(new URL('http://localhost:11434/v1'), undefined, env)?.label, 'proxy-lower:8080');
    assert.equal(proxyFor(new URL('https://llm.internal/v1'), undefined, env), undefined);
    assert.equal(proxyFor(new URL('https://a.b.internal/v1'), undefined, env), undefined);
    assert.equal(proxyFor(new URL('https://10.0.0.1:8443/v1'), undefined, env), undefined);
    assert.equal(proxyFor(new URL('https://10.0.0.1/v1'), undefined, env)?.label, 'proxy:3128');
    assert.equal(proxyFor(new URL('https://x.com'), undefined, { ...env, no_proxy: '*' }), undefined);
    assert.equal(proxyFor(new URL('https://llm.internal'), 'http://own:1', env)?.label, 'own:1');
    assert.equal(proxyFor(new URL('https://api.groq.com'), 'none', env), undefined);
  });

  test('credentials in a proxy URL become Proxy-Authorization and never its label', () => {
    const p = parseProxy('http://me:s%40cret@proxy:3128');
    assert.equal(p.authorization, `Basic ${Buffer.from('me:s@cret').toString('base64')}`);
    assert.equal(p.label, 'proxy:3128');
    assert.throws(() => parseProxy('socks5://proxy:1080'), /only http:\/\/ proxies/);
  });
});

// ---- upstreamEvents: timers and limits ---------------------------------------------------------------------------

const call = (extra: Partial<AdapterCall> = {}) =>
  ({
    provider: { id: 'p', name: 'p', protocol: 'openai', baseUrl: base, keyEnv: [], builtIn: false },
    apiKey: 'k-secret-value',
    timeouts: { connectMs: 2_000, idleMs: 2_000 },
    ...extra,
  }) as AdapterCall;
const request = (path: string) => ({ url: `${base}${path}`, headers: {}, body: { a: 1 }, dialect: dialectFor('p') });

async function drain(events: AsyncIterable<SseEvent[]>): Promise<{ events: SseEvent[]; error?: UpstreamError }> {
  const out: SseEvent[] = [];
  try {
    for await (const batch of events) out.push(...batch);
    return { events: out };
  } catch (error) {
    return { events: out, error: error as UpstreamError };
  }
}

describe('upstreamEvents', () => {
  test('events arrive in batches; an error status is classified by the dialect, key scrubbed', async () => {
    handler = (_req, res) => res.writeHead(200).end('data: 1\n\ndata: 2\n\n');
    assert.deepEqual((await drain(upstreamEvents(call(), request('/ok'), DEFAULT_LIMITS))).events, [
      { event: '', data: '1' },
      { event: '', data: '2' },
    ]);
    handler = (_req, res) =>
      res
        .writeHead(429, { 'retry-after': '2', 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { message: 'Rate limit reached for requests per min (RPM) k-secret-value' } }));
    const { error } = await drain(upstreamEvents(call(), request('/limited'), DEFAULT_LIMITS));
    assert.equal(error?.kind, 'rate_limit');
    assert.equal(error?.retryAfterMs, 2000);
    assert.equal(error?.message, 'p: HTTP 429: Rate limit reached for requests per min (RPM) [redacted]');
  });

  test('an upstream that goes silent mid-stream is stopped by the idle timer', async () => {
    handler = (_req, res) => res.writeHead(200).write('data: first\n\n');
    const r = await drain(
      upstreamEvents(call({ timeouts: { connectMs: 2_000, idleMs: 150 } }), request('/silent'), DEFAULT_LIMITS),
    );
    assert.deepEqual(r.events, [{ event: '', data: 'first' }]);
    assert.equal(r.error?.kind, 'timeout');
    assert.match(r.error!.message, /silent for more than 150 ms/);
  });

  test('an endless stream ends at the answer-bytes cap with "upstream sent more than …"', async () => {
    handler = (_req, res) => {
      res.writeHead(200);
      const line = Buffer.from(`data: ${'x'.repeat(1000)}\n\n`);
      const more = () => {
        while (res.write(line));
        res.once('drain', more);
      };
      more();
      res.on('close', () => res.removeAllListeners('drain'));
    };
    const r = await drain(upstreamEvents(call(), request('/endless'), { answerBytes: 200_000, lineBytes: 4096 }));
    assert.equal(r.error?.kind, 'protocol');
    assert.equal(r.error?.message, 'p: upstream sent more than 200000 bytes');
    assert.ok(r.events.length > 100, 'what came before the cap was delivered');
  });

  test('a line past the line limit ends the call with "upstream sent a line longer than …"', async () => {
    handler = (_req, res) => res.writeHead(200).end(`data: ok\n\ndata: ${'y'.repeat(10_000)}\n\n`);
    const r = await drain(upstreamEvents(call(), request('/long'), { answerBytes: 1 << 20, lineBytes: 4096 }));
    assert.deepEqual(r.events, [{ event: '', data: 'ok' }]);
    assert.equal(r.error?.message, 'p: upstream sent a line longer than 4096 bytes');
  });

  test("the caller's abort ends the call as aborted", async () => {
    handler = (_req, res) => res.writeHead(200).write('data: first\n\n');
    const controller = new AbortController();
    const events = upstreamEvents(call({ signal: controller.signal }), request('/abort'), DEFAULT_LIMITS);
    const first = await events.next();
    assert.deepEqual(first.value, [{ event: '', data: 'first' }]);
    controller.abort();
    await assert.rejects(events.next(), (e: UpstreamError) => e.kind === 'aborted');
  });

  test('a provider proxy carries the call through CONNECT; a refused CONNECT is a connection failure', async () => {
    const proxy = await startConnectProxy({ PROXY_AUTH: `Basic ${Buffer.from('u:p').toString('base64')}` });
    try {
      handler = (_req, res) => res.writeHead(200).end('data: via proxy\n\n');
      const at = `127.0.0.1:${proxy.url.split(':').at(-1)}`;
      const provider = { ...call().provider, proxy: `http://u:p@${at}` };
      const r = await drain(upstreamEvents(call({ provider }), request('/proxied'), DEFAULT_LIMITS));
      assert.deepEqual(r.events, [{ event: '', data: 'via proxy' }]);
      assert.deepEqual(proxy.tunnels, [`127.0.0.1:${port}`]);

      const refused = { ...provider, proxy: `http://u:wrong@${at}` };
      const bad = await drain(upstreamEvents(call({ provider: refused }), request('/proxied'), DEFAULT_LIMITS));
      assert.equal(bad.error?.kind, 'connection');
      assert.match(bad.error!.message, new RegExp(`proxy ${at}: CONNECT 127.0.0.1:${port} answered 407`));
      assert.doesNotMatch(bad.error!.message, /wrong/);
    } finally {
      await proxy.close();
    }
  });
});

test('limits are settable in the environment, and a bad value is refused by name', () => {
  assert.deepEqual(limitsFromEnv({ LLM_GATEWAY_MAX_ANSWER_BYTES: '1000', LLM_GATEWAY_MAX_LINE_BYTES: '100' }), {
    answerBytes: 1000,
    lineBytes: 100,
  });
  assert.throws(() => limitsFromEnv({ LLM_GATEWAY_MAX_ANSWER_BYTES: '1e9' }), /LLM_GATEWAY_MAX_ANSWER_BYTES must be/);
});

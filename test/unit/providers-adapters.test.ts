// The two adapters, through the real SDKs, against the loopback fake: the same scenarios for both wire formats.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { inspect } from 'node:util';
import type { Adapter, AdapterCall, ChatEvent, ProviderSpec } from '../../src/core/types.ts';
import { anthropicAdapter } from '../../src/providers/anthropic.ts';
import { openAiCompatibleAdapter } from '../../src/providers/openai-compatible.ts';
import { collect, startFakeUpstream, type FakeUpstream, type Step } from '../fake-upstream/index.ts';

const KEY = 'sk-test-SuperSecretKey0123456789abcdef';
// Generous by default so a loaded machine cannot fail tests that are not about time. Those that are time one timer
// at once (the other is kept long, so a slow start cannot trip it instead). A timer that must fire is short: the
// test waits for it, so it costs real time. Where a timer must *not* fire, every gap it sees is at least 300 ms
// shorter than it, so an event-loop stall of that size on a loaded 2-core machine cannot fail the test.
const TIMEOUTS = { connectMs: 5000, idleMs: 5000 };
const FAST_CONNECT = { connectMs: 250, idleMs: 5000 };
const FAST_IDLE = { connectMs: 5000, idleMs: 250 };

interface Wire {
  name: 'openai' | 'anthropic';
  adapter: Adapter;
  base: (f: FakeUpstream) => string;
}
const WIRES: Wire[] = [
  { name: 'openai', adapter: openAiCompatibleAdapter, base: (f) => f.openaiBaseUrl },
  // The catalog writes Anthropic's base with /v1, as users do; the adapter strips it.
  { name: 'anthropic', adapter: anthropicAdapter, base: (f) => `${f.url}/v1` },
];

function provider(wire: Wire, extra: Partial<ProviderSpec> = {}): ProviderSpec {
  return {
    id: `fake-${wire.name}`,
    name: 'Fake',
    protocol: wire.name,
    baseUrl: '',
    keyEnv: [],
    builtIn: false,
    ...extra,
  };
}

let fake: FakeUpstream;
before(async () => (fake = await startFakeUpstream()));
after(() => fake.close());

for (const wire of WIRES) {
  const call = (extra: Partial<AdapterCall> = {}): AdapterCall => ({
    provider: provider(wire),
    baseUrl: wire.base(fake),
    apiKey: KEY,
    upstreamModel: 'up-model-1',
    messages: [{ role: 'user', content: 'Say hello' }],
    timeouts: TIMEOUTS,
    ...extra,
  });
  /** Scripts one step, runs one call, and returns what came out plus the requests this call made. */
  const run = async (
    step: Step,
    extra: Partial<AdapterCall> = {},
    onEvent?: (e: ChatEvent) => Promise<void> | void,
  ) => {
    const before = fake.requests.length;
    fake.clear();
    fake.script(step);
    const out = await collect(wire.adapter.stream(call(extra)), { onEvent });
    return { ...out, requests: fake.requests.slice(before) };
  };
  const assertKeyHidden = (err: unknown) => {
    const e = err as Error;
    for (const text of [e.message, e.stack ?? '', JSON.stringify(e), inspect(e)])
      assert.ok(!text.includes(KEY), `key leaked in: ${text}`);
  };

  describe(`${wire.name} adapter`, () => {
    test('streams exact text, then one finish with the reported usage', async () => {
      const r = await run({ text: ['Hel', 'lo ', 'wörld ✓'], usage: { input: 17, output: 5 } });
      assert.equal(r.error, undefined);
      assert.deepEqual(r.deltas, ['Hel', 'lo ', 'wörld ✓']);
      assert.deepEqual(r.events.at(-1), {
        type: 'finish',
        reason: 'stop',
        usage: { inputTokens: 17, outputTokens: 5, estimated: false },
      });
      assert.equal(r.events.filter((e) => e.type === 'finish').length, 1);
      assert.equal(r.requests.length, 1);
      assert.equal(r.requests[0]!.model, 'up-model-1');
      assert.equal(r.requests[0]!.stream, true);
    });

    test('maps a length finish', async () => {
      const r = await run({ finish: wire.name === 'openai' ? 'length' : 'max_tokens' });
      assert.equal(r.events.at(-1)?.type === 'finish' && r.events.at(-1)!.type, 'finish');
      assert.deepEqual((r.events.at(-1) as { reason: string }).reason, 'length');
    });

    test('no usage from the upstream -> finish.usage null', async () => {
      const r = await run({ usage: null });
      assert.equal(r.error, undefined);
      assert.deepEqual(r.events.at(-1), { type: 'finish', reason: 'stop', usage: null });
    });

    test('legal but unusual framing still parses (CRLF, 1 byte per write, comments, no final blank line)', async () => {
      const r = await run({
        text: ['héllo ✓', ' there'],
        crlf: true,
        bytewise: true,
        comments: true,
        noTrailingBlank: true,
        usage: { input: 3, output: 2 },
      });
      assert.equal(r.error, undefined);
      assert.deepEqual(r.deltas, ['héllo ✓', ' there']);
      assert.deepEqual(r.events.at(-1), {
        type: 'finish',
        reason: 'stop',
        usage: { inputTokens: 3, outputTokens: 2, estimated: false },
      });
    });

    const statusCases: Array<[string, Step, string, number]> = [
      ['429 with Retry-After', { fault: 'rate_limit', headers: { 'retry-after': '3' } }, 'rate_limit', 429],
      ['429 insufficient_quota', { fault: 'insufficient_quota' }, 'quota', 429],
      [
        '429 with a long Retry-After and no per-minute wording',
        {
          fault: 'rate_limit',
          headers: { 'retry-after': '3600' },
          error: { message: 'Too many requests, come back later', type: 'requests', code: null },
        },
        'quota',
        429,
      ],
      [
        '429 per-minute with a long Retry-After',
        { fault: 'rate_limit', headers: { 'retry-after': '3600' } },
        'rate_limit',
        429,
      ],
      ['401', { fault: 'unauthorized' }, 'auth', 401],
      ['403', { fault: 'forbidden' }, 'auth', 403],
      ['404', { fault: 'not_found' }, 'not_found', 404],
      ['400 context length', { fault: 'context_length' }, 'context_length', 400],
      // A proxy compressing the error body whatever we asked for: read as text it would be binary, a plain 400.
      [
        '400 context length, its JSON body gzip-compressed',
        { fault: 'context_length', contentEncoding: 'gzip' },
        'context_length',
        400,
      ],
      [
        '429 insufficient_quota, its JSON body brotli-compressed',
        { fault: 'insufficient_quota', contentEncoding: 'br' },
        'quota',
        429,
      ],
      ['400 invalid request', { fault: 'bad_request' }, 'bad_request', 400],
      ['500', { fault: 'server_error' }, 'server', 500],
      ['503', { fault: 'unavailable' }, 'server', 503],
      ['529 overloaded', { fault: 'overloaded' }, 'server', 529],
    ];
    for (const [label, step, kind, status] of statusCases) {
      test(`${label} -> ${kind}, one request only (no SDK retry), key never in the error`, async () => {
        const r = await run(step);
        assert.equal(r.error?.name, 'UpstreamError');
        assert.equal(r.error.kind, kind);
        assert.equal(r.error.status, status);
        assert.equal(r.error.provider, `fake-${wire.name}`);
        assert.deepEqual(r.events, []);
        assert.equal(r.requests.length, 1);
        assertKeyHidden(r.error);
      });
    }

    test('Retry-After seconds and retry-after-ms become retryAfterMs', async () => {
      assert.equal((await run({ fault: 'rate_limit', headers: { 'retry-after': '3' } })).error.retryAfterMs, 3000);
      assert.equal((await run({ fault: 'rate_limit', headers: { 'retry-after-ms': '250' } })).error.retryAfterMs, 250);
    });

    test('an upstream message that echoes the key is scrubbed', async () => {
      const r = await run({
        fault: 'unauthorized',
        error: { message: `Incorrect API key provided: ${KEY}. Authorization: Bearer ${KEY}` },
      });
      assert.equal(r.error.kind, 'auth');
      assertKeyHidden(r.error);
    });

    test('no headers within connectMs -> timeout, promptly, one request', async () => {
      const before = fake.requests.length;
      const r = await run({ stall: true }, { timeouts: FAST_CONNECT });
      assert.equal(r.error?.kind, 'timeout');
      assert.ok(
        r.elapsedMs >= FAST_CONNECT.connectMs - 20 && r.elapsedMs < FAST_CONNECT.connectMs + 4000,
        `took ${r.elapsedMs} ms`,
      );
      // On a loaded machine the request can reach the fake after the client gave up; wait for it, so it cannot
      // take the next test's scripted step.
      for (const start = Date.now(); fake.requests.length === before && Date.now() - start < 3000; )
        await new Promise((res) => setTimeout(res, 20));
      assert.equal(fake.requests.length - before, 1);
      assertKeyHidden(r.error);
    });

    test('silence mid-stream longer than idleMs -> timeout after the first delta', async () => {
      const r = await run({ chunkDelayMs: 10_000 }, { timeouts: FAST_IDLE });
      assert.equal(r.error?.kind, 'timeout');
      assert.deepEqual(r.deltas, ['Hello']);
      assert.ok(r.elapsedMs < 8000, `took ${r.elapsedMs} ms`);
    });

    test('silence before the first chunk longer than idleMs -> timeout', async () => {
      const r = await run({ firstChunkDelayMs: 10_000 }, { timeouts: FAST_IDLE });
      assert.equal(r.error?.kind, 'timeout');
      assert.deepEqual(r.deltas, []);
    });

    test('the idle timer resets on every chunk: a slow but steady stream succeeds', async () => {
      // 10 chunks 50 ms apart: 450 ms and more in all, past idleMs, while every gap is 350 ms short of it.
      const text = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
      const r = await run({ text, chunkDelayMs: 50 }, { timeouts: { connectMs: 5000, idleMs: 400 } });
      assert.equal(r.error, undefined);
      assert.deepEqual(r.deltas, text);
      assert.ok(r.elapsedMs > 400, `only ${r.elapsedMs} ms: the stream was too fast to prove anything`);
    });

    test('an event trickling in byte by byte is not silence: the idle timer sees bytes, not only events', async () => {
      // The first event takes 430 ms or more to arrive, 5 ms a byte (> idleMs 350 ms), while every gap between
      // bytes is 345 ms short of it.
      const rawSse =
        wire.name === 'openai'
          ? 'data: {"choices":[{"index":0,"delta":{"content":"slow"},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n'
          : 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"slow"}}\n\nevent: message_stop\ndata: {"type":"message_stop"}\n\n';
      const r = await run({ rawSse, byteDelayMs: 5 }, { timeouts: { connectMs: 5000, idleMs: 350 } });
      assert.equal(r.error, undefined);
      assert.deepEqual(r.deltas, ['slow']);
      assert.ok(r.elapsedMs > 420, `only ${r.elapsedMs} ms: the trickle was too fast to prove anything`);
    });

    test('a slow consumer does not trip the idle timer', async () => {
      // The consumer holds the delta longer than idleMs; only the upstream's silence counts.
      const slow = { connectMs: 5000, idleMs: 300 };
      const r = await run({ text: ['Hello, world'] }, { timeouts: slow }, (e) =>
        e.type === 'text-delta' ? new Promise((res) => setTimeout(res, 600)) : undefined,
      );
      assert.equal(r.error, undefined);
      assert.equal(r.deltas.join(''), 'Hello, world');
    });

    test('a cut after 2 chunks throws after those deltas were yielded', async () => {
      const r = await run({ cutAfter: 2 });
      assert.deepEqual(r.deltas, ['Hello', ', ']);
      assert.equal(r.error?.name, 'UpstreamError');
      assert.equal(r.error.kind, 'connection');
      assert.equal(
        r.events.some((e) => e.type === 'finish'),
        false,
      );
    });

    test('a clean end after the finish and usage but without the terminator is a complete answer', async () => {
      const r = await run({ text: ['A whole', ' answer'], usage: { input: 900, output: 600 }, noTerminator: true });
      assert.equal(r.error, undefined);
      assert.deepEqual(r.deltas, ['A whole', ' answer']);
      assert.deepEqual(r.events.at(-1), {
        type: 'finish',
        reason: 'stop',
        usage: { inputTokens: 900, outputTokens: 600, estimated: false },
      });
    });

    if (wire.name === 'openai') {
      test('a finish without the usage asked for and without [DONE] stopped between the two -> protocol', async () => {
        const r = await run({ usage: null, noTerminator: true });
        assert.equal(r.error?.kind, 'protocol');
        assert.match(r.error.message, /without its usage or data: \[DONE\]/);
      });

      test('a finish without usage is complete when no usage was asked for, [DONE] or not', async () => {
        const r = await run({ usage: null, noTerminator: true }, { provider: provider(wire, { streamUsage: false }) });
        assert.equal(r.error, undefined);
        assert.deepEqual(r.events.at(-1), { type: 'finish', reason: 'stop', usage: null });
      });
    }

    test('a clean end before any finish -> protocol, after the deltas that came', async () => {
      const r = await run({ endAfter: 2 });
      assert.equal(r.error?.kind, 'protocol');
      assert.match(r.error.message, wire.name === 'openai' ? /without a finish_reason/ : /without a stop_reason/);
      assert.equal(r.deltas.join(''), 'Hello, ');
      assert.equal(
        r.events.some((e) => e.type === 'finish'),
        false,
      );
    });

    test('an error event inside a 200 stream -> server error after the deltas before it', async () => {
      const r = await run({ streamError: { afterChunks: 1 } });
      assert.deepEqual(r.deltas, ['Hello']);
      assert.equal(r.error?.kind, 'server');
    });

    test('a rate-limit error event inside a 200 stream -> rate_limit', async () => {
      const type = wire.name === 'openai' ? 'rate_limit_exceeded' : 'rate_limit_error';
      const r = await run({ streamError: { afterChunks: 0, type, message: 'slow down' } });
      assert.equal(r.error?.kind, 'rate_limit');
    });

    test('the caller aborting mid-stream -> aborted', async () => {
      const ctl = new AbortController();
      const r = await run({ chunkDelayMs: 1000 }, { signal: ctl.signal }, () => ctl.abort());
      assert.equal(r.error?.kind, 'aborted');
      assert.deepEqual(r.deltas, ['Hello']);
      for (const start = Date.now(); !r.requests[0]?.hungUpEarly && Date.now() - start < 2000; )
        await new Promise((res) => setTimeout(res, 20));
      assert.equal(r.requests[0]?.hungUpEarly, true, 'the upstream saw the abort');
    });

    test('an already aborted signal -> aborted without a request', async () => {
      const before = fake.requests.length;
      const r = await collect(wire.adapter.stream(call({ signal: AbortSignal.abort() })));
      assert.equal(r.error?.kind, 'aborted');
      assert.equal(fake.requests.length, before);
    });

    test('connection refused -> connection, key hidden', async () => {
      const closed = http.createServer();
      await new Promise<void>((res) => closed.listen(0, '127.0.0.1', () => res()));
      const port = (closed.address() as AddressInfo).port;
      await new Promise((res) => closed.close(res));
      const r = await collect(wire.adapter.stream(call({ baseUrl: `http://127.0.0.1:${port}/v1` })));
      assert.equal(r.error?.kind, 'connection');
      assertKeyHidden(r.error);
    });

    test('an unparsable chunk -> protocol, after the deltas before it, and the SDK prints nothing', async () => {
      const good =
        wire.name === 'openai'
          ? 'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":null}]}\n\n'
          : 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"hi"}}\n\n';
      const bad = wire.name === 'openai' ? 'data: {not json\n\n' : 'event: message_delta\ndata: {not json\n\n';
      const printed: unknown[] = [];
      const saved = { error: console.error, warn: console.warn };
      console.error = console.warn = (...args: unknown[]) => void printed.push(args);
      try {
        const r = await run({ rawSse: good + bad });
        assert.deepEqual(r.deltas, ['hi']);
        assert.equal(r.error?.kind, 'protocol');
      } finally {
        Object.assign(console, saved);
      }
      assert.deepEqual(printed, []);
    });

    test('an empty key -> auth, without a request', async () => {
      const before = fake.requests.length;
      const r = await collect(wire.adapter.stream(call({ apiKey: '' })));
      assert.equal(r.error?.kind, 'auth');
      assert.equal(fake.requests.length, before);
    });

    test('breaking out early releases the request: the upstream sees the connection closed', async () => {
      fake.clear();
      fake.script({ text: ['a', 'b', 'c'], chunkDelayMs: 2000 });
      const before = fake.requests.length;
      for await (const e of wire.adapter.stream(call())) if (e.type === 'text-delta') break;
      const request = fake.requests[before]!;
      // The close reaches the server a moment later; well before the stream would have ended on its own (4 s and more).
      for (const start = Date.now(); !request.hungUpEarly && Date.now() - start < 2500; )
        await new Promise((r) => setTimeout(r, 20));
      assert.equal(request.hungUpEarly, true, 'the upstream never saw the client go');
      // The next call still works on the same cached client.
      const r = await run({});
      assert.equal(r.error, undefined);
    });
  });
}

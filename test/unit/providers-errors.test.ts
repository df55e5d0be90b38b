// Pure units: error bodies and network failures -> UpstreamError kinds, Retry-After parsing, scrubbing, base URL
// normalisers.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UpstreamError } from '../../src/core/errors.ts';
import { anthropicBaseUrl, openAiBaseUrl } from '../../src/providers/base-url.ts';
import { networkError, parseRetryAfter, scrub, statusError, streamError } from '../../src/providers/upstream-error.ts';
import { exitCodeOf } from '../../src/cli/common/exit-codes.ts';

/** An error answer as it arrives: status, headers, body text. */
type Reply = { status: number; headers: Record<string, string>; body: string };
const oai = (status: number, error: object, headers: Record<string, string> = {}): Reply => ({
  status,
  headers,
  body: JSON.stringify({ error }),
});
const ant = (status: number, type: string, message: string, headers: Record<string, string> = {}): Reply => ({
  status,
  headers,
  body: JSON.stringify({ type: 'error', error: { type, message } }),
});
const replyError = (provider: string, r: Reply, ctx = {}) => statusError(provider, r.status, r.headers, r.body, ctx);
const kindOf = (r: Reply) => replyError('p', r).kind;

describe('statusError: HTTP statuses', () => {
  const cases: Array<[string, Reply, string]> = [
    [
      'openai 429 burst',
      oai(429, {
        type: 'requests',
        code: 'rate_limit_exceeded',
        message: 'Rate limit reached for requests per min (RPM)',
      }),
      'rate_limit',
    ],
    [
      'openai 429 insufficient_quota',
      oai(429, { type: 'insufficient_quota', code: 'insufficient_quota', message: 'You exceeded your current quota' }),
      'quota',
    ],
    ['429 per-day limit', oai(429, { message: 'Rate limit reached on tokens per day (TPD)' }), 'quota'],
    [
      '429 "quota" for a per-minute metric stays a rate limit',
      oai(429, { message: "Quota exceeded for quota metric 'requests per minute'" }),
      'rate_limit',
    ],
    ['429 free tier used up', ant(429, 'rate_limit_error', 'Free tier exhausted for this month'), 'quota'],
    ['429 Retry-After > 60 s', oai(429, { message: 'slow down' }, { 'retry-after': '61' }), 'quota'],
    [
      '429 per-minute limit with a long Retry-After stays a rate limit',
      oai(429, { message: 'Rate limit reached for requests per min (RPM)' }, { 'retry-after': '120' }),
      'rate_limit',
    ],
    ['402 billing', ant(402, 'billing_error', 'credit balance too low'), 'billing'],
    ['401', oai(401, { code: 'invalid_api_key', message: 'Incorrect API key' }), 'auth'],
    ['403', ant(403, 'permission_error', 'no'), 'auth'],
    ['404', ant(404, 'not_found_error', 'model: x'), 'not_found'],
    ['400 model_not_found code', oai(400, { code: 'model_not_found', message: 'no such model' }), 'not_found'],
    [
      '400 context_length_exceeded code',
      oai(400, { code: 'context_length_exceeded', message: 'too long' }),
      'context_length',
    ],
    [
      '400 "maximum context length"',
      oai(400, { message: "This model's maximum context length is 8192 tokens" }),
      'context_length',
    ],
    [
      '400 "prompt is too long"',
      ant(400, 'invalid_request_error', 'prompt is too long: 210000 tokens > 200000 maximum'),
      'context_length',
    ],
    ['400 other', ant(400, 'invalid_request_error', 'temperature: range'), 'bad_request'],
    ['422', oai(422, { message: 'unprocessable' }), 'bad_request'],
    ['408', oai(408, { message: 'request timeout' }), 'timeout'],
    ['500', oai(500, { message: 'boom' }), 'server'],
    ['502', oai(502, { message: 'bad gateway' }), 'server'],
    ['503', ant(503, 'api_error', 'unavailable'), 'server'],
    ['504', ant(504, 'timeout_error', 'gateway timeout'), 'server'],
    ['529', ant(529, 'overloaded_error', 'Overloaded'), 'server'],
  ];
  for (const [label, err, kind] of cases) test(`${label} -> ${kind}`, () => assert.equal(kindOf(err), kind));

  test('status, provider and a short message from the upstream text', () => {
    const e = replyError(
      'groq',
      oai(429, { message: 'Rate limit reached for requests per min' }, { 'retry-after': '2' }),
    );
    assert.ok(e instanceof UpstreamError);
    assert.equal(e.status, 429);
    assert.equal(e.provider, 'groq');
    assert.equal(e.retryAfterMs, 2000);
    assert.equal(e.message, 'groq: HTTP 429: Rate limit reached for requests per min');
    assert.equal(exitCodeOf(e), 5);
  });
});

describe('no status', () => {
  test('network failures: refused, reset, DNS are connection failures; a socket timeout is a timeout', () => {
    const net = (code: string) => networkError('p', Object.assign(new Error(code), { code })).kind;
    assert.equal(net('ECONNREFUSED'), 'connection');
    assert.equal(net('ECONNRESET'), 'connection');
    assert.equal(net('ENOTFOUND'), 'connection');
    assert.equal(net('ETIMEDOUT'), 'timeout');
    assert.equal(networkError('p', new Error('socket hang up')).kind, 'connection');
  });

  test('error events inside a 200 stream are classified by type', () => {
    const event = (body: unknown) => streamError('p', body).kind;
    assert.equal(event({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }), 'server');
    assert.equal(event({ type: 'error', error: { type: 'rate_limit_error', message: 'slow' } }), 'rate_limit');
    assert.equal(event({ message: 'oops', type: 'server_error' }), 'server');
  });

  test('a body that is not JSON is its own message; a bare {code, message} is read too', () => {
    assert.equal(
      statusError('p', 502, {}, '<html>Bad gateway</html>').message,
      'p: HTTP 502: <html>Bad gateway</html>',
    );
    const sf = statusError('siliconflow', 400, {}, '{"code":20012,"message":"Model does not exist.","data":null}');
    assert.deepEqual([sf.kind, sf.message], ['not_found', 'siliconflow: HTTP 400: Model does not exist.']);
  });
});

describe('Retry-After', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  test('retry-after-ms wins, then seconds, then an HTTP date', () => {
    assert.equal(parseRetryAfter(new Headers({ 'retry-after-ms': '250.4', 'retry-after': '9' }), now), 250);
    assert.equal(parseRetryAfter(new Headers({ 'retry-after': '7' }), now), 7000);
    assert.equal(parseRetryAfter(new Headers({ 'retry-after': '1.5' }), now), 1500);
    assert.equal(parseRetryAfter(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }), now), 30_000);
    assert.equal(parseRetryAfter(new Headers({ 'retry-after': 'Wed, 31 Dec 2025 23:00:00 GMT' }), now), 0);
    assert.equal(parseRetryAfter({ 'retry-after': '3' }, now), 3000);
    assert.equal(parseRetryAfter(new Headers({ 'retry-after': 'soon' }), now), undefined);
    assert.equal(parseRetryAfter(undefined, now), undefined);
  });
});

describe('scrub', () => {
  test('removes the given secrets, bearer credentials and key-shaped tokens', () => {
    const key = 'my-very-secret-key-value';
    const out = scrub(`bad key ${key}; Authorization: Bearer abc.def; other sk-proj-ABCDEFGH12345678 end`, [key]);
    assert.ok(!out.includes(key) && !out.includes('abc.def') && !out.includes('ABCDEFGH12345678'), out);
    assert.match(out, /^bad key \[redacted\]/);
  });

  test('the key never reaches the message even when the upstream echoes it', () => {
    const key = 'sk-ant-api03-XYZ_secret_0123456789';
    const e = replyError('anthropic', ant(401, 'authentication_error', `invalid x-api-key ${key}`), {
      secrets: [key],
    });
    assert.ok(!e.message.includes(key) && !(e.stack ?? '').includes(key) && !JSON.stringify(e).includes(key));
  });
});

describe('base URL normalisers', () => {
  test('anthropic: one trailing /v1 and trailing slashes removed', () => {
    assert.equal(anthropicBaseUrl('https://api.anthropic.com/v1'), 'https://api.anthropic.com');
    assert.equal(anthropicBaseUrl('https://api.anthropic.com/v1/'), 'https://api.anthropic.com');
    assert.equal(anthropicBaseUrl('https://api.anthropic.com'), 'https://api.anthropic.com');
    assert.equal(anthropicBaseUrl('https://api.anthropic.com//'), 'https://api.anthropic.com');
    assert.equal(anthropicBaseUrl('https://proxy.example/anthropic/v1'), 'https://proxy.example/anthropic');
    assert.equal(anthropicBaseUrl('https://proxy.example/v1/v1'), 'https://proxy.example/v1');
    assert.equal(anthropicBaseUrl('https://proxy.example/v10'), 'https://proxy.example/v10');
  });

  test('openai: kept as given except trailing slashes', () => {
    assert.equal(openAiBaseUrl('https://api.openai.com/v1'), 'https://api.openai.com/v1');
    assert.equal(openAiBaseUrl('https://api.openai.com/v1/'), 'https://api.openai.com/v1');
    assert.equal(
      openAiBaseUrl('https://dashscope.aliyuncs.com/compatible-mode/v1'),
      'https://dashscope.aliyuncs.com/compatible-mode/v1',
    );
    assert.equal(openAiBaseUrl(' http://127.0.0.1:8080 '), 'http://127.0.0.1:8080');
  });
});

// The server's guards alone: Host names, the constant-time key check, the access key file, the queue in front of
// upstream calls, and the body reader's limits.
import assert from 'node:assert/strict';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import type { IncomingMessage } from 'node:http';
import { ConfigError, UsageError } from '../../src/core/errors.ts';
import { loadAccessKey } from '../../src/server/access-key.ts';
import { readJson } from '../../src/server/body.ts';
import { hostAllowed, keysMatch, presentedKey } from '../../src/server/guard.ts';
import type { HttpError } from '../../src/server/http-error.ts';
import { createLimiter } from '../../src/server/limiter.ts';
import { tempHome } from '../helpers/cli.ts';

const loopback = new Set(['localhost', '127.0.0.1', '::1']);

test('Host: loopback names with any port pass; a rebinding domain, a missing or odd Host does not', () => {
  for (const ok of ['localhost:4141', '127.0.0.1:4141', '[::1]:4141', 'LOCALHOST', 'app.localhost:80'])
    assert.ok(hostAllowed(ok, loopback), ok);
  for (const bad of [
    'attacker.example:4141',
    '127.0.0.1.nip.io:4141',
    'localhost.attacker.example',
    '',
    undefined,
    'a b',
    '127.0.0.1@evil',
  ]) {
    assert.ok(!hostAllowed(bad, loopback), String(bad));
  }
});

test('access key: compared whole, any length, bearer or x-api-key', () => {
  assert.ok(keysMatch('llmgw-secret-key-abcdefgh', 'llmgw-secret-key-abcdefgh'));
  assert.ok(!keysMatch('llmgw-secret-key-abcdefg', 'llmgw-secret-key-abcdefgh'));
  assert.ok(!keysMatch('', 'llmgw-secret-key-abcdefgh'));
  const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
  assert.equal(presentedKey(req({ authorization: 'Bearer abc' })), 'abc');
  assert.equal(presentedKey(req({ 'x-api-key': 'xyz' })), 'xyz');
  assert.equal(presentedKey(req({ authorization: 'Basic abc' })), undefined);
});

test('access key: generated once with 256 bits, 0600, then read back; a weak env key or a broken file is refused', () => {
  const home = tempHome();
  const first = loadAccessKey({}, home);
  assert.equal(first.created, true);
  assert.match(first.key, /^llmgw-[A-Za-z0-9_-]{43}$/);
  assert.equal(statSync(join(home, 'server-key')).mode & 0o777, 0o600);
  assert.equal(statSync(home).mode & 0o777, 0o700);
  const again = loadAccessKey({}, home);
  assert.deepEqual([again.key, again.created], [first.key, false]);
  assert.equal(loadAccessKey({ LLM_GATEWAY_SERVER_KEY: 'a-key-chosen-on-purpose-123' }, home).source, 'env');
  assert.throws(() => loadAccessKey({ LLM_GATEWAY_SERVER_KEY: 'short' }, home), UsageError);
  writeFileSync(join(home, 'server-key'), '\n');
  assert.throws(() => loadAccessKey({}, home), ConfigError);
});

test('limiter: past the cap requests queue, are served in order, and get a 429 when the queue is full or the wait too long', async () => {
  const limiter = createLimiter({ maxConcurrent: 1, maxQueued: 1, maxWaitMs: 60_000 });
  const first = await limiter.acquire();
  const order: string[] = [];
  const second = limiter.acquire().then((release) => {
    order.push('second');
    return release;
  });
  await assert.rejects(limiter.acquire(), (err: HttpError) => err.status === 429 && err.headers['retry-after'] === '1');
  first();
  (await second)();
  assert.deepEqual(order, ['second']);
  assert.equal(limiter.active, 0);

  const quick = createLimiter({ maxConcurrent: 1, maxQueued: 5, maxWaitMs: 1 });
  const held = await quick.acquire();
  await assert.rejects(quick.acquire(), (err: HttpError) => err.status === 429);
  held();
  assert.equal(quick.queued, 0);
});

function request(body: string | Buffer, headers: Record<string, string> = {}): IncomingMessage {
  const stream = Readable.from([Buffer.from(body)]) as unknown as IncomingMessage;
  stream.headers = { 'content-type': 'application/json', ...headers };
  return stream;
}

test('body: JSON parsed; too large -> 413 (declared or streamed); invalid JSON -> 400 without a stack', async () => {
  assert.deepEqual(await readJson(request('{"a":1}'), 100), { a: 1 });
  await assert.rejects(
    readJson(request('{"a":1}', { 'content-length': '1000' }), 100),
    (e: HttpError) => e.status === 413,
  );
  await assert.rejects(readJson(request(`{"a":"${'x'.repeat(200)}"}`), 100), (e: HttpError) => e.status === 413);
  await assert.rejects(
    readJson(request('{"a":'), 100),
    (e: HttpError) => e.status === 400 && e.param === 'body' && !/\n\s+at /.test(e.message),
  );
  await assert.rejects(readJson(request(Buffer.from([0x7b, 0xff, 0x7d])), 100), (e: HttpError) => e.status === 400);
  await assert.rejects(
    readJson(request('a=1', { 'content-type': 'application/x-www-form-urlencoded' }), 100),
    (e: HttpError) => e.param === 'content-type',
  );
});

// After a provider rejects the server's stored key (401), the next request was refused with "no provider … has a
// usable key; add one for groq" — as if no key were stored. It now says the key was rejected and when it is tried
// again, as chat does, with a Retry-After.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { rawRequest, startServe, type Served } from '../helpers/serve.ts';

describe('serve after a rejected key', () => {
  let s: Served;
  before(async () => {
    s = await startServe({ keys: ['groq'] });
  });
  after(async () => {
    assert.equal(await s.stop(), 0);
  });

  const post = () =>
    rawRequest(s.url, {
      method: 'POST',
      path: '/v1/chat/completions',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${s.key}` },
      body: JSON.stringify({ model: 'llama-3.1-8b-instant', messages: [{ role: 'user', content: 'hi' }] }),
    });

  test('the 503 after a 401 says the key was rejected and when it is retried, not "add one"', async () => {
    s.fake.script({ fault: 'unauthorized' });
    const first = await post();
    assert.ok(first.status >= 400, first.body);
    const second = await post();
    assert.equal(second.status, 503, second.body);
    const message: string = JSON.parse(second.body).error.message;
    assert.match(message, /rejected its key/);
    assert.match(message, /retried after \d\d:\d\d:\d\d UTC/);
    assert.doesNotMatch(message, /has a usable key; add one/);
    assert.ok(Number(second.headers['retry-after']) > 0, JSON.stringify(second.headers));
  });
});

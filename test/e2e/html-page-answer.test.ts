// A 200 `text/html` answer (issue 21, point 7): a captive portal or a proxy's login page answers in the provider's
// place, with status 200. It was read as an event stream and reported as "stream ended without a finish_reason". It is
// now its own error, said in words, and treated like a server failure: another provider may well be reachable, so
// the route falls back; with nothing else to try, chat exits 1 (as for other upstream failures) and serve answers
// 502. The page below is our own, shaped like the login pages hotel and airport networks serve.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Step } from '../fake-upstream/types.ts';
import { ChatE2E, LLAMA, QWEN } from '../helpers/chat-e2e.ts';
import { rawRequest, startServe, type Served } from '../helpers/serve.ts';

const PAGE =
  '<!DOCTYPE html>\n<html><head><title>Wi-Fi login</title></head><body><form>Accept terms</form></body></html>\n';
const PORTAL: Step = { status: 200, rawBody: PAGE, headers: { 'content-type': 'text/html; charset=utf-8' } };
/** Some portals send no type at all, or the wrong one: the page is known by its first bytes too. */
const UNTYPED_PORTAL: Step = { status: 200, rawBody: `\n  ${PAGE}`, headers: { 'content-type': 'text/plain' } };
const WORDS = /the provider answered with an HTML page \(a captive portal or proxy login\?\)/;

const e2e = new ChatE2E();
after(() => e2e.close());

test('chat: an HTML page from the first provider falls back to the next, saying why', async () => {
  const s = await e2e.scenario({ keys: ['siliconflow', 'groq'], steps: [PORTAL, PORTAL] });
  const r = await s.run(['chat', '--json', 'hi']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.text, 'Hello, world');
  assert.equal(out.provider, 'groq');
  assert.deepEqual(s.models(), [QWEN, QWEN, LLAMA]);
  assert.equal(out.fallbacks.length, 1);
  assert.match(out.fallbacks[0].reason, WORDS);
  assert.equal(out.fallbacks[0].code, 'protocol');
});

for (const [label, step] of [
  ['text/html', PORTAL],
  ['an HTML body sent as text/plain', UNTYPED_PORTAL],
] as const) {
  test(`chat: ${label} from the only provider is exit 1 with the words, not "no finish_reason"`, async () => {
    const s = await e2e.scenario({ keys: ['groq'], steps: [step, step] });
    const r = await s.run(['chat', '-m', `groq:${LLAMA}`, 'hi']);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, WORDS);
    assert.doesNotMatch(r.stderr, /finish_reason/);
  });
}

describe('serve', () => {
  let s: Served;
  before(async () => {
    s = await startServe({ keys: ['groq'] });
  });
  after(async () => {
    assert.equal(await s.stop(), 0);
  });

  test('an HTML page upstream is a 502 naming it', async () => {
    s.fake.script(PORTAL, PORTAL);
    const r = await rawRequest(s.url, {
      method: 'POST',
      path: '/v1/chat/completions',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${s.key}` },
      body: JSON.stringify({ model: LLAMA, messages: [{ role: 'user', content: 'hi' }] }),
    });
    assert.equal(r.status, 502, r.body);
    assert.match(JSON.parse(r.body).error.message, WORDS);
  });
});

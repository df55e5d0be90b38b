// The request log is printed on the operator's terminal, and much of it comes from outside: a client's field name
// or model id quoted in an error, an upstream's error message. Escape sequences in them must not reach the terminal
// (clear the screen, retitle the window, reorder a line); they are shown named, as <U+001B>.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { rawRequest, startServe, type Served } from '../helpers/serve.ts';

const HOSTILE = '\u001b[2J\u001b]0;pwned\u0007x\u202e';

async function until(check: () => boolean, what: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('serve request log with hostile text', () => {
  let s: Served;
  before(async () => {
    s = await startServe({ keys: ['groq'] });
  });
  after(async () => {
    assert.equal(await s.stop(), 0);
  });

  const post = (body: unknown) =>
    rawRequest(s.url, {
      method: 'POST',
      path: '/v1/chat/completions',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${s.key}` },
      body: JSON.stringify(body),
    });

  const logLines = () =>
    s
      .stdout()
      .split('\n')
      .filter((l) => / POST /.test(l));

  function assertNoEscapes(line: string) {
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(
      line,
      /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/,
      `raw control characters in ${JSON.stringify(line)}`,
    );
  }

  test('escape sequences in a client field name are named in the log line, never printed raw', async () => {
    const before = logLines().length;
    const r = await post({ model: 'llama', messages: [{ role: 'user', content: 'hi' }], [HOSTILE]: 1 });
    assert.equal(r.status, 400);
    await until(() => logLines().length > before, 'the log line');
    const line = logLines().at(-1)!;
    assertNoEscapes(line);
    assert.match(line, /<U\+001B>\[2J<U\+001B>\]0;pwned<U\+0007>x<U\+202E>/);
  });

  test('escape sequences in a client model id are named in the log line', async () => {
    const before = logLines().length;
    const r = await post({ model: `nope${HOSTILE}`, messages: [{ role: 'user', content: 'hi' }] });
    assert.ok(r.status >= 400, String(r.status));
    await until(() => logLines().length > before, 'the log line');
    assertNoEscapes(logLines().at(-1)!);
    assert.match(logLines().at(-1)!, /<U\+001B>/);
  });

  test("escape sequences in an upstream's error message are named in the log line", async () => {
    s.fake.script({ fault: 'bad_request', error: { message: `bad thing ${HOSTILE}` } });
    const before = logLines().length;
    const r = await post({ model: 'llama', messages: [{ role: 'user', content: 'hi' }] });
    assert.ok(r.status >= 400, String(r.status));
    await until(() => logLines().length > before, 'the log line');
    const line = logLines().at(-1)!;
    assertNoEscapes(line);
    assert.match(line, /bad thing <U\+001B>\[2J/);
  });
});

// The fake upstream itself, checked with raw fetch so that its wire output does not depend on our adapters.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { startFakeUpstream, type FakeUpstream, type Step } from '../fake-upstream/index.ts';

let fake: FakeUpstream;
before(async () => (fake = await startFakeUpstream()));
after(() => fake.close());

const post = (path: string, body: object, headers: Record<string, string> = {}) =>
  fetch(`${fake.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
const openai = (step: Step | undefined, body: object = {}) => {
  if (step) fake.script(step);
  return post('/v1/chat/completions', {
    model: 'm',
    messages: [],
    stream: true,
    stream_options: { include_usage: true },
    ...body,
  });
};
const anthropic = (step: Step | undefined, body: object = {}) => {
  if (step) fake.script(step);
  return post('/v1/messages', { model: 'c', max_tokens: 5, messages: [], stream: true, ...body });
};
/** SSE `data:` payloads (LF framing only). */
const dataLines = (text: string) =>
  text
    .split('\n')
    .filter((l) => l.startsWith('data: '))
    .map((l) => l.slice(6));

describe('fake upstream (raw HTTP)', () => {
  test('OpenAI stream: role chunk, deltas, finish, usage chunk, [DONE]', async () => {
    const text = await (await openai({ text: ['a', 'b'], usage: { input: 4, output: 2 } })).text();
    const data = dataLines(text);
    assert.equal(data.at(-1), '[DONE]');
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d));
    assert.deepEqual(
      chunks.flatMap((c) => (c.choices[0]?.delta?.content ? [c.choices[0].delta.content] : [])),
      ['a', 'b'],
    );
    assert.equal(chunks.at(-2).choices[0].finish_reason, 'stop');
    assert.deepEqual(chunks.at(-1).choices, []);
    assert.deepEqual(chunks.at(-1).usage, { prompt_tokens: 4, completion_tokens: 2, total_tokens: 6 });
  });

  test('OpenAI stream without include_usage carries no usage numbers', async () => {
    const text = await (await openai({}, { stream_options: undefined })).text();
    assert.ok(!text.includes('prompt_tokens'));
  });

  test('JSON answers when stream is false', async () => {
    const o = await (await openai({ text: ['x', 'y'] }, { stream: false })).json();
    assert.equal(o.choices[0].message.content, 'xy');
    const a = await (await anthropic({ text: ['x', 'y'], cumulativeOutput: [1, 9] }, { stream: false })).json();
    assert.deepEqual(a.content, [{ type: 'text', text: 'xy' }]);
    assert.equal(a.usage.output_tokens, 9);
  });

  test('Anthropic stream: cumulative message_deltas, then message_stop', async () => {
    const text = await (await anthropic({ usage: { input: 8, output: 0 }, cumulativeOutput: [2, 5, 9] })).text();
    const events = dataLines(text).map((d) => JSON.parse(d));
    assert.deepEqual(events.map((e) => e.type).slice(0, 3), ['message_start', 'content_block_start', 'ping']);
    assert.equal(events[0].message.usage.input_tokens, 8);
    assert.deepEqual(
      events.filter((e) => e.type === 'message_delta').map((e) => e.usage.output_tokens),
      [2, 5, 9],
    );
    assert.equal(events.at(-1).type, 'message_stop');
  });

  test('error shapes per wire format, with headers', async () => {
    const r1 = await openai({ fault: 'rate_limit', headers: { 'retry-after-ms': '1500' } });
    assert.equal(r1.status, 429);
    assert.equal(r1.headers.get('retry-after'), '2');
    assert.equal(r1.headers.get('retry-after-ms'), '1500');
    assert.equal((await r1.json()).error.code, 'rate_limit_exceeded');
    const r2 = await openai({ fault: 'context_length' });
    assert.deepEqual(Object.keys((await r2.json()).error).sort(), ['code', 'message', 'param', 'type']);
    const r3 = await anthropic({ fault: 'overloaded' });
    assert.equal(r3.status, 529);
    assert.deepEqual(await r3.json(), { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    const r4 = await openai({ status: 418, rawBody: 'teapot' });
    assert.equal(r4.status, 418);
    assert.equal(await r4.text(), 'teapot');
  });

  test('error events inside a 200 stream', async () => {
    const o = await (await openai({ streamError: { afterChunks: 1 } })).text();
    assert.equal(JSON.parse(dataLines(o).at(-1)!).error.type, 'server_error');
    const a = await (await anthropic({ streamError: { afterChunks: 0 } })).text();
    assert.match(a, /event: error\ndata: \{"type":"error","error":\{"type":"overloaded_error"/);
    assert.ok(!a.includes('content_block_delta'));
  });

  test('framing quirks: CRLF, comments, no final blank line, byte-per-write', async () => {
    const res = await anthropic({ crlf: true, comments: true, noTrailingBlank: true, bytewise: true, text: ['é'] });
    let reads = 0;
    let text = '';
    const decoder = new TextDecoder();
    for await (const chunk of res.body!) {
      reads++;
      text += decoder.decode(chunk, { stream: true });
    }
    assert.ok(reads > 50, `only ${reads} reads`);
    assert.ok(text.includes('\r\n: keep-alive\r\n'));
    assert.ok(!/[^\r]\n/.test(text), 'bare LF found');
    assert.ok(text.endsWith('data: {"type":"message_stop"}\r\n'));
    assert.ok(text.includes('"text":"é"'));
  });

  test('cut after N chunks destroys the socket; noTerminator ends cleanly without it', async () => {
    const res = await openai({ cutAfter: 1 });
    await assert.rejects(res.text());
    const clean = await (await openai({ noTerminator: true })).text();
    assert.ok(!clean.includes('[DONE]') && clean.includes('"finish_reason":"stop"'));
    const a = await (await anthropic({ noTerminator: true })).text();
    assert.ok(!a.includes('message_stop') && a.includes('message_delta'));
    const early = await (await openai({ endAfter: 1 })).text();
    assert.ok(
      early.includes('"content":"Hello"') &&
        !early.includes('"content":", "') &&
        !early.includes('finish_reason":"stop"') &&
        !early.includes('[DONE]'),
    );
    const earlyA = await (await anthropic({ endAfter: 1 })).text();
    assert.ok(
      earlyA.includes('"text":"Hello"') && !earlyA.includes('message_delta') && !earlyA.includes('message_stop'),
    );
  });

  test('stallMs delays headers; stall hangs until the client gives up', async () => {
    const t0 = performance.now();
    await (await openai({ stallMs: 200 })).text();
    assert.ok(performance.now() - t0 >= 190);
    fake.script({ stall: true });
    const hung = post('/v1/chat/completions', { model: 'm' }).then(() => 'answered');
    const winner = await Promise.race([hung, new Promise((r) => setTimeout(() => r('still waiting'), 300))]);
    assert.equal(winner, 'still waiting');
    hung.catch(() => {}); // closing the fake at the end drops it
  });

  test('records method, path, model, auth headers, body and time; queue order; default answer when empty', async () => {
    fake.requests.length = 0;
    fake.script({ text: ['one'] }, { text: ['two'] });
    assert.equal(fake.pending(), 2);
    const texts = [];
    for (let i = 0; i < 3; i++) {
      const r = await post(
        '/v1/chat/completions',
        { model: `m${i}`, stream: false },
        { authorization: 'Bearer k1', 'x-api-key': 'k2' },
      );
      texts.push((await r.json()).choices[0].message.content);
    }
    assert.deepEqual(texts, ['one', 'two', 'Hello, world']);
    assert.equal(fake.requests.length, 3);
    const r = fake.requests[0]!;
    assert.deepEqual(
      [r.method, r.path, r.format, r.model, r.stream, r.authorization, r.xApiKey],
      ['POST', '/v1/chat/completions', 'openai', 'm0', false, 'Bearer k1', 'k2'],
    );
    assert.deepEqual(r.body, { model: 'm0', stream: false });
    assert.ok(Math.abs(r.time - Date.now()) < 5000);
  });

  test('unknown paths are 404 and consume no step', async () => {
    fake.script({ text: ['kept'] });
    assert.equal((await post('/v1/v1/messages', {})).status, 404);
    assert.equal(fake.pending(), 1);
    assert.equal((await (await openai(undefined, { stream: false })).json()).choices[0].message.content, 'kept');
  });
});

test('standalone process: prints its port, takes a script from the env, answers, records, stops on SIGTERM', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/fake-upstream/main.ts'], {
    env: {
      ...process.env,
      FAKE_UPSTREAM_SCRIPT: JSON.stringify([{ fault: 'unauthorized' }, { text: ['from', ' env'] }]),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
    const info = JSON.parse(line);
    assert.match(info.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(info.openaiBaseUrl, `${info.url}/v1`);
    const ask = () =>
      fetch(`${info.openaiBaseUrl}/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'x' }) });
    assert.equal((await ask()).status, 401);
    assert.equal((await (await ask()).json()).choices[0].message.content, 'from env');
    await fetch(`${info.url}/__fake/script`, { method: 'POST', body: JSON.stringify([{ fault: 'server_error' }]) });
    assert.equal((await ask()).status, 500);
    const recorded = await (await fetch(`${info.url}/__fake/requests`)).json();
    assert.equal(recorded.length, 3);
  } finally {
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    assert.equal(code, 0);
  }
});

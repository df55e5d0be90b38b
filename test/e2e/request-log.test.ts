// `llm-gateway log`: every chat request is logged — answered after a fallback, failed everywhere, in a conversation
// — and `--follow` prints a request another process makes, polled with a knob (--poll-ms) instead of real seconds.
// The real binary against the fake upstream.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { spawnBin } from '../helpers/cli.ts';
import { ChatE2E, LLAMA, QWEN } from '../helpers/chat-e2e.ts';

const e2e = new ChatE2E();
after(() => e2e.close());

const lines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

test('log: a chat answered after a fallback, and one that failed everywhere, each one line with who, tokens and why', async () => {
  const s = await e2e.scenario({
    keys: ['siliconflow', 'groq'],
    steps: [{ fault: 'server_error' }, { fault: 'server_error' }],
  });
  const ok = await s.run(['chat', 'hi']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.deepEqual(s.models(), [QWEN, QWEN, LLAMA]);
  s.fake.requests.length = 0;
  const steps = Array.from({ length: 4 }, () => ({ fault: 'unavailable' as const }));
  const failing = await e2e.scenario({ keys: ['siliconflow', 'groq'], steps });
  const failed = await failing.run(['chat', 'hi']);
  assert.equal(failed.code, 1, failed.stderr);

  const log = await s.run(['log', '--json']);
  assert.equal(log.code, 0, log.stderr);
  const [entry, ...rest] = lines(log.stdout);
  assert.equal(rest.length, 0);
  assert.equal(entry.origin, 'chat');
  assert.equal(entry.model, 'llama-3.1-8b-instant');
  assert.equal(entry.provider, 'groq');
  assert.equal(entry.billing, 'free-tier');
  assert.deepEqual([entry.inputTokens, entry.outputTokens], [11, 3]);
  assert.equal(entry.outcome, 'ok');
  assert.deepEqual(entry.fallbacks, [{ model: 'Qwen2.5-7B-Instruct', provider: 'siliconflow', code: 'server' }]);
  assert.equal(entry.time, '2026-11-26T04:00:00.000Z');
  assert.ok(entry.ms >= 0);
  // Its usage row is the same request.
  assert.equal(s.usageRows().length, 1);

  const failedLog = lines((await failing.run(['log', '--json'])).stdout);
  assert.equal(failedLog.length, 1);
  assert.equal(failedLog[0].outcome, 'failed');
  assert.equal(failedLog[0].error, 'all_failed');
  assert.equal(failedLog[0].fallbacks.length, 2);
  assert.deepEqual([failedLog[0].inputTokens, failedLog[0].outputTokens], [0, 0]);
  // usage counts the failure and the one fallback it took (from the first candidate to the second, which failed too).
  const usage = JSON.parse((await failing.run(['usage', '--json'])).stdout);
  assert.equal(usage.total.failures, 1);
  assert.equal(usage.total.fallbacks, 1);
  assert.equal(usage.total.calls, 0);

  const text = await s.run(['log']);
  assert.match(
    text.stdout,
    /^2026-11-26 04:00:00 {2}chat {2}llama-3\.1-8b-instant \(groq\) {2}11\+3 tokens {2}[\d,]+ ms {2}ok {2}after Qwen2\.5-7B-Instruct \(siliconflow\): server {2}cid \w+$/m,
  );
});

test('log --cid: only that conversation; -n: the newest n; bad values exit 2', async () => {
  const s = await e2e.scenario({ keys: ['groq'] });
  assert.equal((await s.run(['chat', '--cid', 'notes', 'one'])).code, 0);
  assert.equal((await s.run(['chat', 'two'])).code, 0);
  assert.equal((await s.run(['chat', '--cid', 'notes', 'three'])).code, 0);
  const notes = lines((await s.run(['log', '--json', '--cid', 'notes'])).stdout);
  assert.deepEqual(
    notes.map((e) => e.conversationId),
    ['notes', 'notes'],
  );
  const all = lines((await s.run(['log', '--json'])).stdout);
  assert.equal(all.length, 3);
  const newest = lines((await s.run(['log', '--json', '-n', '1'])).stdout);
  assert.deepEqual(newest, [all[2]]);
  for (const args of [
    ['-n', '0'],
    ['--cid', ' '],
    ['--poll-ms', 'soon'],
  ]) {
    const r = await s.run(['log', ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /at .*\.js:\d+/);
  }
});

test('log --follow prints a request made by another process while it runs, polling every 20 ms', async () => {
  const s = await e2e.scenario({ keys: ['groq'] });
  assert.equal((await s.run(['chat', 'before'])).code, 0);
  const follower = spawnBin(['log', '--follow', '--json', '--poll-ms', '20'], s.env, ['ignore', 'pipe', 'pipe']);
  let out = '';
  follower.stdout!.setEncoding('utf8').on('data', (d) => (out += d));
  const seen = async (count: number) => {
    const deadline = Date.now() + 60_000;
    while (lines(out).length < count) {
      assert.ok(Date.now() < deadline, `log --follow showed ${out}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  try {
    await seen(1);
    const chat = await s.run(['chat', '--cid', 'later', 'after']);
    assert.equal(chat.code, 0, chat.stderr);
    await seen(2);
    assert.equal(lines(out)[1].conversationId, 'later');
  } finally {
    follower.kill('SIGINT');
  }
  const code = await new Promise((resolve) => follower.on('close', resolve));
  assert.equal(code, 0);
});

test('no key canary in any output or file', () => e2e.assertNoCanaries());

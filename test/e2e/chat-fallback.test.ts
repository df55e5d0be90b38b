// `llm-gateway chat` when providers fail, end to end: the real binary against the fake upstream with scripted faults.
// Before the first token a failure moves on to the next candidate (and says so on stderr); after it, the partial
// answer stands, its usage is recorded, and the run fails without a second answer. With the three free tiers keyed,
// the order on 2026-11-26 is Qwen2.5-7B-Instruct (siliconflow, daily), llama-3.1-8b-instant (groq), moonshot-v1-8k.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ChatE2E, closingTokens, LLAMA, MOONSHOT, QWEN } from '../helpers/chat-e2e.ts';

const e2e = new ChatE2E();
after(() => e2e.close());

const FELL_BACK_FROM_QWEN = /^ {3}fell back from Qwen2\.5-7B-Instruct \(siliconflow\): (.+)$/m;

test('429 with a long Retry-After on the first candidate: no wait, the second answers; it is skipped for just that long', async () => {
  const s = await e2e.scenario({
    keys: ['siliconflow', 'groq'],
    steps: [{ fault: 'rate_limit', headers: { 'retry-after': '120' } }],
  });
  const r = await s.run(['chat', 'hi']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'Hello, world\n');
  assert.match(r.stderr, /^── llama-3\.1-8b-instant · groq · 11 in \+ 3 out tokens/m);
  assert.match(r.stderr.match(FELL_BACK_FROM_QWEN)?.[1] ?? '', /HTTP 429: Rate limit reached/);
  assert.deepEqual(s.models(), [QWEN, LLAMA]);
  // Bounds far from both sides: a loaded machine takes seconds to start the CLI; waiting out Retry-After takes 120 s.
  assert.ok(r.ms < 60_000, `waited ${Math.round(r.ms)} ms for a 120 s Retry-After instead of moving on`);

  // Every process honours the wait: a minute later Qwen is still skipped, past the two minutes it is asked again
  // (and not only after its tier's next reset, the next day).
  s.fake.requests.length = 0;
  const during = await s.run(['chat', 'hi'], { env: { LLM_GATEWAY_NOW: '2026-11-26T04:01:00Z' } });
  assert.equal(during.code, 0, during.stderr);
  assert.deepEqual(s.models(), [LLAMA]);
  s.fake.requests.length = 0;
  const later = await s.run(['chat', 'hi'], { env: { LLM_GATEWAY_NOW: '2026-11-26T04:02:05Z' } });
  assert.equal(later.code, 0, later.stderr);
  assert.deepEqual(s.models(), [QWEN]);
});

test('500 twice (the one retry of the same model fails too): the second candidate answers', async () => {
  const s = await e2e.scenario({
    keys: ['siliconflow', 'groq'],
    steps: [{ fault: 'server_error' }, { fault: 'server_error' }],
  });
  const r = await s.run(['chat', '--json', 'hi']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(s.models(), [QWEN, QWEN, LLAMA]);
  const out = JSON.parse(r.stdout);
  assert.equal(out.text, 'Hello, world');
  assert.equal(out.provider, 'groq');
  assert.equal(out.fallbacks.length, 1);
  assert.deepEqual([out.fallbacks[0].model, out.fallbacks[0].provider], ['Qwen2.5-7B-Instruct', 'siliconflow']);
  assert.match(out.fallbacks[0].reason, /HTTP 500/);
  assert.equal(out.fallbacks[0].code, 'server');
  assert.match(r.stderr.match(FELL_BACK_FROM_QWEN)?.[1] ?? '', /HTTP 500/);
});

test('chat --json: each fallback carries its code next to the prose, one per failure class', async () => {
  // Qwen's key is refused (auth), llama's free tier is used up upstream (quota), moonshot answers.
  const s = await e2e.scenario({
    keys: ['siliconflow', 'groq', 'moonshot'],
    steps: [{ fault: 'unauthorized' }, { fault: 'insufficient_quota' }],
  });
  const r = await s.run(['chat', '--json', 'hi']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(s.models(), [QWEN, LLAMA, MOONSHOT]);
  const out = JSON.parse(r.stdout);
  assert.equal(out.provider, 'moonshot');
  assert.deepEqual(
    out.fallbacks.map((f: Record<string, unknown>) => Object.keys(f)),
    [
      ['model', 'provider', 'reason', 'code'],
      ['model', 'provider', 'reason', 'code'],
    ],
    'the documented shape, no more',
  );
  assert.deepEqual(
    out.fallbacks.map((f: { model: string; code: string }) => [f.model, f.code]),
    [
      ['Qwen2.5-7B-Instruct', 'auth'],
      ['llama-3.1-8b-instant', 'quota'],
    ],
  );
  assert.match(out.fallbacks[0].reason, /HTTP 401/);
  assert.match(out.fallbacks[1].reason, /HTTP 429: You exceeded your current quota/);
});

test('500 once: the retry of the same model answers, with no fallback', async () => {
  const s = await e2e.scenario({ keys: ['siliconflow', 'groq'], steps: [{ fault: 'bad_gateway' }] });
  const r = await s.run(['chat', 'hi']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'Hello, world\n');
  assert.deepEqual(s.models(), [QWEN, QWEN]);
  assert.doesNotMatch(r.stderr, /fell back/);
});

test('a provider silent before its headers (--timeout 5), twice: the second candidate answers', async () => {
  const s = await e2e.scenario({ keys: ['siliconflow', 'groq'], steps: [{ stall: true }, { stall: true }] });
  const r = await s.run(['chat', '--timeout', '5', 'hi']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'Hello, world\n');
  assert.deepEqual(s.models(), [QWEN, QWEN, LLAMA]);
  assert.match(r.stderr.match(FELL_BACK_FROM_QWEN)?.[1] ?? '', /no response within 5000 ms/);
  // 5 s, not 1: on a loaded machine a request can take over a second to reach the fake, and one that never got
  // there leaves its scripted stall to the next candidate. The default timeout (30 s) twice would take 60 s.
  assert.ok(r.ms < 45_000, `took ${Math.round(r.ms)} ms`);
});

test('a quota-type 429 marks the tier exhausted until its reset: the next process does not call it', async () => {
  const s = await e2e.scenario({ keys: ['siliconflow', 'groq'], steps: [{ fault: 'insufficient_quota' }] });
  const first = await s.run(['chat', 'hi']);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.stdout, 'Hello, world\n');
  assert.match(first.stderr.match(FELL_BACK_FROM_QWEN)?.[1] ?? '', /HTTP 429: You exceeded your current quota/);
  assert.deepEqual(s.models(), [QWEN, LLAMA], 'a quota wall is not retried');

  s.fake.requests.length = 0;
  const next = await s.run(['chat', 'hi again']);
  assert.equal(next.code, 0, next.stderr);
  assert.deepEqual(s.models(), [LLAMA], 'the exhausted deployment is skipped without a call');
  assert.doesNotMatch(next.stderr, /fell back/);

  const qwen = (await s.quota()).get('siliconflow:Qwen2.5-7B-Instruct')!;
  assert.equal(qwen.state, 'exhausted');
  assert.equal(qwen.remaining, 0);
  assert.equal(qwen.nextReset, '2026-11-27T00:00:00.000Z');
  const explain = await s.run(['chat', '--explain', 'hi']);
  assert.match(explain.stdout, /- Qwen2\.5-7B-Instruct \(siliconflow\): exhausted/);

  // After the daily reset it is first again.
  s.fake.requests.length = 0;
  const tomorrow = await s.run(['chat', 'hi'], { env: { LLM_GATEWAY_NOW: '2026-11-27T00:00:05Z' } });
  assert.equal(tomorrow.code, 0, tomorrow.stderr);
  assert.deepEqual(s.models(), [QWEN]);
});

test('every candidate out of quota: exit 5 naming each; then the next run exits 5 without calling anyone', async () => {
  const quotaWall = { fault: 'insufficient_quota' as const };
  const s = await e2e.scenario({ steps: [quotaWall, quotaWall, quotaWall] });
  const r = await s.run(['chat', 'hi']);
  assert.equal(r.code, 5, r.stderr);
  assert.equal(r.stdout, '');
  assert.deepEqual(s.models(), [QWEN, LLAMA, MOONSHOT]);
  for (const who of ['Qwen2.5-7B-Instruct (siliconflow)', 'llama-3.1-8b-instant (groq)', 'moonshot-v1-8k (moonshot)']) {
    assert.ok(r.stderr.includes(`${who}: `), `${who} not named in:\n${r.stderr}`);
  }

  s.fake.requests.length = 0;
  const again = await s.run(['chat', 'hi']);
  assert.equal(again.code, 5, again.stderr);
  assert.equal(s.fake.requests.length, 0);
  assert.match(again.stderr, /Qwen2\.5-7B-Instruct \(siliconflow\): .*(quota|exhausted)/i);
  assert.match(again.stderr, /hint: .*--allow-paid/);
});

test('a cut mid-stream: the partial text on stdout, exit 1, estimated usage recorded, no second answer', async () => {
  const s = await e2e.scenario({ steps: [{ text: ['Once', ' upon', ' a time', ' there was'], cutAfter: 2 }] });
  const r = await s.run(['chat', 'tell me a story']);
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stdout, 'Once upon\n');
  assert.match(r.stderr, /error: the answer from Qwen2\.5-7B-Instruct \(siliconflow\) was cut off/);
  assert.equal(s.fake.requests.length, 1, 'nobody else is asked once text was shown');
  assert.doesNotMatch(r.stderr, /fell back/);

  const shown = closingTokens(r.stderr);
  assert.equal(shown.estimated, true);
  const rows = s.usageRows();
  assert.equal(rows.length, 1);
  assert.deepEqual(
    { ...rows[0] },
    {
      provider: 'siliconflow',
      model: 'Qwen2.5-7B-Instruct',
      input_tokens: shown.input,
      output_tokens: shown.output,
      estimated: 1,
      outcome: 'cut',
      billing: 'free-tier',
    },
  );
  assert.ok(shown.input > 0 && shown.output > 0);
  const qwen = (await s.quota()).get('siliconflow:Qwen2.5-7B-Instruct')!;
  assert.deepEqual([qwen.used, qwen.reserved], [shown.input + shown.output, 0]);
  assert.match(
    r.stderr,
    new RegExp(`free tier: ${(500_000 - qwen.used).toLocaleString('en-US')} left`),
    'the tokens left after the cut',
  );
});

test('a stream that ends before its finish after text: the text stands, exit 1, nobody else asked', async () => {
  const s = await e2e.scenario({ steps: [{ text: ['almost', ' done', ' and more'], endAfter: 2 }] });
  const r = await s.run(['chat', '--json', 'hi']);
  assert.equal(r.code, 1, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.text, 'almost done');
  assert.equal(out.usageEstimated, true);
  assert.match(out.error, /ended without a finish_reason/);
  assert.equal(s.fake.requests.length, 1);
  assert.equal(s.usageRows()[0]!.outcome, 'cut');
});

// Issue 9.2: the provider's 1,500 tokens used to be replaced by an estimate of 11 and the answer called cut.
for (const wire of ['openai', 'anthropic'] as const) {
  const terminator = wire === 'openai' ? '[DONE]' : 'message_stop';
  test(`${wire}: a stream that ends without ${terminator} after its finish and usage is a complete answer, its usage settled`, async () => {
    const steps = [{ text: ['A whole', ' answer.'], usage: { input: 1_000, output: 500 }, noTerminator: true }];
    const s = await e2e.scenario(wire === 'openai' ? { steps } : { keys: ['anthropic'], steps });
    const args =
      wire === 'openai' ? ['chat', '--json', 'hi'] : ['chat', '--json', '-m', 'claude-haiku-5-5', '--allow-paid', 'hi'];
    const r = await s.run(args);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.text, 'A whole answer.');
    assert.equal(out.finishReason, 'stop');
    assert.deepEqual(
      [out.usage, out.usageEstimated, out.error],
      [{ inputTokens: 1_000, outputTokens: 500 }, false, undefined],
    );
    assert.equal(s.fake.requests.length, 1);
    const rows = s.usageRows();
    assert.deepEqual(
      rows.map((u) => [u.input_tokens, u.output_tokens, u.estimated, u.outcome]),
      [[1_000, 500, 0, 'ok']],
    );
  });
}

test('a stream that ends before any text or finish is a failure: retried once, then the next candidate answers', async () => {
  const s = await e2e.scenario({ steps: [{ endAfter: 0 }, { endAfter: 0 }] });
  const r = await s.run(['chat', 'hi']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'Hello, world\n');
  assert.deepEqual(s.models(), [QWEN, QWEN, LLAMA]);
  assert.match(r.stderr.match(FELL_BACK_FROM_QWEN)?.[1] ?? '', /ended without a finish_reason/);
  assert.deepEqual(
    s.usageRows().map((u) => [u.model, u.outcome]),
    [['llama-3.1-8b-instant', 'ok']],
    'nothing billed for the empty streams',
  );
});

test('Anthropic: a stream that ends before its stop_reason after text is a cut too', async () => {
  const s = await e2e.scenario({
    keys: ['anthropic'],
    steps: [{ text: ['Half', ' an answer', ' and more'], endAfter: 2 }],
  });
  const r = await s.run(['chat', '-m', 'claude-haiku-5-5', '--allow-paid', 'hi']);
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stdout, 'Half an answer\n');
  assert.match(r.stderr, /stop_reason/);
  assert.equal(s.fake.requests.length, 1);
});

test('Ctrl-C (SIGINT) mid-answer: the partial text stays, exit 130, its usage recorded', async () => {
  const words = Array.from({ length: 40 }, (_, i) => `w${i} `);
  const s = await e2e.scenario({ keys: ['groq'], steps: [{ text: words, chunkDelayMs: 100 }] });
  const r = await s.run(['chat', 'a long story'], { interruptOn: /w2 / });
  assert.equal(r.code, 130, r.stderr);
  assert.match(r.stdout, /^w0 w1 w2 (w\d+ )*\n$/);
  assert.ok(!r.stdout.includes('w39'));
  assert.match(r.stderr, /error: interrupted/);
  assert.deepEqual(
    s.usageRows().map((u) => [u.model, u.outcome, u.estimated]),
    [['llama-3.1-8b-instant', 'aborted', 1]],
  );
  assert.equal(s.fake.requests.length, 1);
});

test('no key canary in any output or in any file of any config directory', () => {
  e2e.assertNoCanaries();
});

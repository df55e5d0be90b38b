// A 401 from where a redirect led (issue 9.9 a): the base URL answered 307 to another origin, whose 401 was taken
// for the provider rejecting our key (exit 4, the key set aside for 10 minutes). The key never goes to another
// origin, so that 401 says nothing about it: it is an endpoint problem, reported as one, and the key stays usable.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startFakeUpstream, type FakeUpstream } from './fake-upstream/index.ts';
import { ChatE2E, KEYS, LLAMA } from './helpers/chat-e2e.ts';

const e2e = new ChatE2E();
const others: FakeUpstream[] = [];
after(async () => {
  await e2e.close();
  await Promise.all(others.map((o) => o.close()));
});

test('a 401 from a cross-origin redirect target was blamed on the key: it is a connection problem, and no key went there', async () => {
  const elsewhere = await startFakeUpstream({ steps: [{ fault: 'unauthorized' }, { fault: 'unauthorized' }] });
  others.push(elsewhere);
  const moved = { status: 307, headers: { location: `${elsewhere.openaiBaseUrl}/chat/completions` } };
  const s = await e2e.scenario({ keys: ['groq'], steps: [moved, moved, { text: ['fine'] }] });

  const run = await s.run(['chat', '-m', `groq:${LLAMA}`, 'hello']);
  assert.equal(run.code, 1, `exit ${run.code}: ${run.stderr}`);
  assert.match(run.stderr, /redirected to another origin \(http:\/\/127\.0\.0\.1:\d+\), which answered 401/);
  assert.doesNotMatch(run.stderr, /rejected the key|GROQ_API_KEY/);
  assert.ok(elsewhere.requests.length > 0, 'the redirect was followed');
  for (const r of elsewhere.requests) {
    assert.equal(r.authorization, undefined, 'the key was sent to another origin');
    assert.ok(!JSON.stringify(r.headers).includes(KEYS.groq), 'the key was sent to another origin in some header');
  }

  // The key was not set aside (a rejected key waits 10 minutes): five minutes on, with the base URL behaving, the
  // next run uses it.
  const next = await s.run(['chat', '-m', `groq:${LLAMA}`, 'again'], {
    env: { LLM_GATEWAY_NOW: '2026-11-26T04:05:00Z' },
  });
  assert.equal(next.code, 0, next.stderr);
  assert.match(next.stdout, /fine/);
});

test('no key canary in any output or file', () => {
  e2e.assertNoCanaries();
});

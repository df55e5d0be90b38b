// A redirect to another origin (issues 9.9 a and 21.10): the base URL answered 307 to another origin. Following it
// sent the prompt there (a 307 repeats the body), and that origin's 401 was taken for the provider rejecting our
// key (exit 4, the key set aside for 10 minutes). Neither the key nor the prompt goes to another origin: the
// redirect is not followed, it is reported as the endpoint problem it is, and the key stays usable.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startFakeUpstream, type FakeUpstream } from '../fake-upstream/index.ts';
import { ChatE2E, LLAMA } from '../helpers/chat-e2e.ts';

const e2e = new ChatE2E();
const others: FakeUpstream[] = [];
after(async () => {
  await e2e.close();
  await Promise.all(others.map((o) => o.close()));
});

test('a 307 to another origin is not followed: nothing reaches it, and the key is not blamed', async () => {
  const elsewhere = await startFakeUpstream({ steps: [{ fault: 'unauthorized' }, { fault: 'unauthorized' }] });
  others.push(elsewhere);
  const moved = { status: 307, headers: { location: `${elsewhere.openaiBaseUrl}/chat/completions` } };
  const s = await e2e.scenario({ keys: ['groq'], steps: [moved, moved, { text: ['fine'] }] });

  const run = await s.run(['chat', '-m', `groq:${LLAMA}`, 'hello']);
  assert.equal(run.code, 1, `exit ${run.code}: ${run.stderr}`);
  assert.match(run.stderr, /redirected to another origin \(http:\/\/127\.0\.0\.1:\d+\), not followed/);
  assert.doesNotMatch(run.stderr, /rejected the key|GROQ_API_KEY/);
  assert.equal(elsewhere.requests.length, 0, 'the prompt was sent to another origin');

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

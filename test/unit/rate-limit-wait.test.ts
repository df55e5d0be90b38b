// A short rate limit on the last candidate is waited out, not failed (issue 19, point 5): a 429 carrying only
// `x-ratelimit-reset-requests: 20s` on the pinned model makes the gateway say it waits, sleep 20 s (recorded here,
// never waited: the helper's sleep is a knob), and ask again. With someone else to ask, nobody waits; past the
// caller's patience the run fails as a rate limit — exit 5 with words that say so — never as a used-up quota.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { failureText } from '../../src/cli/common/error-text.ts';
import { exitCodeOf } from '../../src/cli/common/exit-codes.ts';
import { startFakeUpstream, type FakeUpstream } from '../fake-upstream/index.ts';
import { runDialect } from '../helpers/dialect-gateway.ts';

// The headers OpenAI documents on every response (platform.openai.com/docs/guides/rate-limits, "Rate limits in
// headers"; Groq sends the same set, console.groq.com/docs/rate-limits), the request window spent; the body names
// no window and no wait.
const RATE_LIMITED = {
  status: 429,
  headers: { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '20s' },
  rawBody:
    '{"error":{"message":"Rate limit reached for requests","type":"requests","param":null,"code":"rate_limit_exceeded"}}',
};

let fake: FakeUpstream;
before(async () => (fake = await startFakeUpstream()));
after(() => fake.close());

describe('a short rate limit on the last candidate', () => {
  test('is waited out with a wait event, then the same model answers', async () => {
    fake.clear();
    fake.script(RATE_LIMITED, {});
    const run = await runDialect(fake, { provider: 'custom', scenario: 'solo' });
    assert.equal(run.error, undefined, run.error?.message);
    assert.deepEqual(run.asked, ['m1', 'm1']);
    assert.deepEqual(run.sleeps, [20_000]);
    const waits = run.events.filter((e) => e.type === 'wait');
    assert.deepEqual(
      waits.map((w) => [w.provider, w.model, w.ms]),
      [['custom', 'm1', 20_000]],
    );
    assert.deepEqual(run.result!.fallbacks, [], 'a wait is not a fallback');
  });

  test('is not waited when another candidate can answer', async () => {
    fake.clear();
    fake.script(RATE_LIMITED, {});
    const run = await runDialect(fake, { provider: 'custom', scenario: 'all' });
    assert.deepEqual(run.asked, ['m1', 'm2']);
    assert.deepEqual(run.sleeps, []);
    assert.equal(run.result!.fallbacks[0]!.code, 'rate_limit');
  });

  test("past the caller's patience it fails as a rate limit, never as used-up quota", async () => {
    fake.clear();
    fake.script(RATE_LIMITED);
    const run = await runDialect(fake, { provider: 'custom', scenario: 'solo', request: { maxRateWaitMs: 10_000 } });
    assert.deepEqual(run.sleeps, []);
    assert.equal(run.error.failure.code, 'all_failed_rate_limit');
    assert.equal(run.error.failure.retryAfterMs, 20_000);
    assert.equal(exitCodeOf(run.error), 5);
    const text = failureText(run.error);
    assert.match(text.message, /rate-limited/);
    assert.match(text.hint ?? '', /a rate limit, not a used-up quota: it lifts in about 20 s/);
    assert.doesNotMatch(`${text.message} ${text.hint}`, /quota is used up|out of quota/);
  });

  test('still limited after the wait: one wait only, then a rate-limit failure', async () => {
    fake.clear();
    fake.script(RATE_LIMITED, RATE_LIMITED);
    const run = await runDialect(fake, { provider: 'custom', scenario: 'solo' });
    assert.deepEqual(run.asked, ['m1', 'm1']);
    assert.deepEqual(run.sleeps, [20_000]);
    assert.equal(run.error.failure.code, 'all_failed_rate_limit');
  });
});

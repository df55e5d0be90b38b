// A free tier is never overspent (issue 21, point 1): a call on a free tier is sent the answer budget its
// reservation counted, so a provider that would answer longer stops there; and the closing line's "left" is what
// the ledger holds once the call is settled, not the plan's figure minus this call alone.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ChatE2E, LLAMA, type Scenario } from '../helpers/chat-e2e.ts';

const e2e = new ChatE2E();
after(() => e2e.close());

const TIER = 5_000;
// About 300 tokens by the gateway's estimate (1 per 3 ASCII characters), as the provider counts it below.
const PROMPT = 'word '.repeat(176);
// Each answer, unbounded: 300 in + 1,500 out. A provider stops at the max_tokens it is sent.
const LONG_ANSWER = { usage: { input: 300, output: 1_500 } };

async function tierOf(tokens: number): Promise<Scenario> {
  const s = await e2e.scenario({ keys: ['groq'] });
  const set = await s.run(['quota', 'set', LLAMA, '-p', 'groq', '--tokens', String(tokens)]);
  assert.equal(set.code, 0, set.stderr);
  return s;
}

const chat = (s: Scenario) => s.run(['chat', '--no-log', '-m', `groq:${LLAMA}`, PROMPT], { timeoutMs: 300_000 });

function leftOn(stderr: string): number {
  const m = /free tier: ([\d,]+) left/.exec(stderr);
  assert.ok(m, `no closing line with the tokens left:\n${stderr}`);
  return Number(m[1]!.replace(/,/g, ''));
}

describe('a free tier is never overspent', () => {
  it('sequential calls stop at or under the tier, each closing line saying what the ledger has left', async () => {
    const s = await tierOf(TIER);
    const lefts: number[] = [];
    for (let i = 0; i < 6; i++) {
      s.fake.script(LONG_ANSWER);
      const r = await chat(s);
      if (r.code !== 0) {
        assert.equal(r.code, 5, r.stderr); // the tier has no room left for another call
        break;
      }
      const left = leftOn(r.stderr);
      const tier = (await s.quota()).get(`groq:${LLAMA}`)!;
      assert.equal(left, tier.remaining, `closing line: ${left} left; quota: ${tier.remaining}`);
      lefts.push(left);
      process.stdout.write(`# call ${i + 1}: ${r.stderr.trim().split('\n').at(-1)}\n`);
    }
    const tier = (await s.quota()).get(`groq:${LLAMA}`)!;
    process.stdout.write(`# after the calls: ${tier.used} / ${TIER} used\n`);
    assert.ok(tier.used <= TIER, `the tier was overspent: ${tier.used} / ${TIER}`);
    assert.ok(lefts.length >= 3, `only ${lefts.length} calls answered`);
    const sent = s.fake.requests.filter((q) => q.format).map((q) => q.body.max_tokens ?? q.body.max_completion_tokens);
    assert.ok(
      sent.every((n) => typeof n === 'number' && n <= 1_024),
      `max tokens sent: ${sent.join(', ')}`,
    );
  });

  it('8 calls in parallel stop at or under the tier; the last closing line says what the ledger has left', async () => {
    const s = await tierOf(TIER);
    for (let i = 0; i < 8; i++) s.fake.script(LONG_ANSWER);
    const runs = await Promise.all(Array.from({ length: 8 }, () => chat(s)));
    const winners = runs.filter((r) => r.code === 0);
    for (const r of runs) if (r.code !== 0) assert.equal(r.code, 5, r.stderr);
    for (const r of winners) process.stdout.write(`# ${r.stderr.trim().split('\n').at(-1)}\n`);
    const tier = (await s.quota()).get(`groq:${LLAMA}`)!;
    process.stdout.write(`# after the calls: ${tier.used} / ${TIER} used, ${tier.reserved} reserved\n`);
    assert.ok(tier.used <= TIER, `the tier was overspent: ${tier.used} / ${TIER}`);
    assert.ok(winners.length >= 1);
    assert.equal(tier.reserved, 0);
    const lefts = winners.map((r) => leftOn(r.stderr));
    // Each winner read the ledger after its own settle; the last to do so saw every other call settled too.
    assert.ok(lefts.includes(tier.remaining), `closing lines said ${lefts.join(', ')} left; quota ${tier.remaining}`);
  });
});

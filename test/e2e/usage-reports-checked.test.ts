// Reported usage is checked (issue 21, point 3): a provider's token counts that cannot be true — 1e300, 5,000,000
// for an 8-token prompt on a 128K model, a fraction, a negative — once marked a free tier used up for its whole
// window or were stored as they came. They are treated as missing: the call is estimated, marked so, and a warning
// names the provider.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ChatE2E, LLAMA } from '../helpers/chat-e2e.ts';

const e2e = new ChatE2E();
after(() => e2e.close());

describe('token counts that cannot be true are not believed', () => {
  for (const [label, usage] of [
    ['1e300 input tokens', { input: 1e300, output: 3 }],
    ['5,000,000 input tokens for an 8-token prompt on a 128K model', { input: 5_000_000, output: 3 }],
    ['a fractional count', { input: 12.5, output: 3 }],
    ['a fractional reasoning count', { input: 11, output: 3, reasoning: 2.5 }],
    ['a negative input count', { input: -5, output: 3 }],
    ['a negative output count', { input: 11, output: -3 }],
  ] as const) {
    it(`${label}: estimated and marked, a warning naming the provider, the tier barely touched`, async () => {
      const s = await e2e.scenario({ keys: ['groq'] });
      s.fake.script({ usage: { ...usage } });
      const r = await s.run(['chat', '--json', '--no-log', '-m', `groq:${LLAMA}`, 'hi']);
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.equal(out.text, 'Hello, world');
      assert.equal(out.usageEstimated, true);
      assert.ok(out.usage.inputTokens < 100 && out.usage.outputTokens < 100, JSON.stringify(out.usage));
      assert.match(r.stderr, /warning: groq reported usage that cannot be true/);
      assert.match(r.stderr, /estimated/);
      const [row] = s.usageRows();
      assert.equal(row?.estimated, 1);
      assert.ok(Number.isInteger(row.input_tokens) && row.input_tokens < 100, `stored ${row.input_tokens}`);
      const tier = (await s.quota()).get(`groq:${LLAMA}`)!;
      assert.ok(tier.used < 100, `the tier shows ${tier.used} used`);
      assert.equal(tier.state, 'active');
    });
  }

  it('believable counts are kept as reported, with no warning', async () => {
    const s = await e2e.scenario({ keys: ['groq'] });
    s.fake.script({ usage: { input: 120_000, output: 900 } });
    const r = await s.run(['chat', '--json', '--no-log', '-m', `groq:${LLAMA}`, 'hi']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(out.usage, { inputTokens: 120_000, outputTokens: 900 });
    assert.equal(out.usageEstimated, false);
    assert.doesNotMatch(r.stderr, /warning/);
  });
});

// Consistency (issue 9.11): `chat --explain` exits as the real call would when nothing can be called (its output
// unchanged), and an Anthropic call is sent the answer budget its free-tier reservation counted, not a larger one.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { DEFAULT_ANSWER_TOKENS } from '../../src/core/answer-budget.ts';
import { ChatE2E } from '../helpers/chat-e2e.ts';

const e2e = new ChatE2E();
after(() => e2e.close());

describe('chat --explain exits with the code the real call would have', () => {
  it('with no key for any candidate: the plan on stdout, nothing on stderr, exit 4 like `chat`', async () => {
    const s = await e2e.scenario({ keys: [] });
    const real = await s.run(['chat', 'hi']);
    assert.equal(real.code, 4, real.stderr);
    const r = await s.run(['chat', '--explain', 'hi']);
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stdout, /no candidate: nothing would be called/);
    assert.match(r.stdout, /no_key/);
    assert.equal(r.stderr, '');
    const json = await s.run(['chat', '--explain', '--json', 'hi']);
    assert.equal(json.code, 4, json.stderr);
    const plan = JSON.parse(json.stdout);
    assert.deepEqual(plan.candidates, []);
    assert.equal(plan.error, undefined, 'the plan, not a failure object');
    assert.equal(s.fake.requests.length, 0);
  });

  it('with the only free tier used up: exit 5 like `chat`', async () => {
    const s = await e2e.scenario({ keys: ['groq'] });
    const set = await s.run(['quota', 'set', 'llama-3.1-8b-instant', '-p', 'groq', '--tokens', '10']);
    assert.equal(set.code, 0, set.stderr);
    const real = await s.run(['chat', '-m', 'groq:llama-3.1-8b-instant', 'hi']);
    assert.equal(real.code, 5, real.stderr);
    const r = await s.run(['chat', '--explain', '-m', 'groq:llama-3.1-8b-instant', 'hi']);
    assert.equal(r.code, 5, r.stderr);
    assert.match(r.stdout, /exhausted/);
  });

  it('with a candidate to call: exit 0', async () => {
    const s = await e2e.scenario();
    const r = await s.run(['chat', '--explain', 'hi']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /would try, in order/);
  });
});

describe('Anthropic: the max_tokens sent is the answer budget reserved', () => {
  const CLAUDE = 'claude-haiku-5-5';

  it('a free tier with room for 1024 answer tokens but not the 4096 sent is not used for the call', async () => {
    const s = await e2e.scenario({ keys: ['anthropic'] });
    const set = await s.run(['quota', 'set', CLAUDE, '-p', 'anthropic', '--tokens', '3000']);
    assert.equal(set.code, 0, set.stderr);
    const r = await s.run(['chat', '-m', `anthropic:${CLAUDE}`, 'hi']);
    const sent = s.fake.requests.filter((q) => q.format).map((q) => q.body.max_tokens as number);
    assert.ok(
      sent.every((n) => n < 3000),
      `sent max_tokens ${sent.join(', ')} to a call reserved on a 3,000-token tier`,
    );
    assert.equal(r.code, 5, r.stderr);
  });

  it('with room for it, the call is sent the same default the reservation counted', async () => {
    const s = await e2e.scenario({ keys: ['anthropic'] });
    await s.run(['quota', 'set', CLAUDE, '-p', 'anthropic', '--tokens', '100000']);
    const r = await s.run(['chat', '-m', `anthropic:${CLAUDE}`, 'hi']);
    assert.equal(r.code, 0, r.stderr);
    const last = s.fake.requests.filter((q) => q.format).at(-1);
    assert.equal(last?.body.max_tokens, DEFAULT_ANSWER_TOKENS.anthropic);
  });
});

// Usage read everywhere a provider puts it, through the real SDKs, the gateway and the real SQLite ledger: each
// stream (test/fixtures/provider-streams.ts, copied from a public source) must leave exactly one usage row, with the
// provider's numbers when it reported any (the last report, never a sum), else our estimate flagged as such;
// reasoning and prompt-cache tokens in their own columns; a cut after reasoning alone is a cut, not a fallback.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { exitCodeOf } from '../../src/cli/common/exit-codes.ts';
import { startFakeUpstream, type FakeUpstream } from '../fake-upstream/index.ts';
import * as S from '../fixtures/provider-streams.ts';
import { runDialect } from '../helpers/dialect-gateway.ts';

let fake: FakeUpstream;
before(async () => (fake = await startFakeUpstream()));
after(() => fake.close());

async function replay(provider: string, rawSse: string) {
  fake.clear();
  fake.script({ rawSse });
  const run = await runDialect(fake, { provider });
  fake.clear();
  const row = (u: (typeof run.usage)[number]) => ({
    model: u.model,
    in: u.input_tokens,
    out: u.output_tokens,
    reasoning: (u as any).reasoning_tokens,
    cacheRead: (u as any).cache_read_tokens,
    cacheWrite: (u as any).cache_write_tokens,
    estimated: u.estimated,
    outcome: u.outcome,
  });
  return { ...run, rows: run.usage.map(row) };
}

test("Moonshot: usage inside choices[0] is the provider's count, cached tokens kept apart", async () => {
  const run = await replay('moonshot', S.MOONSHOT_CHOICE_USAGE);
  assert.equal(run.result?.text, 'Hello');
  assert.deepEqual(run.rows, [
    { model: 'm1', in: 19, out: 13, reasoning: null, cacheRead: 8, cacheWrite: null, estimated: 0, outcome: 'ok' },
  ]);
});

test("Groq: x_groq.usage on the last chunk is the provider's count", async () => {
  const run = await replay('groq', S.GROQ_X_GROQ_USAGE);
  assert.deepEqual(run.rows, [
    { model: 'm1', in: 40, out: 9, reasoning: null, cacheRead: null, cacheWrite: null, estimated: 0, outcome: 'ok' },
  ]);
});

test('SiliconFlow: cumulative usage on every chunk, the last one wins (17, not a sum of 59)', async () => {
  const run = await replay('siliconflow', S.SILICONFLOW_CUMULATIVE);
  assert.equal(run.result?.text, 'Once upon a time');
  assert.deepEqual(run.rows, [
    { model: 'm1', in: 10, out: 7, reasoning: null, cacheRead: null, cacheWrite: null, estimated: 0, outcome: 'ok' },
  ]);
});

test('SiliconFlow cut mid-answer: the last usage it reported is settled, not an estimate; exit 1, nobody else asked', async () => {
  const run = await replay('siliconflow', S.SILICONFLOW_CUT);
  assert.ok(run.error, 'a cut is an error');
  assert.equal(exitCodeOf(run.error), 1);
  assert.equal(run.error.partial.text, 'Once upon a time');
  assert.deepEqual(run.error.partial.usage, { inputTokens: 10, outputTokens: 6, estimated: false });
  assert.deepEqual(run.asked, ['m1']);
  assert.deepEqual(run.rows, [
    { model: 'm1', in: 10, out: 6, reasoning: null, cacheRead: null, cacheWrite: null, estimated: 0, outcome: 'cut' },
  ]);
});

test('a thinking model cut during reasoning_content: billed as a cut (reasoning estimated as output), no fallback', async () => {
  const run = await replay('siliconflow', S.THINKING_CUT);
  assert.ok(run.error);
  assert.equal(exitCodeOf(run.error), 1);
  assert.deepEqual(run.asked, ['m1'], 'reasoning is a first token: no silent second answer');
  assert.equal(run.rows.length, 1);
  const [row] = run.rows;
  assert.equal(row!.outcome, 'cut');
  assert.equal(row!.estimated, 1);
  assert.ok(row!.out >= 20, `the reasoning text (~100 characters) counts as output, got ${row!.out}`);
});

test('reasoning and cached-prompt tokens are kept in their own ledger columns', async () => {
  const run = await replay('openai', S.OPENAI_DETAILED_USAGE);
  assert.deepEqual(run.rows, [
    { model: 'm1', in: 1200, out: 300, reasoning: 256, cacheRead: 1024, cacheWrite: null, estimated: 0, outcome: 'ok' },
  ]);
});

test('Anthropic: message_start input with cache reads and writes, cumulative message_delta output (last wins)', async () => {
  const run = await replay('anthropic', S.ANTHROPIC_CACHED);
  assert.equal(run.result?.text, 'Hello there');
  assert.deepEqual(run.rows, [
    {
      model: 'm1',
      in: 21 + 188 + 1500,
      out: 12,
      reasoning: null,
      cacheRead: 1500,
      cacheWrite: 188,
      estimated: 0,
      outcome: 'ok',
    },
  ]);
});

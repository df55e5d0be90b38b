// Many scripts piping prompts at once: 50 `chat` processes share one ledger, and not a token goes uncounted.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startFakeUpstream } from '../fake-upstream/index.ts';
import { runCli, tempHome } from '../helpers/cli.ts';

const fake = await startFakeUpstream();
after(() => fake.close());

test('50 chat processes at once: every answer printed, every token in the ledger, no reservation left', async () => {
  const home = tempHome();
  const env = { GROQ_API_KEY: 'gsk-CANARY-concurrency-4b1f', GROQ_BASE_URL: fake.openaiBaseUrl };
  // Each answer: 3 chunks, usage 11 in + 3 out (the fake's default). The kill timeout is wide: 50 processes on a
  // shared 2-core machine can take minutes, and a killed run would fail the test for the wrong reason.
  const runs = await Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      runCli(['chat', '-q', '--no-log', `question ${i}`], { home, env, timeoutMs: 300_000 }),
    ),
  );
  for (const run of runs) {
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, 'Hello, world\n');
  }
  assert.equal(fake.requests.length, 50);
  const quota = JSON.parse((await runCli(['quota', '--json'], { home, env })).stdout);
  const llama = quota.tiers.find((t: { model: string }) => t.model === 'llama-3.1-8b-instant');
  assert.equal(llama.used, 50 * (11 + 3));
  assert.equal(llama.reserved, 0, 'every reservation was settled');
  assert.equal(llama.remaining, 1_000_000 - 50 * 14);
});

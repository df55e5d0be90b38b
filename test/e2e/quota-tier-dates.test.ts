// A free tier's dates mean what they say (issue 9.9 i, j): one anchored in the future starts then — it is shown as
// starting, and the router does not spend it before — and an expired one cannot be "reset" back to life.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli, tempHome } from '../helpers/cli.ts';

// The test clock (helpers/cli.ts) stands at 2026-11-26.
const env = { GROQ_API_KEY: 'gsk-test-key-000000000001' };

test('quota set --anchor in the future showed the tier active now: it starts then, and is not used before', async () => {
  const home = tempHome();
  const set = await runCli(['quota', 'set', 'llama-3.1-8b-instant', '--anchor', '2026-12-05'], { home, env });
  assert.equal(set.code, 0, set.stderr);
  assert.match(set.stderr, /starting 2026-12-05 \(not before/);

  const json = JSON.parse((await runCli(['quota', '--json'], { home, env })).stdout);
  const llama = json.tiers.find((t: { model: string }) => t.model === 'llama-3.1-8b-instant');
  assert.equal(llama.state, 'not started');
  assert.equal(llama.starts, '2026-12-05');
  assert.ok(
    !json.totals.active ||
      json.tiers
        .filter((t: { state: string }) => t.state === 'active')
        .every((t: { model: string }) => t.model !== 'llama-3.1-8b-instant'),
  );

  const table = await runCli(['quota'], { home, env });
  assert.match(table.stdout, /llama-3\.1-8b-instant .* starts 2026-12-05/);
  const models = await runCli(['models', '-p', 'groq'], { home, env });
  assert.match(models.stdout, /llama-3\.1-8b-instant .*starts 2026-12-05/);

  // The router bills it as what it is before then: a model of unknown price, not a free one.
  const plan = JSON.parse(
    (await runCli(['chat', '--explain', '--json', '-m', 'groq:llama-3.1-8b-instant', 'hi'], { home, env })).stdout,
  );
  assert.deepEqual(plan.candidates, [], 'a tier that has not started carried the call');
  assert.equal(plan.skipped[0].reason, 'paid_not_allowed');

  // On its first day it is the free tier it was set up to be.
  const started = JSON.parse(
    (
      await runCli(['chat', '--explain', '--json', '-m', 'groq:llama-3.1-8b-instant', 'hi'], {
        home,
        env: { ...env, LLM_GATEWAY_NOW: '2026-12-05T00:00:00Z' },
      })
    ).stdout,
  );
  assert.equal(started.candidates[0]?.billing, 'free-tier');
});

test('quota reset on an expired tier claimed the allowance was back: it says the tier expired, changes nothing and exits 2', async () => {
  const home = tempHome();
  // deepseek-v3.2 on aliyun: a built-in tier that expired on 2026-03-03.
  const reset = await runCli(['quota', 'reset', 'deepseek-v3.2'], { home });
  assert.equal(reset.code, 2, reset.stderr);
  assert.match(reset.stderr, /the free tier of deepseek-v3\.2 on aliyun expired on 2026-03-03: nothing was reset/);
  assert.doesNotMatch(reset.stderr, /available again/);
  assert.match(reset.stderr, /--expires/);
  const json = JSON.parse((await runCli(['quota', '--json'], { home })).stdout);
  assert.equal(json.tiers.find((t: { model: string }) => t.model === 'deepseek-v3.2').state, 'expired');
});

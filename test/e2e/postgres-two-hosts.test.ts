// Issue 18's demonstration as a test: two `serve` processes with their own config directories (two "hosts"), one
// PostgreSQL ledger, one free tier with 50,000 tokens left, 200 requests at once split across both. While they
// run, the ledger is sampled: usage plus holds never pass the tier. Afterwards the ledger's total equals the sum of
// what the upstream reported for the answered calls, exactly, and `quota` on either host shows the same numbers.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startFakeUpstream, type FakeUpstream } from '../fake-upstream/index.ts';
import { runCli } from '../helpers/cli.ts';
import { freshDatabase, runSql } from '../helpers/postgres.ts';
import { startServe, type Served } from '../helpers/serve.ts';
import { openPgQuota } from '../../src/store/postgres/open.ts';
import { usage } from '../helpers/ledger-fixtures.ts';

const TIER = 'groq:llama-3.1-8b-instant';
const LIMIT = 1_000_000; // the built-in tier
const LEFT = 50_000;
const REPORTED = { input: 11, output: 3 }; // what the fake upstream reports for every answer

describe('two serve processes sharing one PostgreSQL ledger', () => {
  let url: string;
  let fake: FakeUpstream;
  let hosts: Served[];

  before(async () => {
    url = await freshDatabase();
    const ledger = await openPgQuota(url);
    // Earlier in the window, elsewhere: the tier has 50,000 tokens left. (LLM_GATEWAY_NOW is 2026-11-26T04:00Z.)
    await ledger.settle(
      usage('spent-before', {
        tierKey: TIER,
        model: 'llama-3.1-8b-instant',
        inputTokens: LIMIT - LEFT,
        outputTokens: 0,
        at: Date.parse('2026-11-26T01:00:00Z'),
      }),
    );
    await ledger.close();
    // Every answer takes a second, so the calls overlap and the tier is contended.
    fake = await startFakeUpstream({ defaultStep: { stallMs: 1000, text: ['a', 'b', 'c'], usage: REPORTED } });
    const env = { LLM_GATEWAY_DATABASE_URL: url };
    hosts = await Promise.all([startServe({ fake, env }), startServe({ fake, env })]);
  });
  after(async () => {
    await Promise.all(hosts.map((h) => h.stop()));
    await fake.close();
  });

  it('200 requests at once never hold more than the tier has; the ledger equals the upstream; quota agrees', async () => {
    const taken = async () =>
      Number(
        (
          await runSql(
            url,
            `SELECT (SELECT coalesce(sum(input_tokens + output_tokens), 0) FROM usage WHERE tier_key = $1)
                  + (SELECT coalesce(sum(tokens), 0) FROM reservations WHERE tier_key = $1) AS n`,
            [TIER],
          )
        )[0]!.n,
      );
    let peak = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, await taken());
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const statuses = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const host = hosts[i % 2]!;
        const res = await fetch(`${host.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${host.key}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            model: 'llama-3.1-8b-instant',
            max_tokens: 400,
            messages: [{ role: 'user', content: `question ${i}` }],
          }),
        });
        await res.text();
        return res.status;
      }),
    );
    sampling = false;
    await sampler;
    const answered = statuses.filter((s) => s === 200).length;
    const refused = statuses.filter((s) => s !== 200);
    assert.ok(answered > 0, `statuses: ${statuses.join(' ')}`);
    assert.ok(
      refused.every((s) => s === 429),
      `a call is answered or refused for want of quota: ${refused.join(' ')}`,
    );
    assert.ok(peak <= LIMIT, `usage plus holds peaked at ${peak}, past the tier's ${LIMIT}`);
    assert.equal(fake.requests.length, answered, 'every call that reached the upstream was answered');
    const used = LIMIT - LEFT + answered * (REPORTED.input + REPORTED.output);
    assert.equal(await taken(), used, 'the ledger holds exactly what the upstream reported, and no holds remain');
    const quotaOf = async (home: string) => {
      const out = await runCli(['quota', '--json'], { home, env: { LLM_GATEWAY_DATABASE_URL: url } });
      assert.equal(out.code, 0, out.stderr);
      const tiers = JSON.parse(out.stdout).tiers as Array<{ provider: string; model: string }>;
      return tiers.find((t) => `${t.provider}:${t.model}` === TIER);
    };
    const [a, b] = [await quotaOf(hosts[0]!.home), await quotaOf(hosts[1]!.home)];
    assert.deepEqual(a, b);
    assert.equal((a as { used?: number }).used, used);
    process.stderr.write(
      `# two hosts: ${answered} answered, ${refused.length} refused, peak usage+holds ${peak} of ${LIMIT}, ledger ${used}\n`,
    );
  });
});

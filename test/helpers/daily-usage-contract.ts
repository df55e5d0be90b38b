// The usage report's read of the quota ledger (QuotaBackend.dailyUsage), one contract for both databases that hold
// it: test/unit/daily-usage-contract.test.ts runs it on SQLite, test/e2e/postgres-daily-usage.test.ts on a real
// PostgreSQL server — `usage` and the dashboard must report the same figures whichever ledger the calls went to.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { QuotaBackend } from '../../src/store/quota-backend.ts';
import { T0, usage } from './ledger-fixtures.ts';

const DAY = 86_400_000;
const day0 = T0 - (T0 % DAY);

export function dailyUsageContract(name: string, make: () => Promise<QuotaBackend>): void {
  describe(`daily usage report: ${name}`, () => {
    it('sums tokens and calls per day, deployment and billing kind, within the days and filters asked', async () => {
      const ledger = await make();
      await ledger.settle(usage('a', { inputTokens: 100, outputTokens: 10, cacheReadTokens: 40, reasoningTokens: 5 }));
      await ledger.settle(usage('b', { inputTokens: 200, outputTokens: 20, at: T0 + 60_000 }));
      await ledger.settle(usage('a', { inputTokens: 999, outputTokens: 999 })); // the same request again: no change
      await ledger.settle(
        usage('c', {
          provider: 'anthropic',
          model: 'claude',
          billing: 'paid',
          tierKey: undefined,
          inputTokens: 7,
          outputTokens: 3,
        }),
      );
      await ledger.settle(usage('d', { inputTokens: 1, outputTokens: 1, at: T0 + DAY }));
      await ledger.settle(usage('old', { inputTokens: 50, outputTokens: 50, at: T0 - 40 * DAY }));

      const rows = (await ledger.dailyUsage({ since: day0 - 30 * DAY, until: day0 + DAY }))
        .map((r) => ({ ...r }))
        .sort((a, b) => a.day - b.day || a.provider.localeCompare(b.provider));
      assert.deepEqual(rows, [
        {
          day: day0,
          provider: 'anthropic',
          model: 'claude',
          billing: 'paid',
          calls: 1,
          inputTokens: 7,
          outputTokens: 3,
          reasoningTokens: 0,
          cacheReadTokens: 0,
          cacheWriteTokens: 0,
          fallbacks: 0,
          failures: 0,
        },
        {
          day: day0,
          provider: 'groq',
          model: 'llama',
          billing: 'free-tier',
          calls: 2,
          inputTokens: 300,
          outputTokens: 30,
          reasoningTokens: 5,
          cacheReadTokens: 40,
          cacheWriteTokens: 0,
          fallbacks: 0,
          failures: 0,
        },
        {
          day: day0 + DAY,
          provider: 'groq',
          model: 'llama',
          billing: 'free-tier',
          calls: 1,
          inputTokens: 1,
          outputTokens: 1,
          reasoningTokens: 0,
          cacheReadTokens: 0,
          cacheWriteTokens: 0,
          fallbacks: 0,
          failures: 0,
        },
      ]);
      const claude = await ledger.dailyUsage({ since: day0, until: day0, model: 'claude' });
      assert.deepEqual(
        claude.map((r) => [r.provider, r.calls]),
        [['anthropic', 1]],
      );
      const groq = await ledger.dailyUsage({ since: day0, until: day0 + DAY, provider: 'groq' });
      assert.equal(
        groq.reduce((n, r) => n + r.calls, 0),
        3,
      );
      assert.deepEqual(await ledger.dailyUsage({ since: day0 + 2 * DAY, until: day0 + 9 * DAY }), []);
      await ledger.close?.();
    });
  });
}

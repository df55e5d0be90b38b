// The request log (ActivityLog: `log`, `log --follow`, serve's live list, the usage report's failures and
// fallbacks), one contract for both databases that hold it: test/unit/activity-log-contract.test.ts runs it on
// SQLite, test/e2e/postgres-activity-log.test.ts on a real PostgreSQL server, so `log` and `usage` say the same
// whichever ledger the requests went to.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RequestRecord } from '../../src/core/request-record.ts';
import type { ActivityLog } from '../../src/store/request-log.ts';
import { T0 } from './ledger-fixtures.ts';

const DAY = 86_400_000;
const day0 = T0 - (T0 % DAY);

function request(id: string, over: Partial<RequestRecord> = {}): RequestRecord {
  return {
    id,
    at: T0,
    origin: 'serve',
    client: 'POST /v1/chat/completions curl/8',
    model: 'llama',
    provider: 'groq',
    billing: 'free-tier',
    inputTokens: 10,
    outputTokens: 5,
    ms: 812.4,
    outcome: 'ok',
    fallbacks: [],
    ...over,
  };
}

export function activityLogContract(name: string, make: () => Promise<ActivityLog>): void {
  describe(`request log: ${name}`, () => {
    it('lists requests as logged, the newest n or those after a seq; a repeated id counts once', async () => {
      const log = await make();
      await log.record(request('a'), request('b', { origin: 'chat', conversationId: 'notes' }));
      await log.record(
        request('c', {
          outcome: 'failed',
          error: 'rate_limit',
          model: 'gpt',
          provider: 'openai',
          billing: 'paid',
          fallbacks: [{ model: 'llama', provider: 'groq', code: 'rate_limit' }],
        }),
      );
      await log.record(request('a', { inputTokens: 999 })); // again: ignored
      const all = await log.recent({ limit: 10 });
      assert.deepEqual(
        all.map((e) => e.id),
        ['a', 'b', 'c'],
      );
      const { seq: _seq, ...first } = all[0]!;
      assert.deepEqual(first, { ...request('a'), ms: 812 });
      assert.deepEqual(all[2]!.fallbacks, [{ model: 'llama', provider: 'groq', code: 'rate_limit' }]);
      assert.equal(all[2]!.error, 'rate_limit');
      assert.deepEqual(
        (await log.recent({ limit: 2 })).map((e) => e.id),
        ['b', 'c'],
        'the newest two, oldest first',
      );
      assert.deepEqual(
        (await log.recent({ limit: 10, afterSeq: all[0]!.seq })).map((e) => e.id),
        ['b', 'c'],
      );
      assert.deepEqual(
        (await log.recent({ limit: 1, afterSeq: all[0]!.seq })).map((e) => e.id),
        ['b'],
        'a burst is read on in order, a batch at a time',
      );
      assert.deepEqual(
        (await log.recent({ limit: 10, conversationId: 'notes' })).map((e) => e.id),
        ['b'],
      );
      assert.deepEqual(await log.recent({ limit: 10, afterSeq: all[2]!.seq }), []);
    });

    it("the usage report's failures and fallbacks per day and deployment, within the days and filters asked", async () => {
      const log = await make();
      const fell = [{ model: 'gpt', provider: 'openai', code: 'down' }];
      await log.record(
        request('ok'),
        request('fell-back', { fallbacks: fell }),
        request('failed', { outcome: 'failed', fallbacks: [...fell, ...fell] }),
        request('tomorrow', { at: T0 + DAY, outcome: 'failed' }),
        request('long-ago', { at: T0 - 40 * DAY, outcome: 'failed' }),
        request('other', { model: 'claude', provider: 'anthropic', billing: 'paid' }),
      );
      const zero = {
        calls: 0,
        inputTokens: 0,
        outputTokens: 0,
        reasoningTokens: 0,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
      };
      // Fallbacks taken: 1 by 'fell-back', and 1 by 'failed', whose second candidate failed with nothing after it.
      const rows = (await log.dailyRequests({ since: day0 - 30 * DAY, until: day0 + DAY }))
        .map((r) => ({ ...r }))
        .sort((a, b) => a.day - b.day || a.provider.localeCompare(b.provider));
      assert.deepEqual(rows, [
        { day: day0, provider: 'anthropic', model: 'claude', billing: 'paid', ...zero, fallbacks: 0, failures: 0 },
        { day: day0, provider: 'groq', model: 'llama', billing: 'free-tier', ...zero, fallbacks: 2, failures: 1 },
        { day: day0 + DAY, provider: 'groq', model: 'llama', billing: 'free-tier', ...zero, fallbacks: 0, failures: 1 },
      ]);
      const groqToday = await log.dailyRequests({ since: day0, until: day0, provider: 'groq', model: 'llama' });
      assert.deepEqual(
        groqToday.map((r) => ({ ...r })),
        [{ day: day0, provider: 'groq', model: 'llama', billing: 'free-tier', ...zero, fallbacks: 2, failures: 1 }],
      );
    });
  });
}

// The ledger stays small (issue 9.12), seen from the commands: the real binary, a ledger holding months of use, and
// one real call (against the fake upstream) whose settle runs the day's prune. What a user reads — `quota --json`
// and `chat --explain` — must not change by a token, while the old rows and the expired cooldowns leave the file.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { openLedger } from '../../src/store/ledger.ts';
import { ChatE2E, LLAMA } from '../helpers/chat-e2e.ts';
import { usage } from '../helpers/ledger-fixtures.ts';

const e2e = new ChatE2E();
after(() => e2e.close());

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-26T04:00:00Z'); // cleanEnv's clock
const TIER = `groq:${LLAMA}`;

test('usage rows older than 90 days are pruned, their totals kept per day, and quota and chat --explain report the same numbers', async () => {
  const s = await e2e.scenario({ keys: ['groq'], steps: [{ text: ['ok'], usage: { input: 10, output: 2 } }] });
  const path = join(s.home, 'ledger.db');
  const ledger = openLedger(path);
  // Five calls a day for 150 days; imported, so no prune runs yet. Plus a cooldown that ended long ago.
  const rows = Array.from({ length: 150 * 5 }, (_, i) =>
    usage(`old-${i}`, {
      provider: 'groq',
      model: LLAMA,
      tierKey: TIER,
      inputTokens: 100 + i,
      outputTokens: 7,
      at: NOW - (i + 1) * (DAY / 5),
    }),
  );
  ledger.quota.importUsage(rows);
  ledger.quota.setCooldown({
    provider: 'groq',
    model: LLAMA,
    kind: 'rate_limited',
    until: NOW - 30 * DAY,
    reason: 'old',
  });
  ledger.close();

  const explain = ['chat', '--explain', '-m', LLAMA, 'hi'];
  const quotaBefore = (await s.quota()).get(TIER)!;
  const explainBefore = await s.run(explain);
  assert.equal(explainBefore.code, 0, explainBefore.stderr);
  assert.ok(quotaBefore.used > 0, 'the window holds some of the seeded calls');

  const call = await s.run(['chat', '-m', LLAMA, 'hi']);
  assert.equal(call.code, 0, call.stderr);

  const db = new Database(path, { readonly: true });
  const oldest = db.prepare('SELECT min(at) FROM usage').pluck().get() as number;
  const kept = db.prepare('SELECT count(*) FROM usage').pluck().get();
  const cooldowns = db.prepare('SELECT count(*) FROM cooldowns').pluck().get();
  const total = db
    .prepare('SELECT sum(input_tokens + output_tokens) FROM usage_daily WHERE tier_key = ?')
    .pluck()
    .get(TIER);
  db.close();
  assert.ok(oldest >= NOW - (NOW % DAY) - 90 * DAY, 'no detailed row older than 90 days is left');
  assert.ok((kept as number) < rows.length, 'rows were pruned');
  assert.equal(cooldowns, 0, 'the expired cooldown is gone');
  const seeded = rows.reduce((n, r) => n + r.inputTokens + r.outputTokens, 0);
  assert.equal(total, seeded + 12, 'the daily totals keep every token ever settled');

  const quotaAfter = (await s.quota()).get(TIER)!;
  // The one call's 12 tokens are the only difference, in the tier's headline and in its one limit alike.
  const less12 = <T extends { used: number; remaining: number }>(x: T): T => ({
    ...x,
    used: x.used - 12,
    remaining: x.remaining + 12,
  });
  assert.deepEqual({ ...less12(quotaAfter), limits: quotaAfter.limits.map(less12) }, quotaBefore);
  const explainAfter = await s.run(explain);
  const left = (text: string) => Number(/([\d,]+) left/.exec(text)![1]!.replaceAll(',', ''));
  assert.equal(left(explainAfter.stdout), left(explainBefore.stdout) - 12);
  assert.equal(explainAfter.stdout.replace(/[\d,]+ left/, ''), explainBefore.stdout.replace(/[\d,]+ left/, ''));
});

after(() => e2e.assertNoCanaries());

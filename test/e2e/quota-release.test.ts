// A killed call's hold seen and freed (issue 21, point 8): `quota` shows the held tokens and how they come back,
// `quota release` frees them and leaves usage as it was.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { openLedger } from '../../src/store/ledger.ts';
import { runCli, tempHome } from '../helpers/cli.ts';
import { reservation, usage } from '../helpers/ledger-fixtures.ts';

const QWEN = 'Qwen2.5-7B-Instruct';
const TIER = `siliconflow:${QWEN}`;
const NOW = Date.parse('2026-11-26T04:00:00Z');
const env = { SILICONFLOW_API_KEY: 'sk-test-canary-release-0001' };

test('quota shows a killed call’s held tokens; quota release frees them and keeps usage', async () => {
  const home = tempHome();
  const ledger = openLedger(join(home, 'ledger.db'));
  ledger.quota.settle(usage('done', { provider: 'siliconflow', model: QWEN, tierKey: TIER, at: NOW - 60_000 }));
  const hold = { tierKey: TIER, tokens: 467, now: NOW - 60_000, expiresAt: NOW + 840_000 };
  assert.equal(
    ledger.quota.reserve(reservation('killed', { ...hold, limit: 500_000, windowStart: NOW - 4 * 3_600_000 })),
    true,
  );
  ledger.close();

  const shown = await runCli(['quota'], { home, env });
  assert.equal(shown.code, 0, shown.stderr);
  assert.match(shown.stdout, /\+ 467 held \/ 500,000/);
  // The exact time it frees: the hold's expiry (14 minutes from NOW, 04:00 UTC).
  assert.match(shown.stdout, /467 tokens are held .*free by 04:14:00 UTC at the latest.*quota release/s);
  const listed = JSON.parse((await runCli(['quota', '--json'], { home, env })).stdout);
  const held = listed.tiers.find((t: { model: string }) => t.model === QWEN);
  assert.equal(held.heldUntil, '2026-11-26T04:14:00.000Z');

  const released = await runCli(['quota', 'release', QWEN], { home, env });
  assert.equal(released.code, 0, released.stderr);
  assert.match(
    released.stderr,
    /released 1 held reservation on Qwen2\.5-7B-Instruct \(siliconflow\); usage is unchanged/,
  );

  const json = JSON.parse((await runCli(['quota', '--json'], { home, env })).stdout);
  const qwen = json.tiers.find((t: { model: string }) => t.model === QWEN);
  assert.equal(qwen.reserved, 0);
  assert.equal(qwen.heldUntil, null);
  assert.ok(qwen.used > 0, 'the settled usage is still counted');
  assert.doesNotMatch((await runCli(['quota'], { home, env })).stdout, /held/);
});

test('a tier blocked only by a hold says how the hold frees, not "wait for a reset"', async () => {
  const home = tempHome();
  const ledger = openLedger(join(home, 'ledger.db'));
  const hold = { tierKey: TIER, tokens: 499_990, now: NOW - 60_000, expiresAt: NOW + 840_000 };
  assert.equal(
    ledger.quota.reserve(reservation('killed', { ...hold, limit: 500_000, windowStart: NOW - 3_600_000 })),
    true,
  );
  ledger.close();
  const blocked = await runCli(['chat', '-m', QWEN, 'hi'], { home, env });
  assert.equal(blocked.code, 5, blocked.stderr);
  assert.match(blocked.stderr, /499,990 held by calls in flight/);
  assert.match(
    blocked.stderr,
    /free themselves when those calls end .*within 15 minutes.*`llm-gateway quota release`/s,
  );
  assert.doesNotMatch(blocked.stderr, /wait for a reset/);
});

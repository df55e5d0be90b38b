// `quota set --limit`, `quota --json` and `chat --explain` with a tier's limits, through the built binary
// (issue 19, point 1): each limit edited alone, bad ones refused with the fix and nothing written, and a limit that
// blocks named with its figures and reset.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempHome } from '../helpers/cli.ts';

const QWEN = 'Qwen2.5-7B-Instruct';
const env = { SILICONFLOW_API_KEY: 'sk-test-canary-limits-0001' };

test('quota set --limit adds, changes and removes one window; the old allowance stays as it was', async () => {
  const home = tempHome();
  const set = await runCli(['quota', 'set', QWEN, '--limit', 'rpd=30', '--limit', 'rpm=5@rolling'], { home, env });
  assert.equal(set.code, 0, set.stderr);
  assert.match(set.stderr, /free tier for Qwen2\.5-7B-Instruct on siliconflow: 500,000 tokens daily, rpd 30, rpm 5/);
  const settings = JSON.parse(readFileSync(join(home, 'settings.json'), 'utf8'));
  assert.deepEqual(settings.freeTiers[0].limits, [
    { unit: 'requests', per: 'day', limit: 30, resets: 'boundary' },
    { unit: 'requests', per: 'minute', limit: 5, resets: 'rolling' },
  ]);
  assert.equal(settings.freeTiers[0].tokens, 500_000);

  const json = JSON.parse((await runCli(['quota', '--json'], { home, env })).stdout);
  const qwen = json.tiers.find((t: { model: string }) => t.model === QWEN);
  assert.deepEqual(
    qwen.limits.map((l: Record<string, unknown>) => [l.name, l.limit, l.remaining, l.resets, l.nextReset]),
    [
      ['tpd', 500_000, 500_000, 'boundary', '2026-11-27T00:00:00.000Z'],
      ['rpd', 30, 30, 'boundary', '2026-11-27T00:00:00.000Z'],
      ['rpm', 5, 5, 'rolling', null],
    ],
  );

  const changed = await runCli(['quota', 'set', QWEN, '--limit', 'rpd=60@America/Los_Angeles', '--limit', 'rpm=none'], {
    home,
    env,
  });
  assert.equal(changed.code, 0, changed.stderr);
  const after = JSON.parse(readFileSync(join(home, 'settings.json'), 'utf8')).freeTiers[0];
  assert.deepEqual(after.limits, [
    { unit: 'requests', per: 'day', limit: 60, resets: 'boundary', timeZone: 'America/Los_Angeles' },
  ]);
});

test('a bad --limit exits 2 with the fix and writes nothing', async () => {
  const home = tempHome();
  for (const [flag, words] of [
    ['rpx=3', /--limit "rpx=3" is not a limit/],
    ['rpd=-1', /is not a limit/],
    ['rpd=10@Mars/Olympus', /"Mars\/Olympus" is neither rolling nor a time zone/],
  ] as const) {
    const r = await runCli(['quota', 'set', QWEN, '--limit', flag], { home, env });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, words);
  }
  assert.throws(() => readFileSync(join(home, 'settings.json')), /ENOENT/);
});

test('--explain names the limit that blocks, with its figures and reset', async () => {
  const home = tempHome();
  assert.equal((await runCli(['quota', 'set', QWEN, '--limit', 'itpm=3'], { home, env })).code, 0);
  const explain = await runCli(['chat', '--explain', '-m', QWEN, 'hello there, how are you today?'], { home, env });
  assert.match(explain.stdout, /Qwen2\.5-7B-Instruct \(siliconflow\): exhausted, itpm: 0\/3, resets 04:01 UTC/);
});

// An empty config.lock (a process killed between creating it and writing it) made the next command wait 20 s and
// then name its own process as the holder (issue 21, point 8). A lock still unwritten a moment after it was made is
// stale: the next edit breaks it at once. The file's age is set, not waited for.
import assert from 'node:assert/strict';
import { existsSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempHome } from '../helpers/cli.ts';

test('an empty config.lock left 5 s ago: the next edit breaks it and succeeds', async () => {
  const home = tempHome();
  const lock = join(home, 'config.lock');
  writeFileSync(lock, '');
  const fiveSecondsAgo = new Date(Date.now() - 5_000);
  utimesSync(lock, fiveSecondsAgo, fiveSecondsAgo);
  const r = await runCli(['providers', 'add', 'groq', '--api-key-stdin'], {
    home,
    input: 'gsk-CANARY-emptylock-1234567890abcdef\n',
  });
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /held by|another llm-gateway/);
  assert.ok(!existsSync(lock), 'the lock was left behind');
});

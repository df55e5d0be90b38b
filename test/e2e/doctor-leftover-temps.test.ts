// A write killed between its temp file and its rename (issue 21, point 8): doctor reports the leftover temp file
// instead of "ok", --repair removes it, and the file it was to replace is left as it was.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempHome } from '../helpers/cli.ts';

test('doctor reports a dead write’s temp file and --repair removes it, keeping the file whole', async () => {
  const home = tempHome();
  const settings = '{"schemaVersion":1}\n';
  writeFileSync(join(home, 'settings.json'), settings, { mode: 0o600 });
  // No process has pid 2^22 + 1 (above Linux's pid_max default of 4,194,304).
  const temp = 'keys.json.tmp-4194305-1764129600000';
  writeFileSync(join(home, temp), '{"half": ', { mode: 0o600 });

  const found = await runCli(['doctor'], { home });
  assert.equal(found.code, 3, found.stderr);
  assert.match(
    found.stdout,
    new RegExp(`broken .*temp files of an interrupted write are left: ${temp.replaceAll('.', '\\.')}`),
  );

  const repaired = await runCli(['doctor', '--repair'], { home });
  assert.equal(repaired.code, 0, repaired.stderr);
  assert.match(repaired.stdout, /repaired .*\n\s+removed keys\.json\.tmp-/);
  assert.equal(existsSync(join(home, temp)), false);
  assert.equal(readFileSync(join(home, 'settings.json'), 'utf8'), settings);
  assert.doesNotMatch((await runCli(['doctor'], { home })).stdout, /broken/);
});

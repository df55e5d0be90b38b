// System errors in words (issue 21, point 7): a directory where settings.json belongs, or a file where the config
// directory's parent belongs, is said so with the path at fault, not as a raw EISDIR/ENOTDIR with a hint about modes.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempHome } from '../helpers/cli.ts';

test('a directory in place of settings.json is named as one, with no hint about modes', async () => {
  const home = tempHome();
  chmodSync(home, 0o700);
  mkdirSync(join(home, 'settings.json'));
  const r = await runCli(['models'], { home });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /settings\.json: it is a directory \(EISDIR\)/);
  assert.match(r.stderr, /hint: .*settings\.json is a directory where a file belongs: move it out of the way/);
  assert.doesNotMatch(r.stderr, /0600|0700/);
});

test('a file on the way to the config directory is named', async () => {
  const parent = tempHome();
  writeFileSync(join(parent, 'plain-file'), '');
  const r = await runCli(['quota'], { home: join(parent, 'plain-file', 'config') });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /a part of the path is not a directory \(ENOTDIR\)/);
  assert.match(r.stderr, new RegExp(`hint: ${join(parent, 'plain-file')} is a file where a directory belongs`));
  assert.doesNotMatch(r.stderr, /0600|0700/);
});

// A kill between the keys.json and settings.json renames leaves a key without its provider (issue 21, point 8):
// doctor reports it instead of "ok"; --repair takes it out of keys.json and keeps it in a private copy.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempHome } from '../helpers/cli.ts';

const ORPHAN = 'sk-test-orphan-canary-9999';
const KEPT = 'sk-test-kept-canary-0001';

test('doctor names a key whose provider is gone; --repair moves it aside and keeps the others', async () => {
  const home = tempHome();
  const keys = { keys: { ghostprov: ORPHAN, siliconflow: KEPT } };
  writeFileSync(join(home, 'keys.json'), JSON.stringify(keys), { mode: 0o600 });

  const found = await runCli(['doctor'], { home });
  assert.equal(found.code, 3, found.stderr);
  assert.match(found.stdout, /broken .*keys\.json: holds keys for providers that are not configured: ghostprov\n/);
  assert.doesNotMatch(found.stdout + found.stderr, /canary/);

  const repaired = await runCli(['doctor', '--repair'], { home });
  assert.equal(repaired.code, 0, repaired.stderr);
  assert.match(repaired.stdout, /removed the keys of ghostprov, kept in .*keys\.json\.corrupt-/);
  assert.doesNotMatch(repaired.stdout + repaired.stderr, /canary/);
  assert.deepEqual(Object.keys(JSON.parse(readFileSync(join(home, 'keys.json'), 'utf8')).keys), ['siliconflow']);
  const aside = readdirSync(home).find((n) => n.startsWith('keys.json.corrupt-'))!;
  assert.equal(JSON.parse(readFileSync(join(home, aside), 'utf8')).keys.ghostprov, ORPHAN);
  assert.equal(statSync(join(home, aside)).mode & 0o777, 0o600);
  assert.doesNotMatch((await runCli(['doctor'], { home })).stdout, /broken/);
});

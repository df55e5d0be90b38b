// keys.json as a symbolic link (issue 21, point 10), as people keep it in a dotfiles checkout. A write renamed a new
// file over the link: the link became a regular file and the file it pointed to went silently stale. Writes now go
// through to the target, atomically beside it, and only to a file of our own. And a link to another user's file
// must never get the hint `sudo chown … keys.json`: chown follows the link and would take the other user's file.
import assert from 'node:assert/strict';
import {
  chownSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { trustHint } from '../../src/store/config-trust.ts';
import { runCli, tempHome } from '../helpers/cli.ts';

const KEY = 'gsk_test-symlink-canary-0001';

function linkedKeys(home: string): { dotfiles: string; target: string } {
  const dotfiles = mkdtempSync(join(tmpdir(), 'llmgw-dotfiles-'));
  const target = join(dotfiles, 'llm-gateway-keys.json');
  writeFileSync(target, '{"keys": {}}\n', { mode: 0o600 });
  symlinkSync(target, join(home, 'keys.json'));
  return { dotfiles, target };
}

test('providers add writes through a keys.json link to its target, which stays private; the link stays a link', async () => {
  const home = tempHome();
  const { dotfiles, target } = linkedKeys(home);
  const keyFile = join(mkdtempSync(join(tmpdir(), 'llmgw-key-')), 'key.txt');
  writeFileSync(keyFile, `${KEY}\n`, { mode: 0o600 });
  const r = await runCli(['providers', 'add', 'groq', '--api-key-file', keyFile], { home });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(lstatSync(join(home, 'keys.json')).isSymbolicLink(), 'the link was replaced by a regular file');
  assert.ok(readFileSync(target, 'utf8').includes(KEY), 'the target did not get the key');
  assert.equal(statSync(target).mode & 0o777, 0o600);
  assert.deepEqual(readdirSync(dotfiles), ['llm-gateway-keys.json'], 'a temp file was left beside the target');
  assert.doesNotMatch(r.stdout + r.stderr, new RegExp(KEY));

  const listed = await runCli(['providers', 'list', '--json'], { home });
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, /"groq"/);
});

test('a keys.json link to a file that does not exist is refused on write, naming both', async () => {
  const home = tempHome();
  symlinkSync(join(home, 'nowhere', 'keys.json'), join(home, 'keys.json'));
  const keyFile = join(mkdtempSync(join(tmpdir(), 'llmgw-key-')), 'key.txt');
  writeFileSync(keyFile, `${KEY}\n`, { mode: 0o600 });
  const r = await runCli(['providers', 'add', 'groq', '--api-key-file', keyFile], { home });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /keys\.json is a symbolic link to .*nowhere\/keys\.json, which does not exist/);
  assert.ok(lstatSync(join(home, 'keys.json')).isSymbolicLink());
});

test("doctor never hints chown for a keys.json link to another user's file", {
  skip: process.getuid?.() !== 0 && 'giving a file to another user needs root',
}, async () => {
  const home = tempHome();
  const { target } = linkedKeys(home);
  chownSync(target, 4242, 4242);
  const r = await runCli(['doctor'], { home });
  assert.equal(r.code, 3, r.stdout + r.stderr);
  assert.match(r.stdout, /keys\.json: belongs to uid 4242/);
  assert.match(r.stdout, /symbolic link to another user's file: do not chown it/);
  assert.doesNotMatch(r.stdout, /sudo chown/);
});

test('the refusal to read names the link instead of a chown that would take the target', () => {
  const home = tempHome();
  const { target } = linkedKeys(home);
  const path = join(home, 'keys.json');
  const hint = trustHint({ kind: 'foreign_owner', path, owner: 4242, me: 1000 });
  assert.doesNotMatch(hint, /chown -R 1000/);
  assert.match(hint, /symbolic link to another user's file/);
  // A plain file still gets the chown hint: nothing else would make it the user's.
  const plain = trustHint({ kind: 'foreign_owner', path: target, owner: 4242, me: 1000 });
  assert.match(plain, /sudo chown -R 1000 /);
});

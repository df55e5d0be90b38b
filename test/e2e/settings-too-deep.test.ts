// A settings.json nested 2,000 levels deep (18 KB) crashed every command with a stack overflow, `doctor --repair`
// included (issue 21, point 7). Its depth is checked without recursion before anything walks it: exit 3 naming
// the file, and doctor --repair keeps it aside as it does any broken file.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempHome } from '../helpers/cli.ts';

test('a settings.json 2,000 levels deep: exit 3 naming it, doctor reports it, --repair keeps it aside', async () => {
  const home = tempHome();
  const settings = join(home, 'settings.json');
  writeFileSync(settings, `{"aliases": ${'['.repeat(2_000)}${']'.repeat(2_000)}}`, { mode: 0o600 });
  for (const args of [['models'], ['chat', '--explain', 'hi'], ['doctor']]) {
    const r = await runCli(args, { home });
    assert.equal(r.code, 3, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stdout + r.stderr, /settings\.json nests more than 64 levels deep/);
    assert.doesNotMatch(r.stderr, /Maximum call stack|unexpected error|this is a bug/);
  }
  const repair = await runCli(['doctor', '--repair'], { home });
  assert.equal(repair.code, 0, repair.stderr);
  assert.ok(!existsSync(settings));
  assert.ok(readdirSync(home).some((name) => name.startsWith('settings.json.corrupt-')));
  assert.equal((await runCli(['models'], { home })).code, 0);
});

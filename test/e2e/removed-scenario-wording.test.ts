// issue 9 hardening: `providers remove` that empties a scenario said "scenario only entry fast-model" while it
// removed the whole scenario `only` (withoutReferences drops an emptied one); doctor --repair said the same. Both
// now name the scenario as removed, once.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempHome } from '../helpers/cli.ts';

function editSettings(home: string, edit: (s: Record<string, unknown>) => void): void {
  const path = join(home, 'settings.json');
  const settings = JSON.parse(readFileSync(path, 'utf8'));
  edit(settings);
  writeFileSync(path, JSON.stringify(settings), { mode: 0o600 });
}

test('providers remove that empties a scenario says the scenario was removed, not just an entry', async () => {
  const home = tempHome();
  const add = await runCli(
    ['providers', 'add', 'myllm', '--base-url', 'http://127.0.0.1:9/v1', '--model', 'fast-model'],
    { home },
  );
  assert.equal(add.code, 0, add.stderr);
  editSettings(home, (s) => (s.scenarios = { only: ['fast-model'], code: ['fast-model', 'gpt-4.1'] }));
  const removed = await runCli(['providers', 'remove', 'myllm'], { home });
  assert.equal(removed.code, 0, removed.stderr);
  assert.match(removed.stderr, /also removed: scenario only \(now empty, removed\), scenario code entry fast-model/);
  assert.doesNotMatch(removed.stderr, /scenario only entry/);
  assert.deepEqual(JSON.parse(readFileSync(join(home, 'settings.json'), 'utf8')).scenarios, { code: ['gpt-4.1'] });
});

test('doctor --repair of a scenario left empty says it was removed, and names settings.json once', async () => {
  const home = tempHome();
  writeFileSync(join(home, 'settings.json'), JSON.stringify({ scenarios: { only: ['gone-a', 'gone-b'] } }), {
    mode: 0o600,
  });
  const repair = await runCli(['doctor', '--repair'], { home });
  assert.equal(repair.code, 0, repair.stdout + repair.stderr);
  assert.match(repair.stdout, /removed scenario only \(now empty, removed\)$/m);
  assert.equal(repair.stdout.split('\n').filter((line) => line.includes('settings.json')).length, 1, repair.stdout);
});

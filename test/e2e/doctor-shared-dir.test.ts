// `doctor --repair` with LLM_GATEWAY_HOME=/tmp set the system /tmp to 0700, its sticky 1777 gone, and the refusal
// told users to run exactly that; a populated 0755 directory went 0700 as well. A shared directory (sticky, or
// holding entries llm-gateway did not make) is now left as it is: exit 3, naming it, telling the user to set
// LLM_GATEWAY_HOME to a private directory. Modes print in full octal (1777, not 777). A temp directory given mode
// 1777 stands in for /tmp, so the real /tmp is never touched. The real binary in a subprocess.
import assert from 'node:assert/strict';
import { chmodSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempHome } from '../helpers/cli.ts';

const fullMode = (path: string) => statSync(path).mode & 0o7777;
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('doctor --repair with LLM_GATEWAY_HOME on a sticky 1777 dir (like /tmp) took the sticky bit away: left 1777, exit 3, named', async () => {
  const home = tempHome();
  writeFileSync(join(home, 'settings.json'), '{}', { mode: 0o600 });
  chmodSync(home, 0o1777);

  const chat = await runCli(['models', '--json'], { home });
  assert.equal(chat.code, 3, chat.stderr);
  assert.match(chat.stderr, new RegExp(`${escapeRegex(home)} can be written by other users \\(mode 1777\\)`));
  assert.match(chat.stderr, /set LLM_GATEWAY_HOME to a private directory/);
  assert.doesNotMatch(chat.stderr, /doctor --repair/, 'the refusal must not send the user to chmod /tmp');

  const repair = await runCli(['doctor', '--repair'], { home });
  assert.equal(repair.code, 3, repair.stdout + repair.stderr);
  assert.equal(fullMode(home), 0o1777, 'the shared directory keeps its mode');
  assert.match(repair.stdout, new RegExp(`${escapeRegex(home)}: directory mode is 1777.*sticky bit`));
  assert.match(repair.stdout, /cannot repair: set LLM_GATEWAY_HOME to a private directory/);
});

test('doctor --repair on a 0755 dir holding files llm-gateway did not make made it 0700: left 0755, exit 3, named', async () => {
  const home = tempHome();
  chmodSync(home, 0o755);
  writeFileSync(join(home, 'settings.json'), '{}', { mode: 0o600 });
  writeFileSync(join(home, 'notes.txt'), 'not ours');

  const repair = await runCli(['doctor', '--repair'], { home });
  assert.equal(repair.code, 3, repair.stdout + repair.stderr);
  assert.equal(fullMode(home), 0o755);
  assert.match(
    repair.stdout,
    new RegExp(`${escapeRegex(home)}: directory mode is 755.*llm-gateway did not make \\("notes.txt"\\)`),
  );
  assert.match(repair.stdout, /set LLM_GATEWAY_HOME to a private directory/);
});

test('a 0755 dir holding only what llm-gateway makes is still made 0700 by doctor --repair', async () => {
  const home = tempHome();
  chmodSync(home, 0o755);
  for (const name of [
    'settings.json',
    'keys.json',
    'config.lock',
    'server-key',
    'settings.json.corrupt-2026-11-26T04-00-00-000Z',
  ]) {
    writeFileSync(join(home, name), name.startsWith('keys') ? '{"keys":{}}' : name === 'settings.json' ? '{}' : 'x', {
      mode: 0o600,
    });
  }
  const repair = await runCli(['doctor', '--repair'], { home });
  assert.equal(fullMode(home), 0o700, repair.stdout + repair.stderr);
  assert.match(repair.stdout, /repaired .*\n.*mode set to 700/);
});

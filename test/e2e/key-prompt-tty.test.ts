// The hidden key prompt checks what is typed as stdin and key files are checked: it once stored "\u0004\u0004"
// (two Ctrl-D), tabs and arrow keys' escape sequences as keys. Ctrl-C and Ctrl-D cancel and store nothing; a typed
// key with a control character is refused with exit 2, naming the kind of character, never the key.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cleanEnv, tempHome } from '../helpers/cli.ts';
import { ptyBin } from '../helpers/terminal.ts';

/** Runs `providers add groq` on a pseudo-terminal, types `keys` at the prompt; the exit code and the screen. */
async function typeAtPrompt(keys: string): Promise<{ code: number; screen: string; home: string }> {
  const home = tempHome();
  const { CI: _ci, ...env } = cleanEnv(home);
  const term = ptyBin(['providers', 'add', 'groq'], env, { cols: 120, rows: 20, cwd: home });
  let screen = '';
  term.onData((d) => (screen += d));
  const exited = new Promise<number>((resolve) => term.onExit(({ exitCode }) => resolve(exitCode)));
  for (
    const start = Date.now();
    !/input hidden; empty to skip\): /.test(screen);
    await new Promise((r) => setTimeout(r, 15))
  ) {
    if (Date.now() - start > 60_000) assert.fail(`no prompt; screen:\n${screen}`);
  }
  term.write(keys);
  return { code: await exited, screen, home };
}

const nothingStored = (home: string) => {
  assert.equal(existsSync(join(home, 'keys.json')), false, 'a key was stored');
  assert.equal(existsSync(join(home, 'settings.json')), false, 'settings were written');
};

test('Ctrl-D twice at the key prompt cancels and stores nothing (it stored "\\u0004\\u0004" as the key)', async () => {
  const { code, screen, home } = await typeAtPrompt('\u0004\u0004\r');
  assert.equal(code, 130, screen);
  assert.match(screen, /cancelled at the key prompt; nothing was stored/);
  nothingStored(home);
});

test('Ctrl-C at the key prompt, after half a key, cancels and stores nothing', async () => {
  const { code, screen, home } = await typeAtPrompt('gsk-half-typed\u0003');
  assert.equal(code, 130, screen);
  assert.ok(!screen.includes('gsk-half-typed'), 'the typed text was echoed');
  nothingStored(home);
});

test('a tab or an arrow key typed into the key is refused with exit 2 and not stored (they were stored as the key)', async () => {
  for (const [typed, kind] of [
    ['gsk-CANARY-left\tright-000000\r', /it contains a tab/],
    ['gsk-CANARY-with-arrow-0000\u001b[A\r', /it contains an escape sequence/],
    ['gsk-CANARY-\u0001-control-0000\r', /it contains a control character \(U\+0001\)/],
  ] as const) {
    const { code, screen, home } = await typeAtPrompt(typed);
    assert.equal(code, 2, screen);
    assert.match(screen, /the key typed does not hold a key/);
    assert.match(screen, kind);
    assert.ok(!screen.includes('CANARY'), 'the typed key was printed');
    nothingStored(home);
  }
});

// `providers add` on a terminal asks for the key at a hidden prompt: typed, never echoed, stored 0600.
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cleanEnv, tempHome } from '../helpers/cli.ts';
import { ptyBin } from '../helpers/terminal.ts';

const KEY = 'gsk-CANARY-typed-at-prompt-5e2d8c1a';

test('the key typed at the hidden prompt is stored and never shown', async () => {
  const home = tempHome();
  const { CI: _ci, ...env } = cleanEnv(home);
  const term = ptyBin(['providers', 'add', 'groq'], env, { cols: 100, rows: 20, cwd: home });
  let screen = '';
  term.onData((d) => (screen += d));
  const exited = new Promise<number>((resolve) => term.onExit(({ exitCode }) => resolve(exitCode)));
  const waitFor = async (pattern: RegExp) => {
    for (const start = Date.now(); !pattern.test(screen); await new Promise((r) => setTimeout(r, 15))) {
      if (Date.now() - start > 10_000) assert.fail(`waited for ${pattern}; screen:\n${screen}`);
    }
  };
  await waitFor(/API key for groq \(input hidden; empty to skip\): /);
  term.write(`${KEY}\r`);
  assert.equal(await exited, 0, screen);
  assert.match(screen, /key stored for groq \(provider settings unchanged\): ••••8c1a/);
  assert.ok(!screen.includes(KEY), 'the typed key was echoed');
  assert.ok(!screen.includes(KEY.slice(0, 12)), 'part of the typed key was echoed');
  const keys = join(home, 'keys.json');
  assert.equal(JSON.parse(readFileSync(keys, 'utf8')).keys.groq, KEY);
  assert.equal(statSync(keys).mode & 0o777, 0o600);
});

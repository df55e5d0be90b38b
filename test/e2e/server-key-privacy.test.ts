// `server-key` under keys.json's rules (issue 21, point 4): it was used whatever its mode or owner — a second local
// user read a 0644 one and got answers billed to the first user's keys — and doctor said "ok". One others can write
// or another user owns is refused; one others can read is used with a warning; doctor reports it and --repair
// makes it 0600.
import assert from 'node:assert/strict';
import { chmodSync, chownSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempHome } from '../helpers/cli.ts';
import { startServe } from '../helpers/serve.ts';

const KEY = `llmgw-${'k'.repeat(43)}`;

function homeWithKey(mode: number): { home: string; path: string } {
  const home = tempHome();
  const path = join(home, 'server-key');
  writeFileSync(path, `${KEY}\n`);
  chmodSync(path, mode);
  return { home, path };
}

test('a server-key others can write is refused: exit 3 naming it, nothing listens', async () => {
  const { home, path } = homeWithKey(0o666);
  const r = await runCli(['serve', '--port', '0'], { home });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, new RegExp(`${path}.*can be written by other users`));
  assert.doesNotMatch(r.stderr, /serving on/);
  assert.ok(!r.stderr.includes(KEY) && !r.stdout.includes(KEY), 'the key was printed');
});

test('a server-key another user owns is refused (they could have planted their own)', async (t) => {
  if (process.getuid?.() !== 0) return t.skip('needs root to give a file to another user');
  const { home, path } = homeWithKey(0o600);
  chownSync(path, 4321, 4321);
  const r = await runCli(['serve', '--port', '0'], { home });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, new RegExp(`${path}.*belongs to uid 4321`));
});

test('a server-key others can read is used, with a warning; doctor reports it and --repair makes it 0600', async () => {
  const { home, path } = homeWithKey(0o644);
  const served = await startServe({ home });
  try {
    assert.equal(served.key, KEY);
    assert.match(served.stderr(), new RegExp(`warning: ${path} can be read by other users \\(mode 644\\)`));
    assert.ok(!served.stderr().includes(KEY), 'the key was printed');
  } finally {
    await served.stop();
  }
  const doctor = await runCli(['doctor'], { home });
  assert.match(doctor.stdout + doctor.stderr, new RegExp(`${path}.*mode is 0?644, others can read it`));
  const repair = await runCli(['doctor', '--repair'], { home });
  assert.match(repair.stdout, new RegExp(`repaired.*${path}`));
  assert.equal(statSync(path).mode & 0o777, 0o600);
});

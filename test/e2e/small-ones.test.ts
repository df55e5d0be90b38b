// Issue 21, point 10: small things a user runs into, each refused with words that point to the fix.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { test } from 'node:test';
import { startFakeUpstream } from '../fake-upstream/index.ts';
import { BIN, cleanEnv, runCli, tempHome } from '../helpers/cli.ts';

test('--api-key points to --api-key-file (not --no-key) and never prints the key given with it', async () => {
  const home = tempHome();
  for (const args of [
    ['providers', 'add', 'groq', '--api-key=gsk-CANARY-cmdline-9f2e'],
    ['chat', '--api-key', 'gsk-CANARY-cmdline-9f2e', 'hi'],
  ]) {
    const r = await runCli(args, { home });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--api-key-file <path>/);
    assert.doesNotMatch(r.stderr, /--no-key/);
    assert.ok(!r.stderr.includes('CANARY'), 'the key was printed back');
  }
});

test('chat with a directory on standard input: exit 2 saying so, nothing sent', async () => {
  const home = tempHome();
  const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, 'chat', 'hi'], {
      env: cleanEnv(home, { GROQ_API_KEY: 'gsk-CANARY-dir-stdin-0001', GROQ_BASE_URL: 'http://127.0.0.1:9/v1' }),
      stdio: [openSync(tmpdir(), 'r'), 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stderr }));
  });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /standard input is a directory, not text; nothing was sent/);
});

test("serve --host '' and a --cors-origin with a path: exit 2 naming the flag", async () => {
  const home = tempHome();
  const empty = await runCli(['serve', '--host', ''], { home });
  assert.equal(empty.code, 2, empty.stderr);
  assert.match(empty.stderr, /--host needs an address/);
  for (const origin of ['http://app.example/path', 'http://app.example/?q=1', 'http://user@app.example']) {
    const r = await runCli(['serve', '--port', '0', '--cors-origin', origin], { home });
    assert.equal(r.code, 2, `${origin}: ${r.stderr}`);
    assert.match(r.stderr, /--cors-origin must be an origin .*no path/);
  }
});

test('chat hi 2>/dev/full: the answer printed, exit 0 (a note that cannot be written is no failure)', async () => {
  const fake = await startFakeUpstream();
  try {
    const child = spawn(process.execPath, [BIN, 'chat', 'hi'], {
      env: cleanEnv(tempHome(), { GROQ_API_KEY: 'gsk-CANARY-devfull-0001', GROQ_BASE_URL: fake.openaiBaseUrl }),
      stdio: ['ignore', 'pipe', openSync('/dev/full', 'w')],
    });
    let stdout = '';
    child.stdout!.setEncoding('utf8').on('data', (d) => (stdout += d));
    const code = await new Promise((resolve) => child.on('close', resolve));
    assert.equal(stdout, 'Hello, world\n');
    assert.equal(code, 0);
  } finally {
    await fake.close();
  }
});

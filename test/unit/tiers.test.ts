// Two tiers of tests (README, "Testing"): test/unit/ runs inside the test process, so `npm run test:unit` needs no
// build and starts nothing; test/e2e/ starts the built binary and other processes, and only `npm test` runs it.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const TEST = fileURLToPath(new URL('..', import.meta.url));

test('a test in test/unit/ cannot start a process: the tier guard refuses it, saying where the test belongs', async () => {
  assert.throws(() => spawnSync('true'), /a test in test\/unit\/ starts no process; move it to test\/e2e\//);
  assert.throws(() => spawn(process.execPath, ['--version']), /move it to test\/e2e\//);
  await assert.rejects(import('node-pty'), /node-pty: a test in test\/unit\/ starts no process/);
});

test('every test file is in test/unit/ or test/e2e/, where one of the npm scripts runs it', () => {
  const strays = (dir: string): string[] =>
    readdirSync(join(TEST, dir), { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return dir === '' && ['unit', 'e2e'].includes(entry.name) ? [] : strays(path);
      return entry.name.endsWith('.test.ts') ? [path] : [];
    });
  assert.deepEqual(strays(''), []);
});

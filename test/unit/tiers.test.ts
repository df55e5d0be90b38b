// Two tiers of tests (README, "Testing"): test/unit/ runs inside the test process, so `npm run test:unit` needs no
// build and starts nothing; test/e2e/ starts the built binary and other processes, and only `npm test` runs it.
// A third folder, test/clients/, runs the real third-party clients through serve (`npm run test:clients`, in CI
// after `npm test`): it starts processes like e2e, and is kept out of `npm test` for its install and its time.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const TEST = fileURLToPath(new URL('..', import.meta.url));

test('a test in test/unit/ cannot start a process: the tier guard refuses it, saying where the test belongs', async () => {
  assert.throws(() => spawnSync('true'), /a test in test\/unit\/ starts no process; move it to test\/e2e\//);
  assert.throws(() => spawn(process.execPath, ['--version']), /move it to test\/e2e\//);
  await assert.rejects(import('node-pty'), /node-pty: a test in test\/unit\/ starts no process/);
});

/** Each folder a test file may live in, and the npm script that runs every test file of it. */
const RUN_BY = { unit: 'test:unit', e2e: 'test', clients: 'test:clients' } as const;

test('every test file is in test/unit/, test/e2e/ or test/clients/, where one of the npm scripts runs it', () => {
  const strays = (dir: string): string[] =>
    readdirSync(join(TEST, dir), { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return dir === '' && Object.hasOwn(RUN_BY, entry.name) ? [] : strays(path);
      return entry.name.endsWith('.test.ts') ? [path] : [];
    });
  assert.deepEqual(strays(''), []);
  const scripts: Record<string, string> = JSON.parse(readFileSync(join(TEST, '..', 'package.json'), 'utf8')).scripts;
  for (const [folder, script] of Object.entries(RUN_BY)) {
    assert.ok(scripts[script]?.includes(`test/${folder}/*.test.ts`), `npm run ${script} runs test/${folder}/*.test.ts`);
  }
  assert.ok(!scripts.test?.includes('test/clients/'), 'npm test leaves the real clients to test:clients');
});

test('CI runs the real clients after npm test', () => {
  const ci = readFileSync(join(TEST, '..', '.ci', 'run'), 'utf8');
  assert.match(ci, /^npm test\nnpm run test:clients$/m);
});

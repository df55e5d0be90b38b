// `doctor` and a key that cannot be sent (the fresh-clone tester's finding): with GROQ_API_KEY holding a space,
// `providers list` and `chat --explain` said the key was invalid while `doctor` said "ok". doctor now reports it
// the same way, with what to do, and exits 3 like any problem it cannot repair.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli, tempHome } from '../helpers/cli.ts';

test('doctor reports a key variable holding a space, as providers list does', async () => {
  const home = tempHome();
  const env = { GROQ_API_KEY: 'gsk_test canary-0001' };
  const listed = await runCli(['providers', 'list'], { home, env });
  assert.match(listed.stdout, /GROQ_API_KEY is invalid: it contains a space/);

  const r = await runCli(['doctor'], { home, env });
  assert.equal(r.code, 3, r.stdout + r.stderr);
  assert.match(
    r.stdout,
    /broken +environment variable GROQ_API_KEY: groq's key is unusable: GROQ_API_KEY is invalid: it contains a space/,
  );
  assert.match(r.stdout, /cannot repair: doctor does not change your environment: set GROQ_API_KEY to the key alone/);
  assert.doesNotMatch(r.stdout + r.stderr, /canary/, 'the key is never printed');

  const repaired = await runCli(['doctor', '--repair'], { home, env });
  assert.equal(repaired.code, 3, 'a problem --repair cannot fix still fails the run');
});

test('doctor is quiet about a usable key variable', async () => {
  const home = tempHome();
  const r = await runCli(['doctor'], { home, env: { GROQ_API_KEY: 'gsk_test-canary-0002' } });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.doesNotMatch(r.stdout, /GROQ_API_KEY/);
});

// `doctor` on a config directory that cannot be written (issue 21, point 10): every command that records usage or
// changes settings failed there while doctor said "ok", having only read. It now tries a write and reports the
// directory. The read-only file system is injected at the probe's open (works as root, where a mode does not stop
// writes), and, where this process may mount, a real read-only tmpfs shows the same.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempHome } from '../helpers/cli.ts';
import { faultEnv, withTmpfs } from '../helpers/fs-faults.ts';

test('doctor reports a config directory on a read-only file system, and --repair cannot fix it', async () => {
  const home = tempHome();
  const first = await runCli(['quota', 'set', 'llama', '--tokens', '5000'], { home });
  assert.equal(first.code, 0, first.stderr);
  const env = faultEnv({ call: 'openSync', code: 'EROFS', match: '.doctor-write-check' });
  const r = await runCli(['doctor'], { home, env });
  assert.equal(r.code, 3, r.stdout + r.stderr);
  assert.match(r.stdout, /broken +\S+: cannot be written \(read-only file system \(EROFS\)\)/);
  assert.match(r.stdout, /cannot repair: make it writable .*or set LLM_GATEWAY_HOME/);
  const repaired = await runCli(['doctor', '--repair'], { home, env });
  assert.equal(repaired.code, 3);
});

test('doctor on a writable directory leaves no probe behind', async () => {
  const home = tempHome();
  const first = await runCli(['quota', 'set', 'llama', '--tokens', '5000'], { home });
  assert.equal(first.code, 0, first.stderr);
  const r = await runCli(['doctor'], { home });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.deepEqual(
    readdirSync(home).filter((n) => n.startsWith('.doctor')),
    [],
  );
});

test('a real read-only mount', async (t) => {
  const ran = await withTmpfs(1024, async (fs) => {
    const home = join(fs.dir, 'home');
    mkdirSync(home, { mode: 0o700 });
    const first = await runCli(['quota', 'set', 'llama', '--tokens', '5000'], { home });
    assert.equal(first.code, 0, first.stderr);
    fs.readOnly();
    const r = await runCli(['doctor'], { home });
    assert.equal(r.code, 3, r.stdout + r.stderr);
    assert.match(r.stdout, /cannot be written \(read-only file system \(EROFS\)\)/);
  });
  if (!ran) t.skip('cannot mount a tmpfs here (needs root on Linux); the injected fault above covers the same path');
});

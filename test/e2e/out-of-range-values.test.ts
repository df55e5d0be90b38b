// Values past what a timer or a calendar can hold (issue 21, point 7): `--timeout 2147483` (or a settings timeout
// of 2^31 ms or more) became a 1 ms timeout that wrote a shared 30 s cooldown; LLM_GATEWAY_NOW out of range was
// "this is a bug", while `0` (read as the year 2000) and `2026-02-30` (March 2) were taken. Each is refused, naming
// the value and the range.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempHome } from '../helpers/cli.ts';

const env = { GROQ_API_KEY: 'gsk-CANARY-range-0001', GROQ_BASE_URL: 'http://127.0.0.1:9/v1' };

test('--timeout past a day: exit 2 with the limit, nothing sent', async () => {
  const r = await runCli(['chat', '--timeout', '2147484', 'hi'], { home: tempHome(), env });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /--timeout must be at most 86400 seconds \(a day\), got "2147484"/);
});

test('a settings timeout of 2^31 ms: exit 3 naming the field and the limit', async () => {
  const home = tempHome();
  writeFileSync(join(home, 'settings.json'), JSON.stringify({ timeouts: { idleMs: 2 ** 31 } }), { mode: 0o600 });
  const r = await runCli(['chat', 'hi'], { home, env });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /timeouts\.idleMs must be at most 86400000/);
});

test('LLM_GATEWAY_NOW out of range, 0 or 2026-02-30: exit 2 naming it; a real ISO day still works', async () => {
  for (const now of ['+275760-09-14T00:00:00Z', '0', '2026-02-30', '99999-01-01T00:00:00Z']) {
    const r = await runCli(['quota'], { home: tempHome(), env: { ...env, LLM_GATEWAY_NOW: now } });
    assert.equal(r.code, 2, `${now}: ${r.stderr}`);
    assert.match(r.stderr, /LLM_GATEWAY_NOW must be an ISO time between 1970 and 9999/);
    assert.doesNotMatch(r.stderr, /this is a bug/);
  }
  const ok = await runCli(['quota'], { home: tempHome(), env: { ...env, LLM_GATEWAY_NOW: '2026-02-28' } });
  assert.equal(ok.code, 0, ok.stderr);
});

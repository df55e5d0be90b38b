// `migrate` with a `.env` that is a FIFO nobody writes to (issue 21, point 10): refused at once with exit 2 and the
// path, instead of waiting for ever; nothing is written.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempHome } from '../helpers/cli.ts';

test('a .env that is a named pipe is refused, not waited on', async () => {
  const from = mkdtempSync(join(tmpdir(), 'llmgw-old-'));
  execFileSync('mkfifo', [join(from, '.env')]);
  const home = tempHome();
  const r = await runCli(['migrate', '--from', from, '--dry-run'], { home, timeoutMs: 20_000 });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /\.env is not a regular file \(a named pipe, a device or a directory\)/);
  assert.equal(existsSync(join(home, 'settings.json')), false);
});

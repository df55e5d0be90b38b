// `--api-key-file` naming a FIFO nobody writes to (issue 21, point 10): the open gives up with exit 2 naming the
// flag, as `--schema` does, instead of waiting for ever. The wait is a knob here, so no test waits seconds.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { UsageError } from '../../src/core/errors.ts';
import { readKeyFromFile } from '../../src/cli/common/secret-input.ts';

const dir = mkdtempSync(join(tmpdir(), 'llmgw-key-fifo-'));

test('a key file that is a FIFO nobody writes to is refused once the open wait passes', {
  timeout: 10_000,
}, async () => {
  const fifo = join(dir, 'key.fifo');
  execFileSync('mkfifo', [fifo]);
  await assert.rejects(readKeyFromFile(fifo, 50), (err: unknown) => {
    assert.ok(err instanceof UsageError);
    assert.match(err.message, /--api-key-file .*key\.fifo: still waiting to open it after 0\.05 s/);
    assert.match(err.hint ?? '', /--api-key-stdin/);
    return true;
  });
});

test('a key file that is a plain file is still read', async () => {
  const file = join(dir, 'key.txt');
  writeFileSync(file, 'sk-test-fifo-canary-0001\n');
  assert.equal(await readKeyFromFile(file, 50), 'sk-test-fifo-canary-0001');
});

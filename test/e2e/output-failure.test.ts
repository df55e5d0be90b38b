// Output that could not be written is a failure (issue 9.6): a script that redirects an answer to a full disk must not
// be told it was saved. /dev/full answers every write with ENOSPC; a closed pipe (`| head`) stays quiet and 0.
import assert from 'node:assert/strict';
import { closeSync, openSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { ChatE2E, type Scenario } from '../helpers/chat-e2e.ts';
import { spawnBin } from '../helpers/cli.ts';

const FULL = '/dev/full';

/** Runs the binary with stdout on `target`: a path opened for writing, or 'head' for a pipe closed after one line. */
function runTo(
  args: string[],
  env: NodeJS.ProcessEnv,
  target: string | 'head',
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const fd = target === 'head' ? undefined : openSync(target, 'w');
    const child = spawnBin(args, env, ['pipe', fd ?? 'pipe', 'pipe']);
    if (fd !== undefined) closeSync(fd);
    // `| head -c 1`: read one chunk, then close our end of the pipe.
    child.stdout?.once('data', () => child.stdout?.destroy());
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
    child.stdin!.end('');
  });
}

describe('output to a full disk is a failure, a closed pipe is not', () => {
  const e2e = new ChatE2E();
  let s: Scenario;
  before(async () => {
    s = await e2e.scenario();
  });
  after(() => e2e.close());

  for (const args of [
    ['chat', 'hi'],
    ['chat', '--no-stream', 'hi'],
    ['quota'],
    ['models', '--json'],
    ['providers', 'list'],
  ]) {
    it(`\`${args.join(' ')} > /dev/full\` exits 1 and says the output could not be written`, async () => {
      const r = await runTo(args, s.env, FULL);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /could not write the output.*ENOSPC|no space left on device/i);
      assert.doesNotMatch(r.stderr, /this is a bug| {4}at /);
    });
  }

  it('`models --json | head` (a closed pipe) stays quiet and exits 0', async () => {
    const r = await runTo(['models', '--json'], s.env, 'head');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
  });
});

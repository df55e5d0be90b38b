// Every way a key arrives is bounded and checked alike: a key file of /dev/zero once grew the process to 16.8 GB
// before it died with std::bad_alloc; now it is refused at 64 KiB with exit 2, as a too-large pipe is.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempHome } from '../helpers/cli.ts';

test('--api-key-file /dev/zero is refused at 64 KiB with exit 2, not read until memory runs out', async () => {
  const home = tempHome();
  for (const args of [
    ['providers', 'add', 'groq', '--api-key-file', '/dev/zero'],
    ['chat', '-m', 'groq:llama-3.1-8b-instant', '--api-key-file', '/dev/zero', 'hi'],
  ]) {
    // Minutes of margin for a loaded machine; the old code never finished (it died out of memory).
    const run = await runCli(args, { home, timeoutMs: 90_000 });
    assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, /the key file \/dev\/zero is larger than 64 KiB, too large to be a key/);
    assert.doesNotMatch(run.stderr, /unexpected error|bad_alloc/);
  }
  assert.equal(existsSync(join(home, 'keys.json')), false);
});

test('a key file holding a tab or a control character is refused the way stdin is, naming what is wrong', async () => {
  const home = tempHome();
  const file = join(home, 'key.txt');
  writeFileSync(file, 'gsk-first-half\tsecond-half-0000\n');
  const tab = await runCli(['providers', 'add', 'groq', '--api-key-file', file], { home });
  assert.equal(tab.code, 2);
  assert.match(tab.stderr, /does not hold a key: it contains a tab/);
  const piped = await runCli(['providers', 'add', 'groq', '--api-key-stdin'], {
    home,
    input: 'gsk-\u0004\u0004-000000000000',
  });
  assert.equal(piped.code, 2);
  assert.match(piped.stderr, /standard input does not hold a key: it contains a control character \(U\+0004\)/);
  assert.equal(existsSync(join(home, 'keys.json')), false);
});

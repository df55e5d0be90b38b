// settings.json and keys.json were read whole, with no limit: a 30 MB file of `[` took 3 s and 1.4 GB of memory,
// 300 MB took 77 s and 21 GB, and doctor read them the same way. Both are now refused over 4 MiB by their size, before
// a byte is read: exit 3 naming the file and its size. The real binary in a subprocess; the message is asserted, not
// a time (the machine may be busy).
import assert from 'node:assert/strict';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readBoundedText } from '../../src/store/files.ts';
import { runCli, tempHome } from '../helpers/cli.ts';

const FIVE_MB = '['.repeat(5 * 1000 * 1000);

test('a 5 MB settings.json of `[` was read and parsed whole (GBs of memory): exit 3 naming the file and its size', async () => {
  const home = tempHome();
  const settings = join(home, 'settings.json');
  writeFileSync(settings, FIVE_MB, { mode: 0o600 });
  for (const args of [['models', '--json'], ['doctor']]) {
    const r = await runCli(args, { home });
    assert.equal(r.code, 3, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.match(
      r.stdout + r.stderr,
      new RegExp(`${settings} is 5\\.0 MB, more than the 4 MiB a settings file can be; is it the right file\\?`),
    );
  }
});

test('a 5 MB keys.json is refused the same way, naming it', async () => {
  const home = tempHome();
  const keys = join(home, 'keys.json');
  writeFileSync(keys, FIVE_MB, { mode: 0o600 });
  const r = await runCli(['providers', 'list'], { home });
  assert.equal(r.code, 3, r.stdout + r.stderr);
  assert.match(r.stderr, new RegExp(`${keys} is 5\\.0 MB, more than the 4 MiB a keys file can be`));
});

test('a file whose size lies (/proc says 0) is still bounded by the read itself', {
  skip: process.platform !== 'linux' && '/proc is Linux',
}, () => {
  const fd = openSync('/proc/self/maps', 'r');
  try {
    assert.throws(() => readBoundedText(fd, '/proc/self/maps', 16), {
      message: /^\/proc\/self\/maps is more than the 16 bytes .* can be; is it the right file\?$/,
    });
  } finally {
    closeSync(fd);
  }
});

// A write the system refuses — a full disk, a read-only mount, a directory that cannot be made, SQLite's "database
// or disk is full" — is the user's to fix: exit 3, the path, what failed in words, no temp file left, the old file
// intact. Never "unexpected error … this is a bug", never a spin. The real binary in a subprocess, with the fault
// injected at one fs call (works as root, everywhere) or, where this process may mount, a real tiny tmpfs.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ConfigError } from '../../src/core/errors.ts';
import type { UsageRecord } from '../../src/core/types.ts';
import { openDatabase } from '../../src/store/ledger-file.ts';
import { QuotaStore } from '../../src/store/quota-store.ts';
import { ChatE2E } from '../helpers/chat-e2e.ts';
import { runCli, tempHome } from '../helpers/cli.ts';
import { faultEnv, fillDisk, tempFilesIn, withTmpfs } from '../helpers/fs-faults.ts';
import { FIXTURE } from '../helpers/migrate.ts';

const e2e = new ChatE2E();
after(() => e2e.close());

/** What none of these failures may print: they are not bugs, and expected failures show no stack. */
function assertNotABug(stderr: string): void {
  assert.doesNotMatch(stderr, /unexpected error|this is a bug/);
  assert.doesNotMatch(stderr, /\n\s+at /);
}

test('LLM_GATEWAY_HOME=/proc/1/nonexist spun at 100% CPU: chat exits 3 at once naming the directory it cannot make', {
  skip: !existsSync('/proc/1') && 'no /proc',
}, async () => {
  const s = await e2e.scenario({ steps: [{ text: ['never sent'] }] });
  // Killed after a minute: the old code never ended (Node's recursive mkdir retries ENOENT forever).
  const r = await s.run(['chat', 'hi'], { env: { LLM_GATEWAY_HOME: '/proc/1/nonexist' }, timeoutMs: 60_000 });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /cannot create the directory \/proc\/1\/nonexist: the file system does not allow it/);
  assertNotABug(r.stderr);
  assert.deepEqual(s.models(), [], 'nothing was sent');
  const add = await runCli(['providers', 'add', 'local', '--base-url', 'http://127.0.0.1:9/v1', '--no-key'], {
    home: '/proc/1/nonexist',
    timeoutMs: 60_000,
  });
  assert.equal(add.code, 3, add.stderr);
  assert.match(add.stderr, /\/proc\/1\/nonexist/);
});

test('a config directory that cannot be created (read-only parent) ended as "this is a bug": exit 3, read-only file system', async () => {
  const home = join(tempHome(), 'gateway');
  const r = await runCli(['quota', 'set', 'llama', '--tokens', '5000'], {
    home,
    env: faultEnv({ call: 'mkdirSync', code: 'EROFS', match: home }),
  });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, new RegExp(`cannot create the directory ${home}: read-only file system \\(EROFS\\)`));
  assertNotABug(r.stderr);
});

test('a full disk while saving settings: exit 3 "no space left", the old settings kept, no settings.json.tmp-* left', async () => {
  const home = tempHome();
  const first = await runCli(['quota', 'set', 'llama', '--tokens', '5000'], { home });
  assert.equal(first.code, 0, first.stderr);
  const before = readFileSync(join(home, 'settings.json'), 'utf8');

  // The disk fills between write and fsync, as delayed allocation reports it.
  const full = await runCli(['quota', 'set', 'llama', '--tokens', '6000'], {
    home,
    env: faultEnv({ call: 'fsyncSync', code: 'ENOSPC', match: 'settings.json.tmp-' }),
  });
  assert.equal(full.code, 3, full.stderr);
  assert.match(
    full.stderr,
    new RegExp(`cannot write ${join(home, 'settings.json')}: no space left on the device \\(ENOSPC\\)`),
  );
  assert.match(full.stderr, /free some space/);
  assertNotABug(full.stderr);
  assert.equal(readFileSync(join(home, 'settings.json'), 'utf8'), before, 'the old settings are intact');
  assert.deepEqual(tempFilesIn(home), [], 'no temp file is left behind');
  assert.ok(!existsSync(join(home, 'config.lock')), 'the lock is released');
});

test('a full disk while writing a key: exit 3, no key half-stored, no keys.json.tmp-* left', async () => {
  const home = tempHome();
  const r = await runCli(['providers', 'add', 'groq', '--api-key-stdin'], {
    home,
    input: 'gsk-CANARY-fulldisk-0001',
    env: faultEnv({ call: 'openSync', code: 'ENOSPC', match: 'keys.json.tmp-' }), // no inode left for the temp file
  });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /cannot write .*keys\.json: no space left on the device/);
  assert.doesNotMatch(r.stderr + r.stdout, /key stored|CANARY/);
  assert.ok(!existsSync(join(home, 'keys.json')));
  assert.deepEqual(tempFilesIn(home), []);
});

test('a symbolic link where the lock file goes made every edit spin forever: exit 3 naming it', async () => {
  const home = tempHome();
  symlinkSync(join(home, 'nowhere'), join(home, 'config.lock'));
  const r = await runCli(['quota', 'set', 'llama', '--tokens', '5000'], { home, timeoutMs: 60_000 });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /lock file .*config\.lock is not a file llm-gateway made \(it is a symbolic link\)/);
  assertNotABug(r.stderr);
});

test('SQLite "database or disk is full" ended as "this is a bug": a ConfigError naming the ledger and the full disk', () => {
  const path = join(tempHome(), 'ledger.db');
  const db = openDatabase(path);
  try {
    // The file may not grow past the pages it has: the next page SQLite needs is "database or disk is full".
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true })}`);
    const quota = new QuotaStore(db, path);
    const now = Date.parse('2026-11-26T04:00:00Z');
    const fill = () => {
      for (let i = 0; i < 10_000; i++) {
        const record: Pick<UsageRecord, 'requestId' | 'provider' | 'model' | 'tierKey'> = {
          requestId: `r${i}`,
          provider: 'groq',
          model: 'llama',
          tierKey: 'groq:llama',
        };
        quota.settle({
          ...record,
          billing: 'free-tier',
          inputTokens: 1,
          outputTokens: 1,
          estimated: false,
          outcome: 'ok',
          at: now,
        });
      }
    };
    assert.throws(fill, (err: unknown) => {
      assert.ok(err instanceof ConfigError, `a ConfigError, not ${String(err)}`);
      assert.equal(err.path, path);
      assert.match(
        err.message,
        /cannot write the quota ledger .*: no space left on the device \(database or disk is full\)/,
      );
      assert.match(err.hint ?? '', /free some space/);
      return true;
    });
  } finally {
    db.close();
  }
});

test('a real full disk (tiny tmpfs): chat exits 3 with "no space left", nothing half-written', async (t) => {
  const ran = await withTmpfs(256, async (fs) => {
    const s = await e2e.scenario({ steps: [{ text: ['hello'] }] });
    const home = join(fs.dir, 'home');
    mkdirSync(home, { mode: 0o700 });
    fillDisk(fs.dir);
    const r = await s.run(['chat', 'hi'], { env: { LLM_GATEWAY_HOME: home } });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /no space left on the device/);
    assert.ok(r.stderr.includes(home), r.stderr);
    assertNotABug(r.stderr);
    assert.deepEqual(tempFilesIn(home), []);
    const add = await runCli(['quota', 'set', 'llama', '--tokens', '5000'], { home });
    assert.equal(add.code, 3, add.stderr);
    assert.match(add.stderr, /no space left on the device \(ENOSPC\)/);
    assert.deepEqual(tempFilesIn(home), []);
  });
  if (!ran) t.skip('cannot mount a tmpfs here (needs root on Linux); the injected faults above cover the same paths');
});

test('a real read-only mount: edits and chat exit 3 with "read-only file system"', async (t) => {
  const ran = await withTmpfs(1024, async (fs) => {
    const home = join(fs.dir, 'home');
    mkdirSync(home, { mode: 0o700 });
    fs.readOnly();
    const add = await runCli(['quota', 'set', 'llama', '--tokens', '5000'], { home });
    assert.equal(add.code, 3, add.stderr);
    assert.match(add.stderr, /read-only file system \(EROFS\)/);
    assertNotABug(add.stderr);
    const s = await e2e.scenario({ steps: [{ text: ['hello'] }] });
    const chat = await s.run(['chat', 'hi'], { env: { LLM_GATEWAY_HOME: home } });
    assert.equal(chat.code, 3, chat.stderr);
    assert.match(chat.stderr, /read-only file system/);
    assertNotABug(chat.stderr);
    const missing = await runCli(['quota', 'set', 'llama', '--tokens', '5000'], { home: join(fs.dir, 'not-yet') });
    assert.equal(missing.code, 3, missing.stderr);
    assert.match(missing.stderr, /cannot create the directory .*not-yet: read-only file system/);
  });
  if (!ran) t.skip('cannot mount a tmpfs here (needs root on Linux); the injected faults above cover the same paths');
});

test('a full disk while migrate copies the config aside ended as "this is a bug": exit 3, no half copy, nothing written', async () => {
  const home = tempHome();
  const first = await runCli(['quota', 'set', 'llama', '--tokens', '5000'], { home });
  assert.equal(first.code, 0, first.stderr);
  const before = readFileSync(join(home, 'settings.json'), 'utf8');
  const r = await runCli(['migrate', '--from', FIXTURE], {
    home,
    env: {
      LLM_GATEWAY_NOW: '2026-02-20T12:00:00Z',
      ...faultEnv({ call: 'copyFileSync', code: 'ENOSPC', match: 'settings.json' }),
    },
  });
  assert.equal(r.code, 3, r.stderr);
  assert.match(
    r.stderr,
    /cannot copy settings, keys and ledger into .*before-migrate-.*: no space left on the device \(ENOSPC\)/,
  );
  assertNotABug(r.stderr);
  assert.deepEqual(
    readdirSync(home).filter((name) => name.startsWith('before-migrate-')),
    [],
    'no half copy passes for a backup',
  );
  assert.equal(readFileSync(join(home, 'settings.json'), 'utf8'), before, 'nothing was migrated');
});

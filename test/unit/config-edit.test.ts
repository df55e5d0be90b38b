// editConfig, the one writer of settings.json and keys.json: fresh reads under a lock, both files or neither, a
// schema version stamped on every save, and files of older and newer schemas handled on read.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../src/core/errors.ts';
import { editConfig } from '../../src/store/config-edit.ts';
import { LOCK_NAME, withConfigLock } from '../../src/store/config-lock.ts';
import { storePaths } from '../../src/store/paths.ts';
import { loadSettings } from '../../src/store/settings.ts';
import { SETTINGS_SCHEMA_VERSION, upgradeSettings } from '../../src/store/settings-schema.ts';
import { tempHome } from '../helpers/cli.ts';

const read = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

describe('editConfig', () => {
  it('reads the files as they are on disk at the moment of the edit, not a copy taken earlier', () => {
    const paths = storePaths(tempHome());
    editConfig(paths, (d) => {
      d.settings.providers = { a: { baseUrl: 'https://a.example/v1' } };
      d.keys.a = { key: 'key-a' };
    });
    // Another process adds b in between: our edit must keep it.
    writeFileSync(
      paths.settings,
      JSON.stringify({ providers: { a: { baseUrl: 'https://a.example/v1' }, b: { baseUrl: 'https://b.example/v1' } } }),
    );
    editConfig(paths, (d) => {
      d.settings.providers = { ...d.settings.providers, c: { baseUrl: 'https://c.example/v1' } };
      d.keys.c = { key: 'key-c' };
    });
    assert.deepEqual(Object.keys(read(paths.settings).providers), ['a', 'b', 'c']);
    assert.deepEqual(read(paths.keys).keys, { a: 'key-a', c: 'key-c' });
  });

  it('stamps the current schema version first in the file and keeps the user’s $notes', () => {
    const paths = storePaths(tempHome());
    writeFileSync(paths.settings, JSON.stringify({ $comment: 'mine', allowPaid: true }));
    editConfig(paths, (d) => {
      d.settings.longPromptTokens = 5000;
    });
    const text = readFileSync(paths.settings, 'utf8');
    assert.match(text, /^\{\n {2}"schemaVersion": 1,/);
    assert.deepEqual(read(paths.settings), {
      schemaVersion: SETTINGS_SCHEMA_VERSION,
      $comment: 'mine',
      allowPaid: true,
      longPromptTokens: 5000,
    });
  });

  it('an edit that throws writes nothing, and returns what the edit returns otherwise', () => {
    const paths = storePaths(tempHome());
    assert.throws(() =>
      editConfig(paths, (d) => {
        d.keys.x = { key: 'key-x' };
        throw new Error('changed my mind');
      }),
    );
    assert.deepEqual(readdirSync(paths.dir), [], 'no file and no lock left behind');
    assert.equal(
      editConfig(paths, () => 42),
      42,
    );
    assert.deepEqual(readdirSync(paths.dir), [], 'an edit that changes nothing writes nothing');
  });

  it('settings and keys change together or not at all: a failed settings write puts the old keys back', () => {
    const paths = storePaths(tempHome());
    editConfig(paths, (d) => {
      d.keys.a = { key: 'key-a' };
      d.settings.allowPaid = false;
    });
    const keysBefore = readFileSync(paths.keys, 'utf8');
    assert.throws(
      () =>
        editConfig(paths, (d) => {
          d.keys.b = { key: 'key-b' };
          d.settings.allowPaid = true;
          // After the read, settings.json turns into a directory: renaming the new file over it fails.
          rmSync(paths.settings);
          mkdirSync(paths.settings);
        }),
      /EISDIR|ENOTEMPTY|EEXIST/,
    );
    assert.equal(readFileSync(paths.keys, 'utf8'), keysBefore, 'keys.json as it was');
    assert.deepEqual(
      readdirSync(paths.dir).filter((f) => f.includes('.tmp-')),
      [],
      'no temp file left behind',
    );
  });

  it('a broken file stops the edit before anything is written', () => {
    const paths = storePaths(tempHome());
    writeFileSync(paths.keys, '{"keys": {"a": "key-a"}}');
    writeFileSync(paths.settings, '{ not json');
    assert.throws(() => editConfig(paths, (d) => void (d.keys.b = { key: 'key-b' })), ConfigError);
    assert.equal(readFileSync(paths.keys, 'utf8'), '{"keys": {"a": "key-a"}}');
    assert.equal(readFileSync(paths.settings, 'utf8'), '{ not json');
  });
});

describe('settings schema', () => {
  it('a file without schemaVersion predates versioning and loads as version 1', () => {
    const dir = tempHome();
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ allowPaid: true }));
    assert.deepEqual(loadSettings(join(dir, 'settings.json')), { schemaVersion: 1, allowPaid: true });
  });

  it('a file from a newer release is refused, naming both versions, and left as it is', () => {
    const path = join(tempHome(), 'settings.json');
    writeFileSync(path, JSON.stringify({ schemaVersion: 99, somethingNew: true }));
    assert.throws(
      () => loadSettings(path),
      (err: unknown) =>
        err instanceof ConfigError &&
        /newer llm-gateway \(schema 99; this version knows up to 1\)/.test(err.message) &&
        err.path === path,
    );
    assert.equal(read(path).schemaVersion, 99);
  });

  it('runs the migrations after the file’s version, in order, and only those', () => {
    const migrations = [
      {
        name: 's002_rename_paid',
        up: (raw: Record<string, unknown>) => ({ ...raw, allowPaid: raw.paid, paid: undefined }),
      },
      {
        name: 's003_mark',
        up: (raw: Record<string, unknown>) => ({ ...raw, marks: [...((raw.marks as string[]) ?? []), 's003'] }),
      },
    ];
    assert.deepEqual(upgradeSettings({ paid: true }, 'settings.json', migrations), {
      allowPaid: true,
      paid: undefined,
      marks: ['s003'],
      schemaVersion: 3,
    });
    assert.deepEqual(upgradeSettings({ schemaVersion: 3, marks: [] }, 'settings.json', migrations), {
      marks: [],
      schemaVersion: 3,
    });
    assert.deepEqual(upgradeSettings({ schemaVersion: 2, marks: ['x'] }, 'settings.json', migrations), {
      marks: ['x', 's003'],
      schemaVersion: 3,
    });
    assert.throws(() => upgradeSettings({ schemaVersion: 0 }, 'settings.json', migrations), /whole number from 1/);
  });
});

describe('the config lock', () => {
  it('waits for the holder and then gives up with the holder named', () => {
    const dir = tempHome();
    const inner = withConfigLock(dir, () => {
      assert.throws(
        () => withConfigLock(dir, () => 'never', { waitMs: 50 }),
        (err: unknown) => err instanceof ConfigError && err.message.includes(`locked by process ${process.pid}`),
      );
      return true;
    });
    assert.equal(inner, true);
    assert.ok(!existsSync(join(dir, LOCK_NAME)), 'released after use');
  });

  it('breaks a lock whose holder died, and one older than the stale limit', () => {
    const dir = tempHome();
    // A holder no process can be: pids stop below 2^22 on Linux (PID_MAX_LIMIT) and far below on macOS.
    const dead = 2 ** 22 + 1;
    writeFileSync(join(dir, LOCK_NAME), JSON.stringify({ pid: dead, at: Date.now(), token: 'dead' }));
    assert.equal(
      withConfigLock(dir, () => 'got it', { waitMs: 2000 }),
      'got it',
    );
    writeFileSync(join(dir, LOCK_NAME), JSON.stringify({ pid: process.ppid, at: Date.now() - 60_000, token: 'old' }));
    assert.equal(
      withConfigLock(dir, () => 'got it too', { waitMs: 2000, staleMs: 30_000 }),
      'got it too',
    );
    assert.deepEqual(readdirSync(dir), [], 'nothing left behind');
  });
});

describe('one writer', () => {
  it('only config-edit.ts writes settings.json and keys.json: no other source file renders or writes them', async () => {
    const { readdirSync, readFileSync, statSync } = await import('node:fs');
    const src = new URL('../../src/', import.meta.url).pathname;
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((n) =>
        statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : n.endsWith('.ts') ? [join(dir, n)] : [],
      );
    const writers = files(src)
      // Other files of their own (serve's access key) may use the atomic writer; settings and keys may not.
      .filter((f) =>
        /writePrivateFileAtomic\([^)]*(settings|keys)|settingsText\(|keysText\(/i.test(readFileSync(f, 'utf8')),
      )
      .map((f) => f.slice(src.length))
      .sort();
    assert.deepEqual(writers, ['store/config-edit.ts', 'store/keys.ts', 'store/settings.ts']);
  });
});

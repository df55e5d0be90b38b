// A ledger locked by another process (sqlite3's BEGIN EXCLUSIVE, a backup tool) was "unexpected error … this is a
// bug", exit 1, and a 500 in `serve` (issue 21, point 7). It is exit 3 "locked by another process; try again", and
// a 503 with Retry-After. The busy timeout is a knob here, so the test waits 50 ms, not the 10 s a command waits.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { exitCodeOf } from '../../src/cli/common/exit-codes.ts';
import { ConfigError } from '../../src/core/errors.ts';
import { httpErrorOf } from '../../src/server/error-map.ts';
import { openLedger } from '../../src/store/ledger.ts';
import { reservation, tempDir } from '../helpers/ledger-fixtures.ts';

test('a ledger held by another process: exit 3 "locked by another process; try again", 503 with Retry-After', () => {
  const path = join(tempDir(), 'ledger.db');
  openLedger(path).close(); // a sound ledger
  const ledger = openLedger(path, { busyTimeoutMs: 50 });
  const other = new Database(path);
  other.exec('BEGIN EXCLUSIVE');
  try {
    let caught: unknown;
    try {
      ledger.quota.reserve(reservation('r1'));
    } catch (err) {
      caught = err;
    }
    assert.ok(caught instanceof ConfigError, String(caught));
    assert.match(caught.message, /is locked by another process; try again/);
    assert.equal(exitCodeOf(caught), 3);
    const http = httpErrorOf(caught, { secrets: [] });
    assert.equal(http.status, 503);
    assert.equal(http.headers['retry-after'], '5');
    assert.doesNotMatch(http.message, new RegExp(path));
  } finally {
    other.exec('ROLLBACK');
    other.close();
    ledger.close();
  }
});

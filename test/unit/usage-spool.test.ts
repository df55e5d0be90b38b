// The usage kept while the shared database is unreachable (store/postgres/usage-spool.ts): a record appended while
// another process takes the spool for a replay is neither lost nor counted twice, and a spool a process left
// renamed behind (it died mid-replay) is replayed by the next one. The other process is played here by what it does
// to the file: it holds the config lock while it appends, as `keep` does.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, existsSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { UsageRecord } from '../../src/core/types.ts';
import { withConfigLock } from '../../src/store/config-lock.ts';
import { UsageSpool } from '../../src/store/postgres/usage-spool.ts';
import { tempDir, usage } from '../helpers/ledger-fixtures.ts';

/** A database that counts each request id once, as the shared ledger does, and remembers every replayed record. */
function ledger() {
  const counted = new Map<string, number>();
  return {
    counted,
    settle: async (records: UsageRecord[]) => {
      for (const r of records) counted.set(r.requestId, (counted.get(r.requestId) ?? 0) + 1);
    },
  };
}

describe('usage spool', () => {
  it('a record another process is appending while a replay starts is replayed later, once', async () => {
    const dir = tempDir();
    const path = join(dir, 'pending-usage.jsonl');
    const spool = new UsageSpool(path, { replayLockWaitMs: 0 });
    spool.keep(usage('first'));
    const db = ledger();
    // The other process has opened the spool to append (holding the lock, as keep does) when this one replays.
    const during = await withConfigLock(dir, async () => {
      const fd = openSync(path, 'a');
      const replay = spool.replay(db.settle);
      writeSync(fd, `${JSON.stringify(usage('appended'))}\n`);
      closeSync(fd);
      return replay;
    });
    const later = await spool.replay(db.settle);
    assert.deepEqual(Object.fromEntries(db.counted), { first: 1, appended: 1 }, 'none lost, none counted twice');
    assert.deepEqual([during, later], [0, 2], 'the replay left the spool to the writer holding the lock');
    assert.equal(existsSync(path), false);
    assert.equal(spool.pending, false);
  });

  it('a spool renamed by a process that died before settling it is replayed by the next process', async () => {
    const dir = tempDir();
    const path = join(dir, 'pending-usage.jsonl');
    writeFileSync(join(dir, 'pending-usage.jsonl.99999'), `${JSON.stringify(usage('orphan'))}\n`, { mode: 0o600 });
    const spool = new UsageSpool(path);
    assert.equal(spool.pending, true);
    const db = ledger();
    assert.equal(await spool.replay(db.settle), 1);
    assert.deepEqual(Object.fromEntries(db.counted), { orphan: 1 });
    assert.equal(spool.pending, false);
  });

  it('a replay whose settle fails keeps the records for the next one', async () => {
    const dir = tempDir();
    const path = join(dir, 'pending-usage.jsonl');
    const spool = new UsageSpool(path);
    spool.keep(usage('kept'));
    await assert.rejects(
      spool.replay(async () => {
        throw new Error('the database went away again');
      }),
    );
    assert.equal(spool.pending, true);
    spool.keep(usage('later'));
    const db = ledger();
    assert.equal(await spool.replay(db.settle), 2);
    assert.deepEqual(Object.fromEntries(db.counted), { kept: 1, later: 1 });
  });
});

// ledger.db alone is the whole ledger once a command has ended (the fresh-clone tester's finding): SQLite keeps
// recent writes in ledger.db-wal until a checkpoint, so a backup that copied ledger.db alone lost them, and the next
// command on the restored copy started an empty schema. A command now closes the ledger on its way out, which folds
// the WAL back in; `doctor` flags a ledger without tables that has a WAL beside it.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { openLedger } from '../../src/store/ledger.ts';
import { ChatE2E, LLAMA, usageRows } from '../helpers/chat-e2e.ts';
import { runCli, tempHome } from '../helpers/cli.ts';

const e2e = new ChatE2E();
after(() => e2e.close());

test('after chat ends, ledger.db copied alone holds the call it recorded', async () => {
  const s = await e2e.scenario({ keys: ['groq'] });
  const r = await s.run(['chat', '--no-log', '-m', `groq:${LLAMA}`, 'hi']);
  assert.equal(r.code, 0, r.stderr);
  const wal = join(s.home, 'ledger.db-wal');
  assert.ok(!existsSync(wal) || statSync(wal).size === 0, 'a WAL with pages not yet in ledger.db was left');

  const backup = mkdtempSync(join(tmpdir(), 'llmgw-backup-'));
  copyFileSync(join(s.home, 'ledger.db'), join(backup, 'ledger.db'));
  const rows = usageRows(backup);
  assert.equal(rows.length, 1, 'the copy of ledger.db alone lacks the recorded call');
  assert.equal(rows[0]?.model, LLAMA);
});

test('doctor flags a ledger with no tables beside a WAL that is not its own, and --repair moves both aside', async () => {
  const home = tempHome();
  const path = join(home, 'ledger.db');
  // What a backup of ledger.db alone looks like when everything was still in the WAL: a header, no tables.
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.close();
  writeFileSync(`${path}-wal`, Buffer.alloc(4096, 7)); // a WAL from another copy: SQLite cannot replay it
  const r = await runCli(['doctor'], { home });
  assert.equal(r.code, 3, r.stdout + r.stderr);
  assert.match(r.stdout, /ledger\.db: .*has no tables, yet a WAL file \(4,096 bytes\) is beside it/);
  assert.match(r.stdout, /ledger\.db copied back without its -wal/);

  const repaired = await runCli(['doctor', '--repair'], { home });
  assert.equal(repaired.code, 0, repaired.stdout + repaired.stderr);
  assert.match(repaired.stdout, /kept the broken ledger as .*ledger\.db\.corrupt-/);
  assert.ok(!existsSync(`${path}-wal`), 'the foreign WAL was left beside the next ledger');
});

test('doctor says ok for a ledger whose WAL holds its tables', async () => {
  const home = tempHome();
  const path = join(home, 'ledger.db');
  // Held open, as a running serve would hold it: its tables sit in the WAL, not yet in ledger.db.
  const ledger = openLedger(path);
  const db = new Database(path);
  db.pragma('wal_autocheckpoint = 0');
  db.prepare('CREATE TABLE IF NOT EXISTS doctor_probe (x)').run();
  try {
    assert.ok(statSync(`${path}-wal`).size > 0);
    const r = await runCli(['doctor'], { home });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.doesNotMatch(r.stdout, /no tables/);
  } finally {
    db.close();
    ledger.close();
  }
});

// Conversations whose messages hold parts (an image attached with `chat --attach`): stored as JSON beside their
// text (ledger migration m007_message_parts), read back as they were written, image bytes included; a ledger made
// before the migration keeps its text messages; a damaged row is reported with where it is.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { ConfigError } from '../../src/core/errors.ts';
import type { Message } from '../../src/core/types.ts';
import { openLedger } from '../../src/store/ledger.ts';
import { MIGRATIONS } from '../../src/store/ledger-schema.ts';
import { PNG_1X1 } from '../fixtures/images.ts';
import { T0, tempDir } from '../helpers/ledger-fixtures.ts';

const withImage: Message = {
  role: 'user',
  content: [
    { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: PNG_1X1.toString('base64') } },
    { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.jpg' } },
    { type: 'text', text: 'what differs?' },
  ],
};

test('a message with an image round-trips, bytes included; its text stays queryable; plain text stays a string', () => {
  const path = join(tempDir(), 'ledger.db');
  const ledger = openLedger(path);
  ledger.conversations.append('c', [withImage, { role: 'assistant', content: 'The colour.' }], T0);
  ledger.close();

  const reopened = openLedger(path);
  assert.deepEqual(reopened.conversations.load('c'), [withImage, { role: 'assistant', content: 'The colour.' }]);
  reopened.close();
  const db = new Database(path, { readonly: true });
  const rows = db.prepare('SELECT content, parts IS NULL AS plain FROM messages ORDER BY seq').all();
  db.close();
  assert.deepEqual(rows, [
    { content: 'what differs?', plain: 0 },
    { content: 'The colour.', plain: 1 },
  ]);
});

test('a ledger from before the migration keeps its conversations and takes parts from then on', () => {
  const path = join(tempDir(), 'ledger.db');
  const old = new Database(path);
  const before = MIGRATIONS.findIndex((m) => m.name === 'm007_message_parts');
  for (const migration of MIGRATIONS.slice(0, before)) old.exec(migration.sql);
  old.pragma(`user_version = ${before}`);
  old.prepare("INSERT INTO conversations VALUES ('c', 1, 1)").run();
  old
    .prepare(
      "INSERT INTO messages (conversation_id, seq, role, content, at) VALUES ('c', 1, 'user', 'hi', 1), ('c', 2, 'assistant', 'hello', 1)",
    )
    .run();
  old.close();

  const ledger = openLedger(path);
  assert.deepEqual(ledger.conversations.load('c'), [
    { role: 'user', content: 'hi' },
    { role: 'assistant', content: 'hello' },
  ]);
  ledger.conversations.append('c', [withImage], T0);
  assert.deepEqual(ledger.conversations.load('c')?.at(-1), withImage);
  ledger.close();
});

test('parts that cannot be read are reported as damage in that conversation and message, not as a broken quota', () => {
  const path = join(tempDir(), 'ledger.db');
  const ledger = openLedger(path);
  ledger.conversations.append('c', [withImage], T0);
  ledger.close();
  const db = new Database(path);
  db.prepare('UPDATE messages SET parts = \'{"type": "text"\' WHERE seq = 1').run();
  db.close();
  const damaged = openLedger(path);
  assert.throws(
    () => damaged.conversations.load('c'),
    (err: unknown) =>
      err instanceof ConfigError &&
      /conversation history in .* is damaged: message 1 of conversation c holds unreadable parts/.test(err.message) &&
      /--no-log/.test(err.hint ?? ''),
  );
  damaged.close();
});

// The rules both ledger schemas share (store/migrations.ts): migrations named `mNNN_what` in the order they run, and
// a store a newer release migrated refused rather than altered (each database's refusal is tested with it:
// test/unit/ledger.test.ts, test/e2e/postgres-ledger.test.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MIGRATIONS } from '../../src/store/ledger-schema.ts';
import { NewerSchemaError, pendingMigrations } from '../../src/store/migrations.ts';
import { PG_MIGRATIONS } from '../../src/store/postgres/pg-schema.ts';

describe('ledger migrations', () => {
  for (const [name, list] of [
    ['SQLite', MIGRATIONS],
    ['PostgreSQL', PG_MIGRATIONS],
  ] as const) {
    it(`${name}: each named mNNN_what, numbered in the order they run, no name twice`, () => {
      const numbers = list.map((m) => {
        assert.match(m.name, /^m\d{3}_[a-z0-9_]+$/);
        return Number(m.name.slice(1, 4));
      });
      assert.deepEqual(
        numbers,
        [...numbers].sort((a, b) => a - b),
      );
      assert.equal(new Set(numbers).size, numbers.length);
    });
  }

  it('what a store still needs, each with the version it brings; a store past the list is refused', () => {
    const list = [
      { name: 'm001_a', sql: 'A' },
      { name: 'm002_b', sql: 'B' },
    ];
    assert.deepEqual(pendingMigrations(list, 0), [
      { name: 'm001_a', sql: 'A', version: 1 },
      { name: 'm002_b', sql: 'B', version: 2 },
    ]);
    assert.deepEqual(pendingMigrations(list, 2), []);
    assert.throws(
      () => pendingMigrations(list, 3),
      (err: unknown) => err instanceof NewerSchemaError && err.message === 'schema 3; this version knows up to 2',
    );
  });
});

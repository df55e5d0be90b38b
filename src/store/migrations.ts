// What the ledger's two schemas share (ledger-schema.ts on SQLite, postgres/pg-schema.ts on PostgreSQL): named
// migrations, only ever appended, never edited, since databases in the field already ran the old ones; a store's
// version is how many it has run; a store at a version this binary does not know was migrated by a newer release,
// and is refused, never altered. How each database records its version and keeps two processes from migrating at
// once stays with it.

export interface Migration {
  /** `mNNN_what`, numbered in the order they run (test/unit/ledger-migrations.test.ts holds both lists to it). */
  name: string;
  sql: string;
}

/** A store migrated past what this binary knows. */
export class NewerSchemaError extends Error {
  constructor(
    readonly version: number,
    readonly known: number,
  ) {
    super(`schema ${version}; this version knows up to ${known}`);
  }
}

/** The migrations a store at `version` still needs, in order, each with the version it brings the store to. */
export function pendingMigrations<M extends Migration>(
  migrations: readonly M[],
  version: number,
): Array<M & { version: number }> {
  if (version > migrations.length) throw new NewerSchemaError(version, migrations.length);
  return migrations.slice(version).map((m, i) => ({ ...m, version: version + i + 1 }));
}

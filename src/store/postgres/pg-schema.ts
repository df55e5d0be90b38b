// The shared ledger's schema on PostgreSQL as named, ordered migrations, the same shape as ledger-schema.ts for
// SQLite (migrations.ts holds what the two share): only ever appended, never edited. What several machines share lives here (usage, daily totals,
// reservations, cooldowns, resets, the request log and the small facts of ledger_meta); conversations stay in each
// machine's ledger.db. The
// version is the number of rows in ledger_migrations. Whichever process connects first applies what is missing,
// all of it in one transaction under an advisory lock, so processes starting together on several hosts neither
// apply a migration twice nor see one half done; a database that a newer release has migrated further is refused
// before anything is written.
import type { PoolClient } from 'pg';
import { type Migration, pendingMigrations } from '../migrations.ts';
import { usedSinceSql } from '../usage-daily.ts';

export { NewerSchemaError } from '../migrations.ts';

/** The first key of every tier lock: "llmg", so our advisory locks never meet another program's. */
const TIER_LOCK_SPACE = 0x6c6c6d67;

/** Epoch milliseconds and token counts are BIGINT: JavaScript numbers, read back through the pool's parsers. */
export const PG_MIGRATIONS: readonly Migration[] = [
  {
    // m001_quota, m003_usage_detail and m004_structured_cooldowns of the SQLite ledger, in their final shape.
    name: 'm001_quota',
    sql: `
      CREATE TABLE usage (
        request_id         TEXT PRIMARY KEY,
        provider           TEXT NOT NULL,
        model              TEXT NOT NULL,
        tier_key           TEXT,
        billing            TEXT NOT NULL CHECK (billing IN ('free-tier', 'free', 'paid')),
        input_tokens       BIGINT NOT NULL CHECK (input_tokens >= 0),
        output_tokens      BIGINT NOT NULL CHECK (output_tokens >= 0),
        reasoning_tokens   BIGINT CHECK (reasoning_tokens >= 0),
        cache_read_tokens  BIGINT CHECK (cache_read_tokens >= 0),
        cache_write_tokens BIGINT CHECK (cache_write_tokens >= 0),
        estimated          SMALLINT NOT NULL CHECK (estimated IN (0, 1)),
        outcome            TEXT NOT NULL,
        at                 BIGINT NOT NULL
      );
      CREATE INDEX usage_by_tier ON usage (tier_key, at) INCLUDE (input_tokens, output_tokens)
        WHERE tier_key IS NOT NULL;
      CREATE INDEX usage_by_time ON usage (at);

      CREATE TABLE reservations (
        request_id TEXT PRIMARY KEY,
        tier_key   TEXT NOT NULL,
        tokens     BIGINT NOT NULL CHECK (tokens >= 0),
        expires_at BIGINT NOT NULL,
        created_at BIGINT NOT NULL
      );
      CREATE INDEX reservations_by_tier ON reservations (tier_key, expires_at) INCLUDE (tokens);
      CREATE INDEX reservations_by_expiry ON reservations (expires_at);

      CREATE TABLE cooldowns (
        provider    TEXT NOT NULL,
        model       TEXT NOT NULL DEFAULT '',
        key_fp      TEXT NOT NULL DEFAULT '',
        endpoint_fp TEXT NOT NULL DEFAULT '',
        kind        TEXT NOT NULL,
        until       BIGINT NOT NULL,
        reason      TEXT NOT NULL,
        PRIMARY KEY (provider, model, key_fp, endpoint_fp)
      );
      CREATE INDEX cooldowns_by_until ON cooldowns (until);

      CREATE TABLE tier_resets (
        tier_key TEXT PRIMARY KEY,
        at       BIGINT NOT NULL
      );

      -- A tier's check-and-reserve as one call (pg-quota.ts says why): the tier's advisory lock, held until the
      -- call's transaction ends, then each statement with a fresh snapshot (a VOLATILE function's statements each
      -- see what was committed when they start, so after the lock, every earlier booking of the tier).
      CREATE FUNCTION llmgw_reserve(p_request TEXT, p_tier TEXT, p_tokens BIGINT, p_limit BIGINT, p_start BIGINT,
                                    p_now BIGINT, p_expires BIGINT) RETURNS BOOLEAN
      LANGUAGE plpgsql VOLATILE AS $fn$
      DECLARE
        taken BIGINT;
      BEGIN
        PERFORM pg_advisory_xact_lock(${TIER_LOCK_SPACE}, hashtext(p_tier));
        -- Reservations of processes that died never settle; once expired they are dropped, so nothing leaks.
        DELETE FROM reservations WHERE tier_key = p_tier AND expires_at <= p_now;
        WITH s AS (
          SELECT p_tier AS key, greatest(p_start, coalesce((SELECT at FROM tier_resets WHERE tier_key = p_tier), 0)) AS since
        )
        SELECT ${usedSinceSql('s.key', 's.since')}
          + (SELECT coalesce(sum(tokens), 0) FROM reservations WHERE tier_key = p_tier AND request_id <> p_request)
        INTO taken FROM s;
        IF taken + p_tokens > p_limit THEN
          RETURN FALSE;
        END IF;
        -- A request id reserving again replaces its own hold rather than stacking on it.
        INSERT INTO reservations (request_id, tier_key, tokens, expires_at, created_at)
          VALUES (p_request, p_tier, p_tokens, p_expires, p_now)
        ON CONFLICT (request_id) DO UPDATE SET
          tier_key = excluded.tier_key, tokens = excluded.tokens, expires_at = excluded.expires_at;
        RETURN TRUE;
      END
      $fn$;
    `,
  },
  {
    // m006_daily_usage of the SQLite ledger.
    name: 'm006_daily_usage',
    sql: `
      CREATE TABLE usage_daily (
        tier_key           TEXT NOT NULL,
        day                BIGINT NOT NULL,
        provider           TEXT NOT NULL,
        model              TEXT NOT NULL,
        billing            TEXT NOT NULL,
        outcome            TEXT NOT NULL,
        calls              BIGINT NOT NULL,
        estimated_calls    BIGINT NOT NULL,
        input_tokens       BIGINT NOT NULL,
        output_tokens      BIGINT NOT NULL,
        reasoning_tokens   BIGINT,
        cache_read_tokens  BIGINT,
        cache_write_tokens BIGINT,
        PRIMARY KEY (tier_key, day, provider, model, billing, outcome)
      );
      CREATE TABLE ledger_meta (
        name  TEXT PRIMARY KEY,
        value BIGINT NOT NULL
      );
    `,
  },
  {
    // A free tier is a set of limits (core/limits.ts): the reservation checks each in its unit — requests (one a
    // call, one a hold), input tokens (a hold counts whole) or tokens — under the same advisory lock, in one call.
    name: 'm008_reserve_limits',
    sql: `
      CREATE FUNCTION llmgw_reserve_limits(p_request TEXT, p_tier TEXT, p_tokens BIGINT, p_input BIGINT,
                                           p_units TEXT[], p_starts BIGINT[], p_limits BIGINT[],
                                           p_now BIGINT, p_expires BIGINT) RETURNS BOOLEAN
      LANGUAGE plpgsql VOLATILE AS $fn$
      DECLARE
        used BIGINT;
        held BIGINT;
        need BIGINT;
      BEGIN
        PERFORM pg_advisory_xact_lock(${TIER_LOCK_SPACE}, hashtext(p_tier));
        DELETE FROM reservations WHERE tier_key = p_tier AND expires_at <= p_now;
        FOR i IN 1 .. coalesce(array_length(p_units, 1), 0) LOOP
          IF p_units[i] = 'requests' THEN
            WITH s AS (
              SELECT p_tier AS key,
                greatest(p_starts[i], coalesce((SELECT at FROM tier_resets WHERE tier_key = p_tier), 0)) AS since
            )
            SELECT ${usedSinceSql('s.key', 's.since', 'requests')} INTO used FROM s;
            SELECT count(*) INTO held FROM reservations WHERE tier_key = p_tier AND request_id <> p_request;
            need := 1;
          ELSIF p_units[i] = 'input_tokens' THEN
            WITH s AS (
              SELECT p_tier AS key,
                greatest(p_starts[i], coalesce((SELECT at FROM tier_resets WHERE tier_key = p_tier), 0)) AS since
            )
            SELECT ${usedSinceSql('s.key', 's.since', 'input_tokens')} INTO used FROM s;
            SELECT coalesce(sum(tokens), 0) INTO held FROM reservations WHERE tier_key = p_tier AND request_id <> p_request;
            need := p_input;
          ELSE
            WITH s AS (
              SELECT p_tier AS key,
                greatest(p_starts[i], coalesce((SELECT at FROM tier_resets WHERE tier_key = p_tier), 0)) AS since
            )
            SELECT ${usedSinceSql('s.key', 's.since', 'tokens')} INTO used FROM s;
            SELECT coalesce(sum(tokens), 0) INTO held FROM reservations WHERE tier_key = p_tier AND request_id <> p_request;
            need := p_tokens;
          END IF;
          IF used + held + need > p_limits[i] THEN
            RETURN FALSE;
          END IF;
        END LOOP;
        INSERT INTO reservations (request_id, tier_key, tokens, expires_at, created_at)
          VALUES (p_request, p_tier, p_tokens, p_expires, p_now)
        ON CONFLICT (request_id) DO UPDATE SET
          tier_key = excluded.tier_key, tokens = excluded.tokens, expires_at = excluded.expires_at;
        RETURN TRUE;
      END
      $fn$;
    `,
  },
  {
    // m008_request_log of the SQLite ledger: the request log and its daily totals, so `log` and `usage` on any host
    // show every host's requests. `seq` is an identity, and pg-activity.ts takes a lock around each write so that
    // rows commit in seq order: `log --follow`, reading on after the last seq it showed, skips none.
    name: 'm009_request_log',
    sql: `
      CREATE TABLE requests (
        seq             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id              TEXT NOT NULL UNIQUE,
        at              BIGINT NOT NULL,
        origin          TEXT NOT NULL,
        client          TEXT,
        model           TEXT,
        provider        TEXT,
        billing         TEXT,
        input_tokens    BIGINT NOT NULL CHECK (input_tokens >= 0),
        output_tokens   BIGINT NOT NULL CHECK (output_tokens >= 0),
        ms              BIGINT NOT NULL CHECK (ms >= 0),
        outcome         TEXT NOT NULL CHECK (outcome IN ('ok', 'cut', 'aborted', 'failed')),
        error           TEXT,
        fallbacks       TEXT NOT NULL,
        conversation_id TEXT
      );
      CREATE INDEX requests_by_time ON requests (at);
      CREATE INDEX requests_by_conversation ON requests (conversation_id, seq) WHERE conversation_id IS NOT NULL;

      CREATE TABLE requests_daily (
        day       BIGINT NOT NULL,
        provider  TEXT NOT NULL,
        model     TEXT NOT NULL,
        billing   TEXT NOT NULL,
        outcome   TEXT NOT NULL,
        requests  BIGINT NOT NULL,
        fallbacks BIGINT NOT NULL,
        PRIMARY KEY (day, provider, model, billing, outcome)
      );
    `,
  },
];

export const PG_SCHEMA_VERSION = PG_MIGRATIONS.length;

/** One lock for every llm-gateway schema change on a database: an arbitrary constant ("llmgw" in ASCII). */
const MIGRATION_LOCK = 0x6c6c6d6777;

/** Brings the schema up to PG_SCHEMA_VERSION; resolves to the version found before (0 for a new database). */
export async function migratePg(client: PoolClient): Promise<number> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ledger_migrations (
         version    INTEGER PRIMARY KEY,
         name       TEXT NOT NULL,
         applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
       )`,
    );
    const found = Number((await client.query('SELECT count(*) AS n FROM ledger_migrations')).rows[0].n);
    // A database a newer release migrated is refused here, before anything is written (the rollback undoes the
    // CREATE TABLE IF NOT EXISTS, which changed nothing anyway).
    for (const migration of pendingMigrations(PG_MIGRATIONS, found)) {
      await client.query(migration.sql);
      await client.query('INSERT INTO ledger_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
    }
    await client.query('COMMIT');
    return found;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

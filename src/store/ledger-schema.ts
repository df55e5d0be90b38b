// The ledger's schema as named, ordered migrations (the shape of simonw/llm's migrations.py; what both databases'
// schemas share is in migrations.ts). `PRAGMA user_version` holds how many have run. Each runs in its own IMMEDIATE
// transaction that reads the version first, so two processes opening a fresh ledger at once cannot both apply it.
import type Database from 'better-sqlite3';
import { type Migration, pendingMigrations } from './migrations.ts';

interface SqliteMigration extends Migration {
  /** The tables this migration creates: a ledger claiming its version must have them. */
  tables: string[];
}

export const MIGRATIONS: readonly SqliteMigration[] = [
  {
    name: 'm001_quota',
    tables: ['usage', 'reservations', 'cooldowns', 'tier_resets'],
    sql: `
      -- One row per request id: the primary key is what makes settling twice count once.
      CREATE TABLE usage (
        request_id    TEXT PRIMARY KEY,
        provider      TEXT NOT NULL,
        model         TEXT NOT NULL,
        tier_key      TEXT,
        billing       TEXT NOT NULL CHECK (billing IN ('free-tier', 'free', 'paid')),
        input_tokens  INTEGER NOT NULL CHECK (input_tokens >= 0),
        output_tokens INTEGER NOT NULL CHECK (output_tokens >= 0),
        estimated     INTEGER NOT NULL CHECK (estimated IN (0, 1)),
        outcome       TEXT NOT NULL,
        at            INTEGER NOT NULL
      );
      -- Covering index: a tier's window sum never touches the table itself.
      CREATE INDEX usage_by_tier ON usage (tier_key, at, input_tokens, output_tokens) WHERE tier_key IS NOT NULL;
      CREATE INDEX usage_by_time ON usage (at);

      CREATE TABLE reservations (
        request_id TEXT PRIMARY KEY,
        tier_key   TEXT NOT NULL,
        tokens     INTEGER NOT NULL CHECK (tokens >= 0),
        expires_at INTEGER NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX reservations_by_tier ON reservations (tier_key, expires_at, tokens);
      CREATE INDEX reservations_by_expiry ON reservations (expires_at);

      CREATE TABLE cooldowns (
        scope  TEXT PRIMARY KEY,
        kind   TEXT NOT NULL,
        until  INTEGER NOT NULL,
        reason TEXT NOT NULL
      );

      -- A manual reset: usage of the tier before \`at\` no longer counts.
      CREATE TABLE tier_resets (
        tier_key TEXT PRIMARY KEY,
        at       INTEGER NOT NULL
      );
    `,
  },
  {
    name: 'm002_conversations',
    tables: ['conversations', 'messages'],
    sql: `
      CREATE TABLE conversations (
        id         TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX conversations_by_update ON conversations (updated_at);

      CREATE TABLE messages (
        conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        seq             INTEGER NOT NULL,
        role            TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
        content         TEXT NOT NULL,
        at              INTEGER NOT NULL,
        PRIMARY KEY (conversation_id, seq)
      ) WITHOUT ROWID;
    `,
  },
  {
    // Reasoning and prompt-cache tokens, kept apart when the provider reports them (issue #8): NULL is "not
    // reported", never zero. input_tokens and output_tokens still hold the totals (they include these).
    name: 'm003_usage_detail',
    tables: [],
    sql: `
      ALTER TABLE usage ADD COLUMN reasoning_tokens   INTEGER CHECK (reasoning_tokens >= 0);
      ALTER TABLE usage ADD COLUMN cache_read_tokens  INTEGER CHECK (cache_read_tokens >= 0);
      ALTER TABLE usage ADD COLUMN cache_write_tokens INTEGER CHECK (cache_write_tokens >= 0);
    `,
  },
  {
    // Cooldowns were keyed by a string with a small grammar (`p`, `p:m`, `p#key`, `p:m@endpoint`) that a model id
    // holding `@` or `:` broke. Now each part is a column; '' stands for "not set" because a primary key treats
    // NULLs as all different. Rows of the old grammar are converted here, the only place it is ever parsed.
    name: 'm004_structured_cooldowns',
    tables: [],
    sql: `
      CREATE TABLE cooldowns_v3 (
        provider    TEXT NOT NULL,
        model       TEXT NOT NULL DEFAULT '',
        key_fp      TEXT NOT NULL DEFAULT '',
        endpoint_fp TEXT NOT NULL DEFAULT '',
        kind        TEXT NOT NULL,
        until       INTEGER NOT NULL,
        reason      TEXT NOT NULL,
        PRIMARY KEY (provider, model, key_fp, endpoint_fp)
      );
      CREATE INDEX cooldowns_by_until ON cooldowns_v3 (until);
      -- A rejected key: provider#fingerprint.
      INSERT OR IGNORE INTO cooldowns_v3 (provider, key_fp, kind, until, reason)
        SELECT substr(scope, 1, instr(scope, '#') - 1), substr(scope, instr(scope, '#') + 1), kind, until, reason
        FROM cooldowns WHERE instr(scope, '#') > 0;
      -- A failing endpoint: provider:model@ and 8 hex digits at the very end (the model may hold '@' itself).
      INSERT OR IGNORE INTO cooldowns_v3 (provider, model, endpoint_fp, kind, until, reason)
        SELECT substr(scope, 1, instr(scope, ':') - 1), substr(scope, instr(scope, ':') + 1, length(scope) - instr(scope, ':') - 9),
               substr(scope, -8), kind, until, reason
        FROM cooldowns
        WHERE instr(scope, '#') = 0 AND kind = 'down' AND substr(scope, -9, 1) = '@' AND instr(scope, ':') > 0;
      -- A deployment (provider ids never hold ':'), or a whole provider.
      INSERT OR IGNORE INTO cooldowns_v3 (provider, model, kind, until, reason)
        SELECT CASE WHEN instr(scope, ':') > 0 THEN substr(scope, 1, instr(scope, ':') - 1) ELSE scope END,
               CASE WHEN instr(scope, ':') > 0 THEN substr(scope, instr(scope, ':') + 1) ELSE '' END,
               kind, until, reason
        FROM cooldowns
        WHERE instr(scope, '#') = 0 AND NOT (kind = 'down' AND substr(scope, -9, 1) = '@' AND instr(scope, ':') > 0);
      DROP TABLE cooldowns;
      ALTER TABLE cooldowns_v3 RENAME TO cooldowns;
    `,
  },
  {
    // An answer in a conversation names the request that produced it, so a conversation joins its usage rows.
    name: 'm005_message_origin',
    tables: [],
    sql: `
      ALTER TABLE messages ADD COLUMN request_id TEXT;
      ALTER TABLE messages ADD COLUMN provider TEXT;
      ALTER TABLE messages ADD COLUMN model TEXT;
      CREATE INDEX messages_by_request ON messages (request_id) WHERE request_id IS NOT NULL;
    `,
  },
  {
    // Usage per UTC day and deployment, kept up to date by every settle (usage-daily.ts), so a tier's window is a
    // sum of at most ~31 rows however many calls it held, and detailed rows can be pruned (ledger-prune.ts) without
    // losing a total. tier_key is '' for calls that counted against no free tier (a primary key treats NULLs as all
    // different); outcome is part of the key, so a report can still count cut or aborted calls. Reasoning and cache
    // columns stay NULL until some call of the group reported them, as in `usage`. Filled here from every row so far.
    name: 'm006_daily_usage',
    tables: ['usage_daily', 'ledger_meta'],
    sql: `
      CREATE TABLE usage_daily (
        tier_key           TEXT NOT NULL,
        day                INTEGER NOT NULL,
        provider           TEXT NOT NULL,
        model              TEXT NOT NULL,
        billing            TEXT NOT NULL,
        outcome            TEXT NOT NULL,
        calls              INTEGER NOT NULL,
        estimated_calls    INTEGER NOT NULL,
        input_tokens       INTEGER NOT NULL,
        output_tokens      INTEGER NOT NULL,
        reasoning_tokens   INTEGER,
        cache_read_tokens  INTEGER,
        cache_write_tokens INTEGER,
        PRIMARY KEY (tier_key, day, provider, model, billing, outcome)
      ) WITHOUT ROWID;
      INSERT INTO usage_daily
        SELECT coalesce(tier_key, ''), at - at % 86400000, provider, model, billing, outcome, count(*), sum(estimated),
               sum(input_tokens), sum(output_tokens), sum(reasoning_tokens), sum(cache_read_tokens), sum(cache_write_tokens)
        FROM usage GROUP BY 1, 2, 3, 4, 5, 6;

      -- Small facts about the file itself, such as when it was last pruned.
      CREATE TABLE ledger_meta (
        name  TEXT PRIMARY KEY,
        value INTEGER NOT NULL
      );
    `,
  },
  {
    // A message may hold parts (an attached image beside the text: chat --attach). They are stored as JSON, the
    // message model's own shape (core/messages.ts), image bytes included as base64: a conversation continued with
    // --cid sends its images again, as the chat APIs need. `content` keeps the text alone, so a query over it (or
    // the join to usage) reads as before; NULL parts: the text is the whole message, as for every earlier row.
    name: 'm007_message_parts',
    tables: [],
    sql: `
      ALTER TABLE messages ADD COLUMN parts TEXT;
    `,
  },
  {
    // One row per request a front end answered or gave up on — chat and serve alike — for `llm-gateway log` and
    // serve's live list: who asked (origin, client), who answered, tokens, time taken, how it ended and the
    // fallbacks on the way; a failed request has no usage row, so this is the only trace of it. `seq` orders rows
    // for `log --follow`. Detailed rows are pruned with usage (ledger-prune.ts); requests_daily keeps, per UTC day
    // and deployment, what usage_daily cannot know — requests, failures (outcome 'failed') and fallbacks taken —
    // for ever, so `usage` reads a few rows a day. Ledgers from before start both empty: they never knew these.
    name: 'm008_request_log',
    tables: ['requests', 'requests_daily'],
    sql: `
      CREATE TABLE requests (
        seq             INTEGER PRIMARY KEY,
        id              TEXT NOT NULL UNIQUE,
        at              INTEGER NOT NULL,
        origin          TEXT NOT NULL,
        client          TEXT,
        model           TEXT,
        provider        TEXT,
        billing         TEXT,
        input_tokens    INTEGER NOT NULL CHECK (input_tokens >= 0),
        output_tokens   INTEGER NOT NULL CHECK (output_tokens >= 0),
        ms              INTEGER NOT NULL CHECK (ms >= 0),
        outcome         TEXT NOT NULL CHECK (outcome IN ('ok', 'cut', 'aborted', 'failed')),
        error           TEXT,
        fallbacks       TEXT NOT NULL,
        conversation_id TEXT
      );
      CREATE INDEX requests_by_time ON requests (at);
      CREATE INDEX requests_by_conversation ON requests (conversation_id, seq) WHERE conversation_id IS NOT NULL;

      CREATE TABLE requests_daily (
        day       INTEGER NOT NULL,
        provider  TEXT NOT NULL,
        model     TEXT NOT NULL,
        billing   TEXT NOT NULL,
        outcome   TEXT NOT NULL,
        requests  INTEGER NOT NULL,
        fallbacks INTEGER NOT NULL,
        PRIMARY KEY (day, provider, model, billing, outcome)
      ) WITHOUT ROWID;
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function userVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** The tables a ledger at `version` must have that `present` lacks, e.g. for a file some other program made. */
export function missingTables(version: number, present: ReadonlySet<string>): string[] {
  return MIGRATIONS.slice(0, version)
    .flatMap((m) => m.tables)
    .filter((t) => !present.has(t));
}

/** Brings the schema up to SCHEMA_VERSION, one migration a transaction. */
export function migrate(db: Database.Database): void {
  const step = db.transaction(() => {
    // Read inside the write lock: another process may have applied the next one since.
    const [next] = pendingMigrations(MIGRATIONS, userVersion(db));
    if (next === undefined) return false;
    db.exec(next.sql);
    // user_version cannot be bound as a parameter; the value is our own integer, never input.
    db.pragma(`user_version = ${next.version}`);
    return true;
  });
  for (let more = true; more; ) more = step.immediate();
}

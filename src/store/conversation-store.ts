// The conversation half of the ledger: what `chat` said and was answered, in order, in the same SQLite file as the
// quota (one file to back up and move aside) but its own concept. An answer names the request, provider and model
// that produced it, so a conversation joins its usage rows:
//
//   SELECT m.seq, m.role, u.provider, u.model, u.input_tokens, u.output_tokens
//   FROM messages m LEFT JOIN usage u ON u.request_id = m.request_id WHERE m.conversation_id = ?;
//
// Detailed usage rows are kept for 90 days (ledger-prune.ts); an older answer still names its provider and model,
// and its tokens live on in that day's totals (usage_daily), no longer per request.
//
// A message of text alone is stored as that text; one with parts (an attached image) also as JSON in `parts`, image
// bytes included (see m007_message_parts), with its text in `content` for queries like the one above.
// Damage met while reading it is reported as a conversation problem (asConversationError), not as a broken quota.
import type Database from 'better-sqlite3';
import { ConfigError } from '../core/errors.ts';
import { messageText, type ContentPart, type Message } from '../core/types.ts';
import { asConversationError } from './ledger-file.ts';
import { statementCache } from './statements.ts';

/** A message as stored: an answer also says which call produced it. */
export interface StoredMessage extends Message {
  requestId?: string;
  provider?: string;
  model?: string;
}

export class ConversationStore {
  private readonly sql: (text: string) => Database.Statement;
  private readonly appendTx: Database.Transaction<(cid: string, messages: StoredMessage[], now: number) => void>;

  constructor(
    db: Database.Database,
    private readonly path: string,
  ) {
    this.sql = statementCache(db);
    this.appendTx = db.transaction((cid: string, messages: StoredMessage[], now: number) =>
      this.appendInside(cid, messages, now),
    );
  }

  private guard<T>(run: () => T): T {
    try {
      return run();
    } catch (err) {
      throw asConversationError(err, this.path);
    }
  }

  /** Adds messages to a conversation, creating it if it is new. */
  append(cid: string, messages: StoredMessage[], now: number): void {
    this.guard(() => this.appendTx.immediate(cid, messages, now));
  }

  private appendInside(cid: string, messages: StoredMessage[], now: number): void {
    this.sql(
      `INSERT INTO conversations (id, created_at, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at`,
    ).run(cid, now, now);
    const last = this.sql('SELECT coalesce(max(seq), 0) FROM messages WHERE conversation_id = ?').pluck().get(cid);
    let seq = last as number;
    const insert = this.sql(
      `INSERT INTO messages (conversation_id, seq, role, content, parts, at, request_id, provider, model)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const m of messages) {
      const parts = typeof m.content === 'string' ? null : JSON.stringify(m.content);
      insert.run(
        cid,
        ++seq,
        m.role,
        messageText(m),
        parts,
        now,
        m.requestId ?? null,
        m.provider ?? null,
        m.model ?? null,
      );
    }
  }

  /** The conversation's messages in order, or undefined when there is no such conversation. */
  load(cid: string): StoredMessage[] | undefined {
    return this.guard(() => {
      if (this.sql('SELECT 1 FROM conversations WHERE id = ?').get(cid) === undefined) return undefined;
      const rows = this.sql(
        'SELECT seq, role, content, parts, request_id, provider, model FROM messages WHERE conversation_id = ? ORDER BY seq',
      ).all(cid) as Array<{
        seq: number;
        role: Message['role'];
        content: string;
        parts: string | null;
        request_id: string | null;
        provider: string | null;
        model: string | null;
      }>;
      return rows.map((r) => ({
        role: r.role,
        content: r.parts === null ? r.content : this.partsOf(r.parts, cid, r.seq),
        ...(r.request_id ? { requestId: r.request_id } : {}),
        ...(r.provider ? { provider: r.provider } : {}),
        ...(r.model ? { model: r.model } : {}),
      }));
    });
  }

  /** Stored parts, read back; a row that is not a JSON array of parts is damage, reported with where it is. */
  private partsOf(json: string, cid: string, seq: number): ContentPart[] {
    let parts: unknown;
    try {
      parts = JSON.parse(json);
    } catch {
      parts = undefined;
    }
    if (
      !Array.isArray(parts) ||
      !parts.every((p) => typeof p === 'object' && p !== null && typeof p.type === 'string')
    ) {
      throw new ConfigError(
        `the conversation history in ${this.path} is damaged: message ${seq} of conversation ${cid} holds unreadable parts`,
        '`chat --no-log` works meanwhile, and so does any other conversation (a new --cid)',
        this.path,
      );
    }
    return parts as ContentPart[];
  }

  /** The conversation most recently added to, for `chat -c`. */
  latestId(): string | undefined {
    return this.guard(
      () =>
        this.sql('SELECT id FROM conversations ORDER BY updated_at DESC, rowid DESC LIMIT 1').pluck().get() as
          | string
          | undefined,
    );
  }
}

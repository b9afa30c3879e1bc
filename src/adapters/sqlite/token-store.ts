import type { SmsLinkRecord } from "../../core/sms-draft.js";
import type { TokenStore } from "../../ports/token-store.js";
import { batchLimit, type SqliteDatabase } from "./database.js";

/** Options of {@link createSqliteTokenStore}. */
export interface SqliteTokenStoreOptions {
  /** The process-wide database from `openSqliteDatabase`; this adapter adds its own table. */
  db: SqliteDatabase;
}

interface TokenRow {
  token: string;
  thread_id: string;
  phone: string;
  customer_name: string | null;
  body: string;
  created_at: number;
  expires_at: number;
}

/**
 * SMS link tokens in the `sms_link_tokens` table (the embedded stand-in for the reference deployment's
 * ChatkitSmsLinkTokenTable). An expired row is kept (its link answers 410, not 404) until `prune`
 * deletes it (the retention service runs it from the sweeper) over an index on `expires_at`.
 */
export function createSqliteTokenStore(options: SqliteTokenStoreOptions): TokenStore {
  const { db } = options;
  db.exec(`CREATE TABLE IF NOT EXISTS sms_link_tokens (
    token TEXT PRIMARY KEY,
    thread_id TEXT NOT NULL,
    phone TEXT NOT NULL,
    customer_name TEXT,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS sms_link_tokens_expires ON sms_link_tokens (expires_at)`);

  // Plain INSERT, not upsert: a token must never be silently re-pointed at another customer.
  const insert = db.prepare<[TokenRow]>(
    `INSERT INTO sms_link_tokens (token, thread_id, phone, customer_name, body, created_at, expires_at)
     VALUES (@token, @thread_id, @phone, @customer_name, @body, @created_at, @expires_at)`,
  );
  const select = db.prepare<[string], TokenRow>("SELECT * FROM sms_link_tokens WHERE token = ?");
  // DELETE ... LIMIT needs a compile option SQLite may lack: the batch is picked by a subquery on
  // the expires_at index instead.
  const prune = db.prepare<[number, number]>(
    `DELETE FROM sms_link_tokens WHERE token IN (
       SELECT token FROM sms_link_tokens WHERE expires_at <= ? ORDER BY expires_at LIMIT ?)`,
  );

  return {
    async put(record) {
      insert.run({
        token: record.token,
        thread_id: record.threadId,
        phone: record.phone,
        customer_name: record.customerName,
        body: record.body,
        created_at: record.createdAt,
        expires_at: record.expiresAt,
      });
    },
    async get(token) {
      const row = select.get(token);
      return row ? toRecord(row) : null;
    },
    async prune(now, limit) {
      return prune.run(now, batchLimit(limit)).changes;
    },
  };
}

function toRecord(row: TokenRow): SmsLinkRecord {
  return {
    token: row.token,
    threadId: row.thread_id,
    phone: row.phone,
    customerName: row.customer_name,
    body: row.body,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

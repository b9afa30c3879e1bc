import type { AcquireLeaseInput, LeadRecord, LeadStore } from "../../ports/lead-store.js";
import type { SqliteDatabase } from "./database.js";

/** Options of {@link createSqliteLeadStore}. */
export interface SqliteLeadStoreOptions {
  /** The shared database (see openSqliteDatabase). */
  db: SqliteDatabase;
}

interface Row {
  thread_id: string;
  state: LeadRecord["state"];
  lease_id: string;
  lease_expires_at: number;
  attempts: number;
  last_error: string | null;
  retry_after: number | null;
  message_id: string | null;
  sent_at: number | null;
  ttl: number;
}

function toRecord(row: Row): LeadRecord {
  return {
    threadId: row.thread_id,
    state: row.state,
    leaseId: row.lease_id,
    leaseExpiresAt: row.lease_expires_at,
    attempts: row.attempts,
    lastError: row.last_error,
    retryAfter: row.retry_after,
    messageId: row.message_id,
    sentAt: row.sent_at,
    ttl: row.ttl,
  };
}

/** LeadStore on SQLite: the lease is one `INSERT ... ON CONFLICT DO UPDATE ... WHERE` statement. */
export function createSqliteLeadStore(options: SqliteLeadStoreOptions): LeadStore {
  const { db } = options;
  db.exec(`CREATE TABLE IF NOT EXISTS lead_sends (
    thread_id TEXT PRIMARY KEY,
    state TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'error')),
    lease_id TEXT NOT NULL,
    lease_expires_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL,
    last_error TEXT,
    retry_after INTEGER,
    message_id TEXT,
    sent_at INTEGER,
    ttl INTEGER NOT NULL
  )`);

  const select = db.prepare<[string], Row>("SELECT * FROM lead_sends WHERE thread_id = ?");
  // A row past its ttl counts as absent, as DynamoDB's TTL would eventually delete it.
  const acquire = db.prepare<AcquireLeaseInput, Row>(`
    INSERT INTO lead_sends (thread_id, state, lease_id, lease_expires_at, attempts, ttl)
    VALUES (@threadId, 'sending', @leaseId, @leaseExpiresAt, 1, @ttl)
    ON CONFLICT (thread_id) DO UPDATE SET
      state = 'sending', lease_id = excluded.lease_id, lease_expires_at = excluded.lease_expires_at,
      attempts = CASE WHEN lead_sends.ttl <= @now THEN 1 ELSE lead_sends.attempts + 1 END,
      retry_after = NULL, ttl = excluded.ttl
    WHERE (lead_sends.state = 'sending' AND lead_sends.lease_expires_at <= @now)
       OR (lead_sends.state = 'error' AND lead_sends.retry_after <= @now)
       OR lead_sends.ttl <= @now
    RETURNING *`);
  const markSent =
    db.prepare(`UPDATE lead_sends SET state = 'sent', message_id = @messageId, sent_at = @sentAt,
      last_error = NULL, retry_after = NULL
    WHERE thread_id = @threadId AND lease_id = @leaseId AND state = 'sending'`);
  const markError =
    db.prepare(`UPDATE lead_sends SET state = 'error', last_error = @error, retry_after = @retryAfter
    WHERE thread_id = @threadId AND lease_id = @leaseId AND state = 'sending'`);

  return {
    async get(threadId) {
      const row = select.get(threadId);
      return row ? toRecord(row) : null;
    },
    async acquireLease(input) {
      const row = acquire.get(input);
      if (row) return { acquired: true, record: toRecord(row) };
      const existing = select.get(input.threadId);
      if (!existing) throw new Error(`lead_sends: lease refused but no row for ${input.threadId}`);
      return { acquired: false, record: toRecord(existing) };
    },
    async markSent(input) {
      return markSent.run(input).changes === 1;
    },
    async markError(input) {
      return markError.run(input).changes === 1;
    },
  };
}

import type { Statement } from "better-sqlite3";
import type { AcquireLeaseInput, DueLead, LeadRecord, LeadStore } from "../../ports/lead-store.js";
import { batchLimit, type SqliteDatabase } from "./database.js";

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
  email_key: string | null;
  subject: string | null;
  covered_through: number | null;
  follow_ups: number;
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
    emailKey: row.email_key,
    subject: row.subject,
    coveredThrough: row.covered_through,
    followUps: row.follow_ups,
    sentAt: row.sent_at,
    ttl: row.ttl,
  };
}

const LEAD_SENDS = `CREATE TABLE lead_sends (
    thread_id TEXT PRIMARY KEY,
    state TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'error', 'failed')),
    lease_id TEXT NOT NULL,
    lease_expires_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL,
    last_error TEXT,
    retry_after INTEGER,
    message_id TEXT,
    email_key TEXT,
    subject TEXT,
    covered_through INTEGER,
    follow_ups INTEGER NOT NULL DEFAULT 0,
    sent_at INTEGER,
    ttl INTEGER NOT NULL
  )`;

/** Creates the tables, or brings a database written by an older version up to date. */
function migrate(db: SqliteDatabase): void {
  const existing = db
    .prepare<[], { sql: string }>(
      "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'lead_sends'",
    )
    .get();
  if (!existing) {
    db.exec(LEAD_SENDS);
  } else if (!existing.sql.includes("covered_through")) {
    // SQLite cannot change a CHECK constraint in place: copy the rows into the new shape.
    db.transaction(() => {
      db.exec("ALTER TABLE lead_sends RENAME TO lead_sends_old");
      db.exec(LEAD_SENDS);
      db.exec(`INSERT INTO lead_sends (thread_id, state, lease_id, lease_expires_at, attempts, last_error,
        retry_after, message_id, sent_at, ttl)
        SELECT thread_id, state, lease_id, lease_expires_at, attempts, last_error, retry_after, message_id,
        sent_at, ttl FROM lead_sends_old`);
      db.exec("DROP TABLE lead_sends_old");
    })();
  }
  db.exec(`CREATE INDEX IF NOT EXISTS lead_sends_failed ON lead_sends (ttl) WHERE state = 'failed';
    CREATE INDEX IF NOT EXISTS lead_sends_by_ttl ON lead_sends (ttl);
    CREATE TABLE IF NOT EXISTS lead_due (thread_id TEXT PRIMARY KEY, due_at INTEGER NOT NULL);
    CREATE INDEX IF NOT EXISTS lead_due_by_time ON lead_due (due_at);`);
}

/** A guarded UPDATE as a port method: true when it changed the row (the caller still held it). */
function changesOneRow<T extends object>(statement: Statement<[T]>): (input: T) => Promise<boolean> {
  return async (input) => statement.run(input).changes === 1;
}

/**
 * LeadStore on SQLite: the lease is one `INSERT ... ON CONFLICT DO UPDATE ... WHERE` statement.
 * Statements with `RETURNING` are read with `.all()`, which runs them to completion: `.get()` hands
 * back the first row before the commit, so a commit that fails (disk full) would look granted.
 */
export function createSqliteLeadStore(options: SqliteLeadStoreOptions): LeadStore {
  const { db } = options;
  migrate(db);

  const select = db.prepare<[string], Row>("SELECT * FROM lead_sends WHERE thread_id = ?");
  // A row past its ttl counts as absent, as DynamoDB's TTL would eventually delete it.
  const acquire = db.prepare<AcquireLeaseInput, Row>(`
    INSERT INTO lead_sends (thread_id, state, lease_id, lease_expires_at, attempts, ttl)
    VALUES (@threadId, 'sending', @leaseId, @leaseExpiresAt, 1, @ttl)
    ON CONFLICT (thread_id) DO UPDATE SET
      state = 'sending', lease_id = excluded.lease_id, lease_expires_at = excluded.lease_expires_at,
      attempts = CASE WHEN lead_sends.ttl <= @now THEN 1 ELSE lead_sends.attempts + 1 END,
      message_id = CASE WHEN lead_sends.ttl <= @now THEN NULL ELSE lead_sends.message_id END,
      email_key = CASE WHEN lead_sends.ttl <= @now THEN NULL ELSE lead_sends.email_key END,
      subject = CASE WHEN lead_sends.ttl <= @now THEN NULL ELSE lead_sends.subject END,
      covered_through = CASE WHEN lead_sends.ttl <= @now THEN NULL ELSE lead_sends.covered_through END,
      follow_ups = CASE WHEN lead_sends.ttl <= @now THEN 0 ELSE lead_sends.follow_ups END,
      last_error = CASE WHEN lead_sends.ttl <= @now THEN NULL ELSE lead_sends.last_error END,
      sent_at = NULL, retry_after = NULL, ttl = excluded.ttl
    WHERE (lead_sends.state = 'sending' AND lead_sends.lease_expires_at <= @now)
       OR (lead_sends.state = 'error' AND lead_sends.retry_after <= @now)
       OR lead_sends.ttl <= @now
    RETURNING *`);
  const held = "WHERE thread_id = @threadId AND lease_id = @leaseId AND state = 'sending'";
  const prepare = db.prepare(`UPDATE lead_sends SET email_key = @emailKey, message_id = @messageId,
    subject = @subject, covered_through = @coveredThrough ${held}`);
  const recordCoverage = db.prepare(`UPDATE lead_sends SET follow_ups = @followUps,
    covered_through = @coveredThrough
    WHERE thread_id = @threadId AND state = 'sent' AND follow_ups = @expectFollowUps`);
  const markSent = db.prepare(`UPDATE lead_sends SET state = 'sent', message_id = @messageId,
    sent_at = @sentAt, last_error = NULL, retry_after = NULL ${held}`);
  const markError = db.prepare(
    `UPDATE lead_sends SET state = 'error', last_error = @error, retry_after = @retryAfter ${held}`,
  );
  const markFailed = db.prepare(
    `UPDATE lead_sends SET state = 'failed', last_error = @error, retry_after = NULL ${held}`,
  );
  // The owner's retry: only a live row that is not sending or sent, so the next lease goes through
  // the same gate as any retry. State leaves 'failed', which is all countFailed reads.
  const reopen = db.prepare(`UPDATE lead_sends SET state = 'error', retry_after = @now
    WHERE thread_id = @threadId AND state IN ('failed', 'error') AND ttl > @now`);
  const release = db.prepare(`UPDATE lead_sends SET lease_expires_at = @now ${held}`);
  const prune = db.prepare<[number, number], { thread_id: string; email_key: string | null }>(
    `DELETE FROM lead_sends WHERE thread_id IN
      (SELECT thread_id FROM lead_sends WHERE ttl <= ? ORDER BY ttl LIMIT ?)
    RETURNING thread_id, email_key`,
  );
  const countFailed = db.prepare<[number], { n: number }>(
    "SELECT count(*) AS n FROM lead_sends WHERE state = 'failed' AND ttl > ?",
  );
  const schedule = db.prepare(`INSERT INTO lead_due (thread_id, due_at) VALUES (?, ?)
    ON CONFLICT (thread_id) DO UPDATE SET due_at = excluded.due_at`);
  const listDue = db.prepare<[number, number], { thread_id: string; due_at: number }>(
    "SELECT thread_id, due_at FROM lead_due WHERE due_at <= ? ORDER BY due_at LIMIT ?",
  );
  const moveDue = db.prepare("UPDATE lead_due SET due_at = ? WHERE thread_id = ? AND due_at = ?");
  const dropDue = db.prepare("DELETE FROM lead_due WHERE thread_id = ? AND due_at = ?");

  return {
    async get(threadId) {
      const row = select.get(threadId);
      return row ? toRecord(row) : null;
    },
    async acquireLease(input) {
      const [row] = acquire.all(input);
      if (row) return { acquired: true, record: toRecord(row) };
      const existing = select.get(input.threadId);
      if (!existing) throw new Error(`lead_sends: lease refused but no row for ${input.threadId}`);
      return { acquired: false, record: toRecord(existing) };
    },
    prepare: changesOneRow(prepare),
    markSent: changesOneRow(markSent),
    markError: changesOneRow(markError),
    markFailed: changesOneRow(markFailed),
    recordCoverage: changesOneRow(recordCoverage),
    reopen: changesOneRow(reopen),
    releaseLease: changesOneRow(release),
    async prune(now, limit) {
      // Read to completion, like the lease: the rows are gone only if the commit happened.
      return prune
        .all(now, batchLimit(limit))
        .map((row) => ({ threadId: row.thread_id, emailKey: row.email_key }));
    },
    async countFailed(now) {
      return countFailed.get(now)?.n ?? 0;
    },
    async schedule(threadId, dueAt) {
      schedule.run(threadId, dueAt);
    },
    async listDue(now, limit) {
      return listDue.all(now, limit).map((row): DueLead => ({ threadId: row.thread_id, dueAt: row.due_at }));
    },
    async settleDue(seen, nextDueAt) {
      if (nextDueAt === null) dropDue.run(seen.threadId, seen.dueAt);
      else moveDue.run(nextDueAt, seen.threadId, seen.dueAt);
    },
  };
}

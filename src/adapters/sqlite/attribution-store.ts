import type { Attribution } from "../../core/attribution.js";
import type { AttributionRecord, AttributionStore } from "../../ports/attribution-store.js";
import { batchLimit, type SqliteDatabase } from "./database.js";

/** Options of {@link createSqliteAttributionStore}. */
export interface SqliteAttributionStoreOptions {
  /** The process-wide database from `openSqliteDatabase`; this adapter adds its own table. */
  db: SqliteDatabase;
  /**
   * Current time in epoch ms, to hide rows past their ttl (tests pass a fixed clock).
   * @default Date.now
   */
  now?: () => number;
}

interface AttributionRow {
  thread_id: string;
  attribution: string;
  created_at: number;
  lead_sent_at: number | null;
  ttl: number;
}

/**
 * Attribution per thread in the `lead_attribution` table (the embedded stand-in for the reference deployment's
 * ChatkitLeadAttributionTable). The attribution is one JSON column: it is only ever read whole, and
 * new keys then need no migration. Expired rows are hidden on read, like DynamoDB TTL (which also
 * deletes lazily), and deleted in batches by `prune` (the retention service runs it from the
 * sweeper) over an index on `ttl`.
 */
export function createSqliteAttributionStore(options: SqliteAttributionStoreOptions): AttributionStore {
  const { db, now = Date.now } = options;
  db.exec(`CREATE TABLE IF NOT EXISTS lead_attribution (
    thread_id TEXT PRIMARY KEY,
    attribution TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    lead_sent_at INTEGER,
    ttl INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS lead_attribution_ttl ON lead_attribution (ttl);
  CREATE INDEX IF NOT EXISTS lead_attribution_sent ON lead_attribution (lead_sent_at, thread_id)
    WHERE lead_sent_at IS NOT NULL`);

  const upsert = db.prepare<[AttributionRow]>(
    `INSERT OR REPLACE INTO lead_attribution (thread_id, attribution, created_at, lead_sent_at, ttl)
     VALUES (@thread_id, @attribution, @created_at, @lead_sent_at, @ttl)`,
  );
  const select = db.prepare<[string, number], AttributionRow>(
    "SELECT * FROM lead_attribution WHERE thread_id = ? AND ttl > ?",
  );
  const stamp = db.prepare<[number, string]>(
    "UPDATE lead_attribution SET lead_sent_at = ? WHERE thread_id = ?",
  );
  // A row-value comparison resumes after the cursor; the partial index holds only sent leads.
  const listSent = db.prepare<
    { since: number; now: number; afterAt: number; afterId: string; limit: number },
    AttributionRow
  >(
    `SELECT * FROM lead_attribution
     WHERE lead_sent_at >= @since AND ttl > @now AND (lead_sent_at, thread_id) > (@afterAt, @afterId)
     ORDER BY lead_sent_at, thread_id LIMIT @limit`,
  );
  // DELETE ... LIMIT needs a compile option SQLite may lack: the batch is picked by a subquery on
  // the ttl index instead.
  const prune = db.prepare<[number, number]>(
    `DELETE FROM lead_attribution WHERE thread_id IN (
       SELECT thread_id FROM lead_attribution WHERE ttl <= ? ORDER BY ttl LIMIT ?)`,
  );

  return {
    async put(record) {
      upsert.run({
        thread_id: record.threadId,
        attribution: JSON.stringify(record.attribution),
        created_at: record.createdAt,
        lead_sent_at: record.leadSentAt,
        ttl: record.ttl,
      });
    },
    async get(threadId) {
      const row = select.get(threadId, now());
      return row ? toRecord(row) : null;
    },
    async markLeadSent(threadId, at) {
      stamp.run(at, threadId);
    },
    async listLeadsSent({ since, limit, after }) {
      return listSent
        .all({
          since,
          now: now(),
          // No cursor: anything at or after `since` is after (since, "").
          afterAt: after?.leadSentAt ?? since,
          afterId: after?.threadId ?? "",
          limit: batchLimit(limit),
        })
        .map(toRecord);
    },
    async prune(at, limit) {
      return prune.run(at, batchLimit(limit)).changes;
    },
  };
}

function toRecord(row: AttributionRow): AttributionRecord {
  return {
    threadId: row.thread_id,
    // Written only by put() from an already validated Attribution, so it is trusted on the way back.
    attribution: JSON.parse(row.attribution) as Attribution,
    createdAt: row.created_at,
    leadSentAt: row.lead_sent_at,
    ttl: row.ttl,
  };
}

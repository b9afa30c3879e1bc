import type {
  JournalEntry,
  JournalEntryInput,
  LeadJournal,
  OutcomeCursor,
} from "../../ports/lead-journal.js";
import { entryFromColumns } from "../common/journal-columns.js";
import { batchLimit, type SqliteDatabase } from "./database.js";

/** Options of {@link createSqliteLeadJournal}. */
export interface SqliteLeadJournalOptions {
  /** The process-wide database from `openSqliteDatabase`; this adapter adds its own table. */
  db: SqliteDatabase;
  /**
   * Current time in epoch ms, to hide entries past their ttl (tests pass a fixed clock).
   * @default Date.now
   */
  now?: () => number;
}

interface JournalRow {
  seq: number;
  thread_id: string;
  at: number;
  kind: "decision" | "outcome";
  trigger: string | null;
  lead_reason: string | null;
  outcome: string | null;
  value: string | null;
  currency: string | null;
  actor: string | null;
  detail: string | null;
  ttl: number;
}

/** Digits of an id: a whole `seq` (SQLite's rowids stay below 2^53 in practice) as a fixed-width string. */
const ID_DIGITS = 16;

/**
 * The LeadJournal in the `lead_journal` table, one row per entry. The id is the row's
 * AUTOINCREMENT `seq`, zero-padded so that ids compare as strings the way they do as numbers: it
 * grows with every append (in one thread and across threads) and is never handed out twice, even
 * after the newest rows were pruned. Entries are ordered by (at, seq), which is (at, id).
 *
 * Three indexes keep every read indexed: (thread_id, at, seq) for a thread's history, a partial
 * (at, seq) index over outcome rows only for the exports and the digest, and (ttl) for prune.
 * Expired rows are hidden on read, like DynamoDB TTL (which also deletes lazily), and deleted in
 * batches by `prune`.
 */
export function createSqliteLeadJournal(options: SqliteLeadJournalOptions): LeadJournal {
  const { db, now = Date.now } = options;
  // The CHECK keeps a row whole for its kind: a reader never meets a decision without its reason.
  db.exec(`CREATE TABLE IF NOT EXISTS lead_journal (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    thread_id TEXT NOT NULL,
    at INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (
      (kind = 'decision' AND trigger IS NOT NULL AND lead_reason IS NOT NULL)
      OR (kind = 'outcome' AND outcome IS NOT NULL AND actor IS NOT NULL)),
    trigger TEXT,
    lead_reason TEXT,
    outcome TEXT,
    value TEXT,
    currency TEXT,
    actor TEXT,
    detail TEXT,
    ttl INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS lead_journal_by_thread ON lead_journal (thread_id, at, seq);
  CREATE INDEX IF NOT EXISTS lead_journal_outcomes ON lead_journal (at, seq) WHERE kind = 'outcome';
  CREATE INDEX IF NOT EXISTS lead_journal_ttl ON lead_journal (ttl)`);

  const insert = db.prepare<[Omit<JournalRow, "seq">]>(
    `INSERT INTO lead_journal (thread_id, at, kind, trigger, lead_reason, outcome, value, currency, actor,
       detail, ttl)
     VALUES (@thread_id, @at, @kind, @trigger, @lead_reason, @outcome, @value, @currency, @actor, @detail, @ttl)`,
  );
  // Newest first so LIMIT keeps the newest; the caller turns the page round (no sort step here).
  const list = db.prepare<[string, number, number], JournalRow>(
    `SELECT * FROM lead_journal WHERE thread_id = ? AND ttl > ?
     ORDER BY at DESC, seq DESC LIMIT ?`,
  );
  // `kind = 'outcome'` as written here is what lets SQLite use the partial index; the row value
  // resumes after the cursor.
  const listOutcomes = db.prepare<
    { since: number; now: number; afterAt: number; afterSeq: number; limit: number },
    JournalRow
  >(
    `SELECT * FROM lead_journal
     WHERE kind = 'outcome' AND at >= @since AND ttl > @now AND (at, seq) > (@afterAt, @afterSeq)
     ORDER BY at, seq LIMIT @limit`,
  );
  // DELETE ... LIMIT needs a compile option SQLite may lack: the batch is picked by a subquery on
  // the ttl index instead.
  const prune = db.prepare<[number, number]>(
    `DELETE FROM lead_journal WHERE seq IN (
       SELECT seq FROM lead_journal WHERE ttl <= ? ORDER BY ttl LIMIT ?)`,
  );

  return {
    async append(entry) {
      const row = toRow(entry);
      // run() finishes the statement, commit included: a full disk throws here, never later.
      const { lastInsertRowid } = insert.run(row);
      return toEntry({ ...row, seq: Number(lastInsertRowid) });
    },
    async list(threadId, limit) {
      return list.all(threadId, now(), batchLimit(limit)).reverse().map(toEntry);
    },
    async listOutcomes({ since, limit, after }) {
      // The index range starts at the row value: the cursor, or (since, 0) when there is none or
      // it lies before `since` (every row at `since` is after (since, 0), as seq starts at 1).
      const resume = after && after.at >= since ? { at: after.at, seq: seqOf(after) } : { at: since, seq: 0 };
      return listOutcomes
        .all({ since, now: now(), afterAt: resume.at, afterSeq: resume.seq, limit: batchLimit(limit) })
        .map(toEntry);
    },
    async prune(at, limit) {
      return prune.run(at, batchLimit(limit)).changes;
    },
  };
}

/** The `seq` behind a cursor's id; an id this journal never handed out is a caller's bug. */
function seqOf(cursor: OutcomeCursor): number {
  if (!/^\d+$/.test(cursor.id)) throw new TypeError(`lead_journal: not an id of this journal: ${cursor.id}`);
  return Number(cursor.id);
}

function toRow(entry: JournalEntryInput): Omit<JournalRow, "seq"> {
  const common = { thread_id: entry.threadId, at: entry.at, ttl: entry.ttl, actor: entry.actor };
  if (entry.kind === "outcome") {
    return {
      ...common,
      kind: "outcome",
      trigger: null,
      lead_reason: null,
      outcome: entry.outcome,
      value: entry.value,
      currency: entry.currency,
      detail: null,
    };
  }
  return {
    ...common,
    kind: "decision",
    trigger: entry.trigger,
    lead_reason: entry.leadReason,
    outcome: null,
    value: null,
    currency: null,
    detail: entry.detail,
  };
}

/** The stored row back as an entry (its own columns: adapters/common/journal-columns.ts). */
function toEntry(row: JournalRow): JournalEntry {
  return entryFromColumns(
    {
      id: String(row.seq).padStart(ID_DIGITS, "0"),
      threadId: row.thread_id,
      at: row.at,
      ttl: row.ttl,
    },
    row,
  );
}

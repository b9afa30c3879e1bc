import type { StoredAttachment } from "../../ports/thread-store.js";
import type { SqliteDatabase } from "./database.js";

interface AttachmentRow {
  id: string;
  user_id: string | null;
  thread_id: string | null;
  name: string;
  mime_type: string;
  type: "image" | "file";
  key: string | null;
  size: number | null;
  preview_url: string | null;
  created_at: number;
}

/** The attachment half of the SQLite ThreadStore (kept apart so each file stays small). */
export interface SqliteAttachmentRows {
  save(attachment: StoredAttachment): void;
  get(attachmentId: string): StoredAttachment | null;
  delete(attachmentId: string): void;
  /** Removes every row referenced by the thread; run inside the caller's delete transaction. */
  deleteByThread(threadId: string): void;
  /** Every row referenced by the thread (on the `thread_id` index). */
  listByThread(threadId: string): StoredAttachment[];
  /** Up to `limit` rows never referenced by a thread, created before `createdBefore`, oldest first. */
  listOrphans(createdBefore: number, limit: number): StoredAttachment[];
}

/** Creates the `thread_attachments` table (idempotent) and its statements. */
export function createSqliteAttachmentRows(db: SqliteDatabase): SqliteAttachmentRows {
  db.exec(`
    CREATE TABLE IF NOT EXISTS thread_attachments (
      id TEXT PRIMARY KEY,
      user_id TEXT,
      thread_id TEXT,
      name TEXT NOT NULL,
      mime_type TEXT NOT NULL,
      type TEXT NOT NULL,
      key TEXT,
      size INTEGER,
      preview_url TEXT,
      created_at INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS thread_attachments_thread ON thread_attachments (thread_id);
    -- Uploads never sent in a message, by age: a partial index, so it holds only those rows.
    CREATE INDEX IF NOT EXISTS thread_attachments_orphans ON thread_attachments (created_at)
      WHERE thread_id IS NULL;`);

  // INSERT OR REPLACE: the two-phase upload saves the row first and again once the bytes arrive.
  const upsert = db.prepare<[AttachmentRow]>(
    `INSERT OR REPLACE INTO thread_attachments
       (id, user_id, thread_id, name, mime_type, type, key, size, preview_url, created_at)
     VALUES (@id, @user_id, @thread_id, @name, @mime_type, @type, @key, @size, @preview_url, @created_at)`,
  );
  const select = db.prepare<[string], AttachmentRow>("SELECT * FROM thread_attachments WHERE id = ?");
  const remove = db.prepare<[string]>("DELETE FROM thread_attachments WHERE id = ?");
  const removeByThread = db.prepare<[string]>("DELETE FROM thread_attachments WHERE thread_id = ?");
  const selectByThread = db.prepare<[string], AttachmentRow>(
    "SELECT * FROM thread_attachments WHERE thread_id = ? ORDER BY created_at, id",
  );
  // INDEXED BY: the planner could also walk the thread_id index for `IS NULL` and then sort; this
  // pins the partial index (and fails loudly at prepare if it were ever missing).
  const selectOrphans = db.prepare<[number, number], AttachmentRow>(
    `SELECT * FROM thread_attachments INDEXED BY thread_attachments_orphans
     WHERE thread_id IS NULL AND created_at < ? ORDER BY created_at LIMIT ?`,
  );

  return {
    save(a) {
      upsert.run({
        id: a.id,
        user_id: a.userId,
        thread_id: a.threadId,
        name: a.name,
        mime_type: a.mimeType,
        type: a.type,
        key: a.key,
        size: a.size,
        preview_url: a.previewUrl,
        created_at: a.createdAt,
      });
    },
    get(attachmentId) {
      const row = select.get(attachmentId);
      return row ? toAttachment(row) : null;
    },
    delete(attachmentId) {
      remove.run(attachmentId);
    },
    deleteByThread(threadId) {
      removeByThread.run(threadId);
    },
    listByThread(threadId) {
      return selectByThread.all(threadId).map(toAttachment);
    },
    listOrphans(createdBefore, limit) {
      const rows = Number.isFinite(limit) ? Math.max(0, Math.floor(limit)) : 0;
      return selectOrphans.all(createdBefore, rows).map(toAttachment);
    },
  };
}

function toAttachment(row: AttachmentRow): StoredAttachment {
  return {
    id: row.id,
    userId: row.user_id,
    threadId: row.thread_id,
    name: row.name,
    mimeType: row.mime_type,
    type: row.type,
    key: row.key,
    size: row.size,
    previewUrl: row.preview_url,
    createdAt: row.created_at,
  };
}

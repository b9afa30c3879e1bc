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
    CREATE INDEX IF NOT EXISTS thread_attachments_thread ON thread_attachments (thread_id);`);

  // INSERT OR REPLACE: the two-phase upload saves the row first and again once the bytes arrive.
  const upsert = db.prepare<[AttachmentRow]>(
    `INSERT OR REPLACE INTO thread_attachments
       (id, user_id, thread_id, name, mime_type, type, key, size, preview_url, created_at)
     VALUES (@id, @user_id, @thread_id, @name, @mime_type, @type, @key, @size, @preview_url, @created_at)`,
  );
  const select = db.prepare<[string], AttachmentRow>("SELECT * FROM thread_attachments WHERE id = ?");
  const remove = db.prepare<[string]>("DELETE FROM thread_attachments WHERE id = ?");
  const removeByThread = db.prepare<[string]>("DELETE FROM thread_attachments WHERE thread_id = ?");

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

import type { StoredThreadItem, ThreadRecord, ThreadStore } from "../../ports/thread-store.js";
import type { SqliteDatabase } from "./database.js";

/** Options of {@link createSqliteThreadStore}. */
export interface SqliteThreadStoreOptions {
  /** The shared database (see openSqliteDatabase). */
  db: SqliteDatabase;
}

interface ThreadRow {
  id: string;
  created_at: number;
  last_customer_activity_at: number | null;
  title: string | null;
}

function toRecord(row: ThreadRow): ThreadRecord {
  return {
    id: row.id,
    createdAt: row.created_at,
    lastCustomerActivityAt: row.last_customer_activity_at,
    title: row.title,
  };
}

/** ThreadStore on SQLite: a thread table and an item table holding each item as JSON. */
export function createSqliteThreadStore(options: SqliteThreadStoreOptions): ThreadStore {
  const { db } = options;
  db.exec(`
    CREATE TABLE IF NOT EXISTS threads (
      id TEXT PRIMARY KEY,
      created_at INTEGER NOT NULL,
      last_customer_activity_at INTEGER,
      title TEXT
    );
    CREATE TABLE IF NOT EXISTS thread_items (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      thread_id TEXT NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
      id TEXT NOT NULL,
      data TEXT NOT NULL,
      UNIQUE (thread_id, id)
    );`);

  const insertThread = db.prepare("INSERT INTO threads (id, created_at, title) VALUES (?, ?, ?)");
  const selectThread = db.prepare<[string], ThreadRow>("SELECT * FROM threads WHERE id = ?");
  const insertItem = db.prepare("INSERT INTO thread_items (thread_id, id, data) VALUES (?, ?, ?)");
  const bumpActivity = db.prepare(
    "UPDATE threads SET last_customer_activity_at = max(coalesce(last_customer_activity_at, 0), ?) WHERE id = ?",
  );
  const selectItems = db.prepare<[string], { data: string }>(
    "SELECT data FROM thread_items WHERE thread_id = ? ORDER BY seq",
  );
  const addItem = db.transaction((threadId: string, item: StoredThreadItem) => {
    insertItem.run(threadId, item.id, JSON.stringify(item));
    if (item.type === "user_message") {
      const at = Date.parse(item.created_at);
      if (!Number.isNaN(at)) bumpActivity.run(at, threadId);
    }
  });

  return {
    async createThread(thread) {
      insertThread.run(thread.id, thread.createdAt, thread.title ?? null);
      return {
        id: thread.id,
        createdAt: thread.createdAt,
        lastCustomerActivityAt: null,
        title: thread.title ?? null,
      };
    },
    async getThread(threadId) {
      const row = selectThread.get(threadId);
      return row ? toRecord(row) : null;
    },
    async addItem(threadId, item) {
      if (!selectThread.get(threadId)) throw new Error(`thread ${threadId} does not exist`);
      addItem(threadId, item);
    },
    async listItems(threadId) {
      return selectItems.all(threadId).map((row) => JSON.parse(row.data) as StoredThreadItem);
    },
  };
}

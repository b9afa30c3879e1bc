import type {
  Page,
  PageRequest,
  StoredThreadItem,
  ThreadRecord,
  ThreadStore,
} from "../../ports/thread-store.js";
import { batchLimit, type SqliteDatabase } from "./database.js";
import { createSqliteAttachmentRows } from "./thread-attachments.js";

/** Options of {@link createSqliteThreadStore}. */
export interface SqliteThreadStoreOptions {
  /** The shared database (see openSqliteDatabase). */
  db: SqliteDatabase;
}

interface ThreadRow {
  id: string;
  user_id: string | null;
  created_at: number;
  last_customer_activity_at: number | null;
  title: string | null;
}

/** Page size when the caller gives none. */
const DEFAULT_LIMIT = 20;
/** Hard cap, so one request cannot read a whole table. */
const MAX_LIMIT = 100;

function toRecord(row: ThreadRow): ThreadRecord {
  return {
    id: row.id,
    userId: row.user_id,
    createdAt: row.created_at,
    lastCustomerActivityAt: row.last_customer_activity_at,
    title: row.title,
  };
}

/** Clamps to 1..MAX_LIMIT; a missing or non-finite limit means DEFAULT_LIMIT. */
function pageLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_LIMIT;
  return Math.min(MAX_LIMIT, Math.max(1, Math.floor(limit)));
}

/** Rows were fetched with limit + 1: the extra row only tells that another page exists. */
function toPage<T extends { id: string }>(rows: T[], limit: number): Page<T> {
  const data = rows.slice(0, limit);
  return { data, hasMore: rows.length > limit, after: data.at(-1)?.id ?? null };
}

/**
 * Creates the tables, adding columns that older `.data` files lack. Runs in an IMMEDIATE
 * transaction so a server and a CLI opening the same old file do not both try the ALTER.
 */
function migrate(db: SqliteDatabase): void {
  db.transaction(() => {
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
    const columns = db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('threads')").all();
    if (!columns.some((c) => c.name === "user_id")) db.exec("ALTER TABLE threads ADD COLUMN user_id TEXT");
    db.exec("CREATE INDEX IF NOT EXISTS threads_user_created ON threads (user_id, created_at)");
    // listActive's order, read backwards; partial, so threads the customer never wrote in cost nothing.
    db.exec(`CREATE INDEX IF NOT EXISTS threads_active ON threads (last_customer_activity_at, id)
      WHERE last_customer_activity_at IS NOT NULL`);
  }).immediate();
}

/**
 * ThreadStore on SQLite: a thread table, an item table holding each item as JSON (in insertion
 * order by `seq`) and an attachment table. Pagination follows the ChatKit protocol: `after` is the
 * id of the last element seen; an `after` id that is unknown (or not this user's/thread's) starts
 * from the beginning, as if absent, so a stale cursor never fails a request.
 */
export function createSqliteThreadStore(options: SqliteThreadStoreOptions): ThreadStore {
  const { db } = options;
  migrate(db);
  const attachments = createSqliteAttachmentRows(db);

  const insertThread = db.prepare("INSERT INTO threads (id, user_id, created_at, title) VALUES (?, ?, ?, ?)");
  const selectThread = db.prepare<[string], ThreadRow>("SELECT * FROM threads WHERE id = ?");
  const setTitle = db.prepare<[string | null, string]>("UPDATE threads SET title = ? WHERE id = ?");
  const deleteItemsOf = db.prepare<[string]>("DELETE FROM thread_items WHERE thread_id = ?");
  const deleteThreadRow = db.prepare<[string]>("DELETE FROM threads WHERE id = ?");
  // Checks that the thread exists in the same statement (no rows inserted: it does not), so a turn
  // does not pay a look-up of its own for each item it adds.
  const insertItem = db.prepare<[string, string, string, string]>(
    "INSERT INTO thread_items (thread_id, id, data) SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM threads WHERE id = ?)",
  );
  const bumpActivity = db.prepare(
    "UPDATE threads SET last_customer_activity_at = max(coalesce(last_customer_activity_at, 0), ?) WHERE id = ?",
  );
  const selectItems = db.prepare<[string], { data: string }>(
    "SELECT data FROM thread_items WHERE thread_id = ? ORDER BY seq",
  );
  const countItemsOf = db.prepare<[string], { n: number }>(
    "SELECT count(*) AS n FROM thread_items WHERE thread_id = ?",
  );
  const deleteItemRow = db.prepare<[string, string]>(
    "DELETE FROM thread_items WHERE thread_id = ? AND id = ?",
  );
  // Only `data` changes: the row keeps its `seq`, so the item keeps its place and its cursors.
  const setItemData = db.prepare<[string, string, string]>(
    "UPDATE thread_items SET data = ? WHERE thread_id = ? AND id = ?",
  );
  const itemSeq = db.prepare<[string, string], { seq: number }>(
    "SELECT seq FROM thread_items WHERE thread_id = ? AND id = ?",
  );
  const threadCursor = db.prepare<[string, string], { created_at: number; id: string }>(
    "SELECT created_at, id FROM threads WHERE id = ? AND user_id = ?",
  );
  // One statement per order: SQL cannot bind ASC/DESC, and the comparison flips with it.
  const itemPages = {
    asc: db.prepare<[string, number, number], { data: string }>(
      "SELECT data FROM thread_items WHERE thread_id = ? AND seq > ? ORDER BY seq ASC LIMIT ?",
    ),
    desc: db.prepare<[string, number, number], { data: string }>(
      "SELECT data FROM thread_items WHERE thread_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?",
    ),
  };
  // Ties on created_at are broken by id, so the cursor is a total order and no thread is skipped.
  const threadPages = {
    asc: db.prepare<[string, number, string, number], ThreadRow>(
      `SELECT * FROM threads WHERE user_id = ? AND (created_at, id) > (?, ?)
       ORDER BY created_at ASC, id ASC LIMIT ?`,
    ),
    desc: db.prepare<[string, number, string, number], ThreadRow>(
      `SELECT * FROM threads WHERE user_id = ? AND (created_at, id) < (?, ?)
       ORDER BY created_at DESC, id DESC LIMIT ?`,
    ),
  };

  // `IS NOT NULL` repeated here so SQLite may use the partial index; the row value keeps ties in id order.
  const activePage = db.prepare<[number, number, string, number], ThreadRow>(
    `SELECT * FROM threads WHERE last_customer_activity_at IS NOT NULL
       AND last_customer_activity_at >= ? AND (last_customer_activity_at, id) < (?, ?)
     ORDER BY last_customer_activity_at DESC, id DESC LIMIT ?`,
  );

  /** Inserts the item; throws (rolling back the caller's transaction, if any) when the thread is absent. */
  const insert = (threadId: string, item: StoredThreadItem) => {
    if (insertItem.run(threadId, item.id, JSON.stringify(item), threadId).changes === 0)
      throw new Error(`thread ${threadId} does not exist`);
  };
  // A customer message also moves the thread's activity time: both or neither.
  const addCustomerItem = db.transaction((threadId: string, item: StoredThreadItem, at: number) => {
    insert(threadId, item);
    bumpActivity.run(at, threadId);
  });
  const deleteThread = db.transaction((threadId: string) => {
    deleteItemsOf.run(threadId);
    attachments.deleteByThread(threadId);
    deleteThreadRow.run(threadId);
  });

  return {
    async createThread(thread) {
      const userId = thread.userId ?? null;
      const title = thread.title ?? null;
      insertThread.run(thread.id, userId, thread.createdAt, title);
      return { id: thread.id, userId, createdAt: thread.createdAt, lastCustomerActivityAt: null, title };
    },
    async getThread(threadId) {
      const row = selectThread.get(threadId);
      return row ? toRecord(row) : null;
    },
    async listThreads(userId, page: PageRequest = {}) {
      const limit = pageLimit(page.limit);
      const order = page.order ?? "desc";
      const cursor = page.after ? threadCursor.get(page.after, userId) : undefined;
      // Without a cursor, start from a time past either end of the range (the id then never matters).
      const start = order === "asc" ? Number.MIN_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
      const rows = threadPages[order].all(userId, cursor?.created_at ?? start, cursor?.id ?? "", limit + 1);
      return toPage(rows.map(toRecord), limit);
    },
    async listActive({ limit, before, since }) {
      // Without a cursor, start past the newest possible time (the id then never matters).
      const rows = activePage.all(
        since ?? Number.MIN_SAFE_INTEGER,
        before?.at ?? Number.MAX_SAFE_INTEGER,
        before?.threadId ?? "",
        batchLimit(limit),
      );
      return rows.map(toRecord);
    },
    async updateThread(threadId, patch) {
      if (setTitle.run(patch.title, threadId).changes === 0) return null;
      const row = selectThread.get(threadId);
      return row ? toRecord(row) : null;
    },
    async deleteThread(threadId) {
      deleteThread(threadId);
    },
    async addItem(threadId, item) {
      const at = item.type === "user_message" ? Date.parse(item.created_at) : Number.NaN;
      // One statement needs no transaction of its own (SQLite commits it alone).
      if (Number.isNaN(at)) insert(threadId, item);
      else addCustomerItem(threadId, item, at);
    },
    async listItems(threadId) {
      return selectItems.all(threadId).map((row) => JSON.parse(row.data) as StoredThreadItem);
    },
    async listItemsPage(threadId, page: PageRequest = {}) {
      const limit = pageLimit(page.limit);
      const order = page.order ?? "asc";
      const cursor = page.after ? itemSeq.get(threadId, page.after) : undefined;
      const from = cursor ? cursor.seq : order === "asc" ? 0 : Number.MAX_SAFE_INTEGER;
      const rows = itemPages[order].all(threadId, from, limit + 1);
      return toPage(
        rows.map((row) => JSON.parse(row.data) as StoredThreadItem),
        limit,
      );
    },
    async countItems(threadId) {
      return countItemsOf.get(threadId)?.n ?? 0;
    },
    async deleteItem(threadId, itemId) {
      return deleteItemRow.run(threadId, itemId).changes > 0;
    },
    async replaceItem(threadId, item) {
      return setItemData.run(JSON.stringify(item), threadId, item.id).changes > 0;
    },
    async saveAttachment(attachment) {
      attachments.save(attachment);
    },
    async getAttachment(attachmentId) {
      return attachments.get(attachmentId);
    },
    async deleteAttachment(attachmentId) {
      attachments.delete(attachmentId);
    },
    async listThreadAttachments(threadId) {
      return attachments.listByThread(threadId);
    },
    async listOrphanAttachments(createdBefore, limit) {
      return attachments.listOrphans(createdBefore, limit);
    },
  };
}

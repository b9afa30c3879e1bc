import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openSqliteDatabase } from "../../../src/adapters/sqlite/database.js";
import { createSqliteThreadStore } from "../../../src/adapters/sqlite/thread-store.js";
import { runThreadStoreContract } from "../../contracts/thread-store.contract.js";
import { preparedWith, queryPlan, recordPreparedSql } from "../../support/query-plan.js";
import { sqliteFixture } from "../../support/sqlite.js";
import { makeTempDir } from "../../support/temp-dir.js";

runThreadStoreContract(
  "sqlite",
  sqliteFixture((db) => createSqliteThreadStore({ db })),
);

/** The schema a `.data` file written before threads had owners holds. */
const OLD_SCHEMA = `
  CREATE TABLE threads (
    id TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL,
    last_customer_activity_at INTEGER,
    title TEXT
  );
  CREATE TABLE thread_items (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    thread_id TEXT NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    data TEXT NOT NULL,
    UNIQUE (thread_id, id)
  );`;

describe("sqlite thread store migration", () => {
  it("adds user_id to an old database and still reads its rows", async () => {
    const temp = makeTempDir();
    const path = join(temp.dir, "old.sqlite");
    try {
      const old = openSqliteDatabase({ path });
      old.exec(OLD_SCHEMA);
      old.prepare("INSERT INTO threads VALUES ('cthr_old', 1000, 2000, 'Old seat')").run();
      const item = { id: "u1", type: "user_message", created_at: "2026-01-01T00:00:00.000Z", content: [] };
      old
        .prepare("INSERT INTO thread_items (thread_id, id, data) VALUES ('cthr_old', 'u1', ?)")
        .run(JSON.stringify(item));
      old.close();

      const db = openSqliteDatabase({ path });
      const store = createSqliteThreadStore({ db });
      const columns = db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('threads')").all();
      expect(columns.map((c) => c.name)).toContain("user_id");
      const indexes = db.prepare<[], { name: string }>("SELECT name FROM pragma_index_list('threads')").all();
      expect(indexes.map((i) => i.name)).toEqual(
        expect.arrayContaining(["threads_user_created", "threads_active"]),
      );

      expect(await store.getThread("cthr_old")).toEqual({
        id: "cthr_old",
        userId: null,
        createdAt: 1000,
        lastCustomerActivityAt: 2000,
        title: "Old seat",
      });
      expect(await store.listItems("cthr_old")).toEqual([item]);
      // New rows work next to the old one; the old thread has no owner, so no user lists it.
      await store.createThread({ id: "cthr_new", createdAt: 3000, userId: "user_a" });
      expect((await store.listThreads("user_a")).data.map((t) => t.id)).toEqual(["cthr_new"]);
      // Its customer's activity, written before the index existed, is listed all the same.
      expect((await store.listActive({ limit: 10 })).map((t) => t.id)).toEqual(["cthr_old"]);
      await store.addItem("cthr_old", { ...item, id: "u2" });
      expect(await store.countItems("cthr_old")).toBe(2);

      // Opening again (a second process, or a restart) is a no-op, not a duplicate-column error.
      expect(() => createSqliteThreadStore({ db })).not.toThrow();
      db.close();
    } finally {
      temp.remove();
    }
  });
});

describe("sqlite attachment listings", () => {
  it("find orphans on a partial index by age and a thread's rows on the thread index, never by a scan", async () => {
    const temp = makeTempDir();
    try {
      const db = openSqliteDatabase({ path: join(temp.dir, "data.sqlite") });
      // The attachment table as it was before orphans were listed: only the thread_id index.
      db.exec(`CREATE TABLE thread_attachments (
        id TEXT PRIMARY KEY, user_id TEXT, thread_id TEXT, name TEXT NOT NULL, mime_type TEXT NOT NULL,
        type TEXT NOT NULL, key TEXT, size INTEGER, preview_url TEXT, created_at INTEGER NOT NULL);
        CREATE INDEX thread_attachments_thread ON thread_attachments (thread_id);`);
      db.prepare(
        "INSERT INTO thread_attachments VALUES ('att_old', 'u', NULL, 'a.jpg', 'image/jpeg', 'image', NULL, NULL, NULL, 5)",
      ).run();
      const seen = recordPreparedSql(db);
      const store = createSqliteThreadStore({ db });

      const orphans = queryPlan(db, preparedWith(seen, "thread_id IS NULL AND created_at <"), [1000, 100]);
      expect(orphans).toEqual([
        expect.stringMatching(
          /^SEARCH thread_attachments USING INDEX thread_attachments_orphans \(created_at<\?\)$/,
        ),
      ]);
      const ofThread = queryPlan(
        db,
        preparedWith(seen, "SELECT * FROM thread_attachments WHERE thread_id = ?"),
        ["cthr_1"],
      );
      expect(ofThread).toContainEqual(
        expect.stringMatching(
          /^SEARCH thread_attachments USING INDEX thread_attachments_thread \(thread_id=\?\)/,
        ),
      );
      expect([...orphans, ...ofThread].filter((line) => line.startsWith("SCAN"))).toEqual([]);

      expect((await store.listOrphanAttachments(1000, 10)).map((a) => a.id)).toEqual(["att_old"]);
      db.close();
    } finally {
      temp.remove();
    }
  });
});

describe("sqlite active threads", () => {
  it("lists them from the partial activity index, read backwards: no scan, no sort", async () => {
    const temp = makeTempDir();
    try {
      const db = openSqliteDatabase({ path: join(temp.dir, "data.sqlite") });
      const seen = recordPreparedSql(db);
      const store = createSqliteThreadStore({ db });
      const sql = preparedWith(seen, "ORDER BY last_customer_activity_at DESC");
      for (const params of [
        [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, "", 50],
        [1000, 5000, "cthr_1", 50],
      ]) {
        const plan = queryPlan(db, sql, params);
        expect(plan).toEqual([expect.stringMatching(/^SEARCH threads USING INDEX threads_active \(/)]);
        expect(plan.filter((line) => /SCAN|TEMP B-TREE/.test(line))).toEqual([]);
      }

      // Threads the customer never wrote in are not even in the index.
      await store.createThread({ id: "cthr_quiet", createdAt: 1 });
      await store.createThread({ id: "cthr_1", createdAt: 2 });
      await store.addItem("cthr_1", {
        id: "u1",
        type: "user_message",
        created_at: "2026-01-01T00:00:00.000Z",
        content: [],
      });
      const indexed = db
        .prepare<[], { n: number }>(
          "SELECT count(*) AS n FROM threads INDEXED BY threads_active WHERE last_customer_activity_at IS NOT NULL",
        )
        .get();
      expect(indexed?.n).toBe(1);
      expect((await store.listActive({ limit: 10 })).map((t) => t.id)).toEqual(["cthr_1"]);
      db.close();
    } finally {
      temp.remove();
    }
  });
});

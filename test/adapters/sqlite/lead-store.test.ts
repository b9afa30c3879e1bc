import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { openSqliteDatabase } from "../../../src/adapters/sqlite/database.js";
import { createSqliteLeadStore } from "../../../src/adapters/sqlite/lead-store.js";
import { runLeadStoreContract } from "../../contracts/lead-store.contract.js";
import { preparedWith, queryPlan, recordPreparedSql } from "../../support/query-plan.js";
import { makeTempDir } from "../../support/temp-dir.js";
import { mountTmpfs } from "../../support/tmpfs.js";

// Each contract test gets its database on a small tmpfs of its own, so "writes fail" is a real
// full disk: SQLite learns of it only when it commits, as in production.
runLeadStoreContract("sqlite (on a tmpfs)", async () => {
  const disk = mountTmpfs("2m");
  const db = openSqliteDatabase({ path: join(disk.dir, "test.sqlite") });
  return {
    store: createSqliteLeadStore({ db }),
    async breakWrites() {
      disk.fill();
    },
    async teardown() {
      db.close();
      disk.unmount();
    },
  };
});

describe("sqlite lead store migration", () => {
  it("brings a table written before `failed` and prepared emails up to date, rows kept", async () => {
    const temp = makeTempDir();
    try {
      const path = join(temp.dir, "old.sqlite");
      const old = new Database(path);
      old.exec(`CREATE TABLE lead_sends (
        thread_id TEXT PRIMARY KEY,
        state TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'error')),
        lease_id TEXT NOT NULL, lease_expires_at INTEGER NOT NULL, attempts INTEGER NOT NULL,
        last_error TEXT, retry_after INTEGER, message_id TEXT, sent_at INTEGER, ttl INTEGER NOT NULL)`);
      old
        .prepare("INSERT INTO lead_sends VALUES ('cthr_old', 'sent', 'l1', 5, 1, NULL, NULL, '<m>', 7, 9999)")
        .run();
      old.close();
      const db = openSqliteDatabase({ path });
      const store = createSqliteLeadStore({ db });
      expect(await store.get("cthr_old")).toMatchObject({ state: "sent", messageId: "<m>", emailKey: null });
      await store.acquireLease({
        threadId: "cthr_new",
        leaseId: "l2",
        now: 1,
        leaseExpiresAt: 100,
        ttl: 9999,
      });
      expect(await store.markFailed({ threadId: "cthr_new", leaseId: "l2", error: "550" })).toBe(true);
      expect(await store.countFailed(1)).toBe(1);
      db.close();
    } finally {
      temp.remove();
    }
  });
});

describe("sqlite lead store queries", () => {
  it("finds due threads and expired rows through indexes, never a scan", () => {
    const db = openSqliteDatabase({ path: ":memory:" });
    const seen = recordPreparedSql(db);
    createSqliteLeadStore({ db });
    const plans = [
      queryPlan(db, preparedWith(seen, "FROM lead_due WHERE due_at"), [1000, 100]),
      queryPlan(db, preparedWith(seen, "DELETE FROM lead_sends"), [1000, 100]),
      queryPlan(db, preparedWith(seen, "count(*)"), [1000]),
    ];
    for (const plan of plans) {
      expect(plan.some((line) => /USING (COVERING )?INDEX/.test(line))).toBe(true);
      expect(plan.filter((line) => line.startsWith("SCAN"))).toEqual([]);
    }
    db.close();
  });
});

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createSqliteAttributionStore } from "../../../src/adapters/sqlite/attribution-store.js";
import { openSqliteDatabase } from "../../../src/adapters/sqlite/database.js";
import {
  runAttributionStoreContract,
  sampleAttributionRecord,
} from "../../contracts/attribution-store.contract.js";
import { preparedWith, queryPlan, recordPreparedSql } from "../../support/query-plan.js";
import { sqliteFixture } from "../../support/sqlite.js";
import { makeTempDir } from "../../support/temp-dir.js";

runAttributionStoreContract(
  "sqlite",
  sqliteFixture((db) => createSqliteAttributionStore({ db })),
);

describe("sqlite attribution store", () => {
  it("compares the ttl with the injected clock and survives a reopen", async () => {
    const temp = makeTempDir();
    const path = join(temp.dir, "data.sqlite");
    try {
      const record = sampleAttributionRecord({ createdAt: 1000, ttl: 5000 });
      const first = openSqliteDatabase({ path });
      await createSqliteAttributionStore({ db: first, now: () => 4999 }).put(record);
      first.close();
      const db = openSqliteDatabase({ path });
      expect(await createSqliteAttributionStore({ db, now: () => 4999 }).get(record.threadId)).toEqual(
        record,
      );
      expect(await createSqliteAttributionStore({ db, now: () => 5000 }).get(record.threadId)).toBeNull();
      db.close();
    } finally {
      temp.remove();
    }
  });
});

describe("sqlite attribution pruning", () => {
  it("finds expired rows on the ttl index, also in a table made before the index existed", async () => {
    const temp = makeTempDir();
    try {
      const db = openSqliteDatabase({ path: join(temp.dir, "old.sqlite") });
      // The table as the adapter made it before rows were pruned: no index on ttl.
      db.exec(`CREATE TABLE lead_attribution (
        thread_id TEXT PRIMARY KEY, attribution TEXT NOT NULL, created_at INTEGER NOT NULL,
        lead_sent_at INTEGER, ttl INTEGER NOT NULL) WITHOUT ROWID`);
      db.prepare("INSERT INTO lead_attribution VALUES ('cthr_old', '{}', 1, NULL, 2)").run();
      const seen = recordPreparedSql(db);
      const store = createSqliteAttributionStore({ db, now: () => 1 });

      const plan = queryPlan(db, preparedWith(seen, "DELETE FROM lead_attribution"), [1000, 100]);
      expect(plan).toContainEqual(
        expect.stringMatching(
          /^SEARCH lead_attribution USING (COVERING )?INDEX lead_attribution_ttl \(ttl<\?\)/,
        ),
      );
      expect(plan.filter((line) => line.startsWith("SCAN"))).toEqual([]);

      expect(await store.get("cthr_old")).not.toBeNull();
      expect(await store.prune(2, 100)).toBe(1);
      expect(db.prepare("SELECT count(*) AS n FROM lead_attribution").get()).toEqual({ n: 0 });
      db.close();
    } finally {
      temp.remove();
    }
  });
});

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openSqliteDatabase } from "../../../src/adapters/sqlite/database.js";
import { createSqliteTokenStore } from "../../../src/adapters/sqlite/token-store.js";
import { runTokenStoreContract, sampleSmsLinkRecord } from "../../contracts/token-store.contract.js";
import { preparedWith, queryPlan, recordPreparedSql } from "../../support/query-plan.js";
import { sqliteFixture } from "../../support/sqlite.js";
import { makeTempDir } from "../../support/temp-dir.js";

runTokenStoreContract(
  "sqlite (file)",
  sqliteFixture((db) => createSqliteTokenStore({ db })),
);

describe("sqlite token store", () => {
  it("keeps data when the file is closed and reopened", async () => {
    const temp = makeTempDir("token-store-");
    const path = join(temp.dir, "nested", "data.sqlite");
    try {
      const record = sampleSmsLinkRecord();
      const first = openSqliteDatabase({ path });
      await createSqliteTokenStore({ db: first }).put(record);
      first.close();

      const second = openSqliteDatabase({ path });
      // Creating the store again must not drop or recreate the table.
      expect(await createSqliteTokenStore({ db: second }).get(record.token)).toEqual(record);
      second.close();
    } finally {
      temp.remove();
    }
  });
});

describe("sqlite token pruning", () => {
  it("finds expired tokens on the expires_at index, also in a table made before the index existed", async () => {
    const temp = makeTempDir("token-store-");
    try {
      const db = openSqliteDatabase({ path: join(temp.dir, "old.sqlite") });
      // The table as the adapter made it before tokens were pruned: no index on expires_at.
      db.exec(`CREATE TABLE sms_link_tokens (
        token TEXT PRIMARY KEY, thread_id TEXT NOT NULL, phone TEXT NOT NULL, customer_name TEXT,
        body TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL) WITHOUT ROWID`);
      const old = sampleSmsLinkRecord({ createdAt: 1, expiresAt: 2 });
      db.prepare("INSERT INTO sms_link_tokens VALUES (?, 't', '+15125550123', NULL, 'Hi', 1, 2)").run(
        old.token,
      );
      const seen = recordPreparedSql(db);
      const store = createSqliteTokenStore({ db });

      const plan = queryPlan(db, preparedWith(seen, "DELETE FROM sms_link_tokens"), [1000, 100]);
      expect(plan).toContainEqual(
        expect.stringMatching(
          /^SEARCH sms_link_tokens USING (COVERING )?INDEX sms_link_tokens_expires \(expires_at<\?\)/,
        ),
      );
      expect(plan.filter((line) => line.startsWith("SCAN"))).toEqual([]);

      expect(await store.get(old.token)).not.toBeNull();
      expect(await store.prune(2, 100)).toBe(1);
      expect(await store.get(old.token)).toBeNull();
      db.close();
    } finally {
      temp.remove();
    }
  });
});

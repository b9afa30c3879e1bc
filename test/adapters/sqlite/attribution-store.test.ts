import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createSqliteAttributionStore } from "../../../src/adapters/sqlite/attribution-store.js";
import { openSqliteDatabase } from "../../../src/adapters/sqlite/database.js";
import {
  runAttributionStoreContract,
  sampleAttributionRecord,
} from "../../contracts/attribution-store.contract.js";
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

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openSqliteDatabase } from "../../../src/adapters/sqlite/database.js";
import { createSqliteTokenStore } from "../../../src/adapters/sqlite/token-store.js";
import { runTokenStoreContract, sampleSmsLinkRecord } from "../../contracts/token-store.contract.js";
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

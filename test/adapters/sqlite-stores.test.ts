import { join } from "node:path";
import { createFsBlobStore } from "../../src/adapters/fs/blob-store.js";
import { openSqliteDatabase } from "../../src/adapters/sqlite/database.js";
import { createSqliteLeadStore } from "../../src/adapters/sqlite/lead-store.js";
import { createSqliteThreadStore } from "../../src/adapters/sqlite/thread-store.js";
import { runBlobStoreContract } from "../contracts/blob-store.contract.js";
import { runLeadStoreContract } from "../contracts/lead-store.contract.js";
import { runThreadStoreContract } from "../contracts/thread-store.contract.js";
import { makeTempDir } from "../support/temp-dir.js";

function sqliteFixture<T>(make: (db: ReturnType<typeof openSqliteDatabase>) => T) {
  return async () => {
    const temp = makeTempDir();
    const db = openSqliteDatabase({ path: join(temp.dir, "test.sqlite") });
    return {
      store: make(db),
      async teardown() {
        db.close();
        temp.remove();
      },
    };
  };
}

runLeadStoreContract(
  "sqlite",
  sqliteFixture((db) => createSqliteLeadStore({ db })),
);
runThreadStoreContract(
  "sqlite",
  sqliteFixture((db) => createSqliteThreadStore({ db })),
);
runBlobStoreContract("fs", async () => {
  const temp = makeTempDir();
  return { store: createFsBlobStore({ root: join(temp.dir, "blobs") }), teardown: async () => temp.remove() };
});

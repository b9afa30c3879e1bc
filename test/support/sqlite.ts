import { join } from "node:path";
import { openSqliteDatabase } from "../../src/adapters/sqlite/database.js";
import { makeTempDir } from "./temp-dir.js";

/** A contract fixture: a store over a fresh SQLite file in a temp dir, removed on teardown. */
export function sqliteFixture<T>(make: (db: ReturnType<typeof openSqliteDatabase>) => T) {
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

import type { SqliteDatabase } from "../../src/adapters/sqlite/database.js";

/**
 * Records the SQL of every statement an adapter prepares on `db` from now on, so a test can ask
 * SQLite how it runs the adapter's own queries (not a copy of them).
 */
export function recordPreparedSql(db: SqliteDatabase): string[] {
  const seen: string[] = [];
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    seen.push(sql);
    return prepare(sql);
  }) as SqliteDatabase["prepare"];
  return seen;
}

/** The one recorded statement that contains `fragment` (throws when none or several do). */
export function preparedWith(seen: readonly string[], fragment: string): string {
  const found = seen.filter((sql) => sql.includes(fragment));
  if (found.length !== 1) throw new Error(`${found.length} prepared statements contain ${fragment}`);
  return found[0] as string;
}

/** The detail lines of `EXPLAIN QUERY PLAN` for `sql`, bound with `params`. */
export function queryPlan(db: SqliteDatabase, sql: string, params: unknown[]): string[] {
  return db
    .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
    .all(...params)
    .map((row) => row.detail);
}

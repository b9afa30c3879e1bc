import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";

/** An open better-sqlite3 database, shared by every SQLite adapter of one process. */
export type SqliteDatabase = Database.Database;

/** Options of {@link openSqliteDatabase}. */
export interface SqliteDatabaseOptions {
  /** File path, or `:memory:`. */
  path: string;
}

/**
 * Opens (creating folders as needed) a SQLite database in WAL mode with a busy timeout, so
 * several processes (server, CLI) can share the file. Each adapter creates its own tables.
 */
export function openSqliteDatabase(options: SqliteDatabaseOptions): SqliteDatabase {
  if (options.path !== ":memory:") mkdirSync(dirname(options.path), { recursive: true });
  const db = new Database(options.path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  return db;
}

/** A whole number of rows, at least 0 (a negative LIMIT would mean "no limit" to SQLite). */
export function batchLimit(limit: number): number {
  return Number.isFinite(limit) ? Math.max(0, Math.floor(limit)) : 0;
}

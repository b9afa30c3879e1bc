import { describe, expect, it } from "vitest";
import {
  NotFoundError,
  STORAGE_ERROR_MESSAGE,
  StorageError,
  storageErrorFrom,
  UpstreamError,
} from "../../src/core/errors.js";

/** An error as fs or better-sqlite3 throws it: a message and a `code`. */
function coded(code: string, message = `${code}: something, '/srv/data/blobs/x.png'`): Error {
  return Object.assign(new Error(message), { code });
}

describe("storageErrorFrom", () => {
  it.each([
    ["ENOSPC", "storage_full", 507],
    ["EDQUOT", "storage_full", 507],
    ["SQLITE_FULL", "storage_full", 507],
    ["EROFS", "storage_unavailable", 503],
    ["EACCES", "storage_unavailable", 503],
    ["EPERM", "storage_unavailable", 503],
    ["EIO", "storage_unavailable", 503],
    ["SQLITE_IOERR", "storage_unavailable", 503],
    ["SQLITE_IOERR_WRITE", "storage_unavailable", 503],
    ["SQLITE_IOERR_SHORT_READ", "storage_unavailable", 503],
    ["SQLITE_READONLY", "storage_unavailable", 503],
    ["SQLITE_READONLY_DBMOVED", "storage_unavailable", 503],
    ["SQLITE_CANTOPEN", "storage_unavailable", 503],
    ["SQLITE_BUSY", "storage_unavailable", 503],
    ["SQLITE_BUSY_SNAPSHOT", "storage_unavailable", 503],
  ])("%s is %s (%i), with the original as its cause", (code, expected, status) => {
    const original = coded(code);
    const error = storageErrorFrom(original);
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ code: expected, status, message: STORAGE_ERROR_MESSAGE });
    expect(error?.cause).toBe(original);
    // The customer-facing words never carry the path from the original message.
    expect(error?.message).not.toContain("/srv/data");
    if (status === 503) expect(error?.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    else expect(error?.retryAfterSeconds).toBeNull();
  });

  it.each([
    ["ENOENT", coded("ENOENT")],
    ["EEXIST", coded("EEXIST")],
    ["ECONNREFUSED", coded("ECONNREFUSED")],
    ["SQLITE_CONSTRAINT_PRIMARYKEY", coded("SQLITE_CONSTRAINT_PRIMARYKEY")],
    ["SQLITE_ERROR", coded("SQLITE_ERROR")],
    ["an error without a code", new Error("ENOSPC in the message only")],
    ["a numeric code", Object.assign(new Error("x"), { code: 28 })],
    ["a string", "ENOSPC"],
    ["null", null],
    ["undefined", undefined],
    ["another AppError", new NotFoundError("No such thing.")],
    ["an UpstreamError", new UpstreamError("The mail server said no.", { cause: coded("ENOSPC") })],
  ])("%s is not a storage fault", (_name, value) => {
    expect(storageErrorFrom(value)).toBeNull();
  });

  it("returns a StorageError as it is", () => {
    const error = new StorageError("storage_full", { cause: coded("ENOSPC") });
    expect(storageErrorFrom(error)).toBe(error);
  });

  it("gives a Retry-After only to storage_unavailable", () => {
    expect(new StorageError("storage_unavailable").retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(new StorageError("storage_full").retryAfterSeconds).toBeNull();
  });
});

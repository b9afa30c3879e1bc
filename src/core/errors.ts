/**
 * A small typed error family. Every error that should reach a client as
 * `{ error: { code, message } }` is an AppError; anything else is a 500.
 */
export class AppError extends Error {
  /** Machine-readable code, e.g. `not_found`. */
  readonly code: string;
  /** HTTP status the error maps to. */
  readonly status: number;

  constructor(code: string, message: string, status: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.status = status;
  }
}

/** The request or file is malformed. */
export class ValidationError extends AppError {
  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(options?.code ?? "invalid_request", message, 400, options);
  }
}

/** The thing asked for does not exist (or is not yours). */
export class NotFoundError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("not_found", message, 404, options);
  }
}

/** The upload is bigger than allowed. */
export class PayloadTooLargeError extends AppError {
  constructor(message: string) {
    super("payload_too_large", message, 413);
  }
}

/** The upload's real type (sniffed from its bytes) is not allowed. */
export class UnsupportedMediaTypeError extends AppError {
  constructor(message: string) {
    super("unsupported_media_type", message, 415);
  }
}

/** A service we depend on (model, mail server) failed. */
export class UpstreamError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("upstream_error", message, 502, options);
  }
}

/** No client secret, or one that is expired, forged or malformed. The widget answers by asking for a new session. */
export class UnauthorizedError extends AppError {
  constructor(message: string) {
    super("unauthorized", message, 401);
  }
}

/** A rate limit was hit. `retryAfterSeconds` becomes the `Retry-After` header. */
export class TooManyRequestsError extends AppError {
  /** Whole seconds (at least 1) until a retry can succeed. */
  readonly retryAfterSeconds: number;

  constructor(message: string, retryAfterSeconds: number) {
    super("rate_limited", message, 429);
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds));
  }
}

/** What the customer is told about any storage fault; it never names a path or a file. */
export const STORAGE_ERROR_MESSAGE =
  "The server cannot store data right now; please try again in a few minutes.";

/** `storage_full`: no space left (507). `storage_unavailable`: read-only, no access, I/O error, locked (503). */
export type StorageErrorCode = "storage_full" | "storage_unavailable";

/** How long a client should wait before retrying after `storage_unavailable` (the `Retry-After` header). */
export const STORAGE_RETRY_AFTER_SECONDS = 120;

/**
 * The disk or database cannot store data: full (`storage_full`, HTTP 507 Insufficient Storage) or
 * unwritable right now (`storage_unavailable`, HTTP 503 with `Retry-After`). The message is the
 * same safe sentence for both; the real error (with its path) is the `cause`, for the logs only.
 */
export class StorageError extends AppError {
  declare readonly code: StorageErrorCode;
  /** Seconds for `Retry-After` (503 only), else null. */
  readonly retryAfterSeconds: number | null;

  constructor(code: StorageErrorCode, options?: { cause?: unknown }) {
    super(code, STORAGE_ERROR_MESSAGE, code === "storage_full" ? 507 : 503, options);
    this.retryAfterSeconds = code === "storage_unavailable" ? STORAGE_RETRY_AFTER_SECONDS : null;
  }
}

/**
 * The codes that mean "the disk or database cannot store data": Node errno codes of fs calls,
 * and SQLite primary result codes (better-sqlite3's `SqliteError.code`).
 */
const STORAGE_CODES: ReadonlyMap<string, StorageErrorCode> = new Map([
  ["ENOSPC", "storage_full"],
  ["EDQUOT", "storage_full"],
  ["EROFS", "storage_unavailable"],
  ["EACCES", "storage_unavailable"],
  ["EPERM", "storage_unavailable"],
  ["EIO", "storage_unavailable"],
  ["SQLITE_FULL", "storage_full"],
  ["SQLITE_IOERR", "storage_unavailable"],
  ["SQLITE_READONLY", "storage_unavailable"],
  ["SQLITE_CANTOPEN", "storage_unavailable"],
  ["SQLITE_BUSY", "storage_unavailable"],
]);

/**
 * Classifies any thrown value as a storage fault, reading only its `code`: a StorageError is
 * returned as is; a Node errno (`ENOSPC`, `EROFS`, ...) or a SQLite code (`SQLITE_FULL`, or an
 * extended one such as `SQLITE_IOERR_WRITE`) becomes a new StorageError with the original as its
 * cause; anything else (other AppErrors included) is null.
 */
export function storageErrorFrom(error: unknown): StorageError | null {
  if (error instanceof StorageError) return error;
  if (error instanceof AppError || typeof error !== "object" || error === null) return null;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== "string") return null;
  // Extended SQLite codes (SQLITE_IOERR_WRITE, SQLITE_READONLY_DBMOVED) mean what their primary means.
  const primary = code.startsWith("SQLITE_") ? (/^SQLITE_[A-Z]+/.exec(code)?.[0] ?? code) : code;
  const kind = STORAGE_CODES.get(primary);
  return kind ? new StorageError(kind, { cause: error }) : null;
}

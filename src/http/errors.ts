import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ZodError } from "zod";
import { AppError, storageErrorFrom, TooManyRequestsError, ValidationError } from "../core/errors.js";
import type { Logger } from "../ports/logger.js";

/** The one error body every endpoint answers with. */
export interface ErrorBody {
  error: { code: string; message: string };
}

/** Turns a zod failure into a one-line ValidationError naming the field. */
export function validationErrorFrom(error: ZodError): ValidationError {
  const issue = error.issues[0];
  const path = issue?.path.length ? `${issue.path.join(".")}: ` : "";
  return new ValidationError(`${path}${issue?.message ?? "invalid request"}`);
}

/**
 * Maps any thrown value to `{ error: { code, message } }`. Storage faults (a StorageError, or a raw
 * fs/SQLite error with a storage code) answer 507 `storage_full` or 503 `storage_unavailable` with
 * `Retry-After`, and log their real cause; other unknown errors become a logged 500.
 */
export function errorResponse(error: unknown, c: Context, logger: Logger): Response {
  const storage = storageErrorFrom(error);
  if (storage) {
    const cause = storage.cause ?? error;
    logger.error(
      {
        code: storage.code,
        err: String(cause),
        errno: (cause as { code?: unknown } | null)?.code,
        stack: (cause as Error | null)?.stack,
        path: c.req.path,
      },
      "storage error",
    );
    if (storage.retryAfterSeconds !== null) c.header("Retry-After", String(storage.retryAfterSeconds));
    return c.json<ErrorBody>(
      { error: { code: storage.code, message: storage.message } },
      storage.status as ContentfulStatusCode,
    );
  }
  if (error instanceof TooManyRequestsError) c.header("Retry-After", String(error.retryAfterSeconds));
  if (error instanceof AppError) {
    return c.json<ErrorBody>(
      { error: { code: error.code, message: error.message } },
      error.status as ContentfulStatusCode,
    );
  }
  // Hono's own HTTPExceptions (e.g. from body-limit) carry a status.
  const status = (error as { status?: number }).status;
  if (typeof status === "number" && status >= 400 && status < 500) {
    const message = error instanceof Error ? error.message : "Bad request";
    return c.json<ErrorBody>({ error: { code: "bad_request", message } }, status as ContentfulStatusCode);
  }
  logger.error({ err: String(error), stack: (error as Error)?.stack, path: c.req.path }, "unhandled error");
  return c.json<ErrorBody>(
    { error: { code: "internal_error", message: "Something went wrong on our side." } },
    500,
  );
}

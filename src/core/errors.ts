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

import { AppError } from "../../core/errors.js";

// The SDK module is loaded only on the error path (for its error classes), so importing this file
// never loads it.

/** The status we answer for an upstream failure: the upstream's own, else 504 (timeout) or 502. */
function answerStatus(status: number | null, code: string | null): number {
  if (status !== null && status >= 400 && status <= 599) return status;
  return code === "timeout" ? 504 : 502;
}

/**
 * An upstream failure of the hosted ChatKit API, answered as `upstream_error` with the upstream's
 * own status passed through (504 for a timeout, 502 without an answer). The message never holds
 * the API key (upstream messages are redacted) and there is no `cause`, since the SDK error
 * carries the raw body.
 */
export class HostedChatKitError extends AppError {
  /** The upstream HTTP status (401, 403, 429, 500, ...); null for timeouts and connection failures. */
  readonly upstreamStatus: number | null;
  /** The upstream error code (`invalid_api_key`, ...), `timeout`, `connection_error`, or null. */
  readonly upstreamCode: string | null;
  /** The upstream `x-request-id`, when there was an answer. */
  readonly requestId: string | null;

  constructor(
    message: string,
    details: { status: number | null; code: string | null; requestId?: string | null },
  ) {
    super("upstream_error", message, answerStatus(details.status, details.code));
    this.upstreamStatus = details.status;
    this.upstreamCode = details.code;
    this.requestId = details.requestId ?? null;
  }
}

/** Replaces the API key, and anything shaped like an OpenAI secret key, in upstream text. */
export function redact(text: string, apiKey: string | null): string {
  const withoutKey = apiKey && apiKey.length >= 4 ? text.split(apiKey).join("[redacted]") : text;
  return withoutKey.replace(/\bsk-[\w*.-]+/g, "sk-[redacted]");
}

/** What {@link hostedChatKitError} needs to know about the failed call. */
export interface HostedChatKitErrorContext {
  /** The client's API key, removed from any upstream text. */
  apiKey: string | null;
  /** The request timeout, for the message of a timeout. */
  timeoutMs: number;
}

/**
 * Any failure of an SDK call (`operation`, e.g. `threads.retrieve`) as a HostedChatKitError
 * without the API key: an HTTP error keeps its status, code and request id; a timeout has
 * `status: null, code: "timeout"`; a connection failure `code: "connection_error"`. A
 * HostedChatKitError is returned as it is.
 */
export async function hostedChatKitError(
  operation: string,
  error: unknown,
  context: HostedChatKitErrorContext,
): Promise<HostedChatKitError> {
  if (error instanceof HostedChatKitError) return error;
  const { apiKey, timeoutMs } = context;
  const sdk = await import("openai");
  const prefix = `hosted ChatKit ${operation}`;
  if (error instanceof sdk.APIConnectionTimeoutError) {
    return new HostedChatKitError(`${prefix} timed out after ${timeoutMs} ms`, {
      status: null,
      code: "timeout",
    });
  }
  if (error instanceof sdk.APIError && typeof error.status === "number") {
    const body = error.error as { message?: unknown } | undefined;
    const upstream = typeof body?.message === "string" ? body.message : error.message;
    const code = typeof error.code === "string" ? error.code : null;
    return new HostedChatKitError(
      `${prefix} failed: HTTP ${error.status}${code ? ` (${code})` : ""}: ${redact(upstream, apiKey)}`,
      { status: error.status, code, requestId: error.requestID ?? null },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof sdk.APIConnectionError ? "connection_error" : null;
  return new HostedChatKitError(`${prefix} failed: ${redact(message, apiKey)}`, { status: null, code });
}

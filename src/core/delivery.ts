import { UpstreamError } from "./errors.js";

/**
 * The mail server did not take the message. `permanent` when trying again cannot help (a 5xx
 * reply: bad recipient, policy rejection); the lead is then recorded as `failed` and retried no
 * more. Anything else (4xx, a dropped connection, a timeout) is retried after a cool-down.
 */
export class DeliveryError extends UpstreamError {
  readonly permanent: boolean;

  constructor(message: string, options: { permanent: boolean; cause?: unknown }) {
    super(message, options);
    this.permanent = options.permanent;
  }
}

/** RFC 5321: a 5yz reply is a permanent negative completion; 4yz is transient. */
export function isPermanentSmtpReply(responseCode: number | undefined): boolean {
  return responseCode !== undefined && responseCode >= 500 && responseCode < 600;
}

/** True when `error` says retrying cannot help. */
export function isPermanentDeliveryFailure(error: unknown): boolean {
  return error instanceof DeliveryError && error.permanent;
}

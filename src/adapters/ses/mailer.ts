import { SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";
import { DeliveryError } from "../../core/delivery.js";
import type { Mailer, OutgoingMail } from "../../ports/mailer.js";

/** Options of {@link createSesMailer}. */
export interface SesMailerOptions {
  /**
   * A configured client. Without one, a client is built whose endpoint, region and credentials
   * come from the SDK's default chain (`AWS_ENDPOINT_URL_SESV2`, `AWS_REGION`, the role, ...).
   */
  client?: SESv2Client;
  /** SES configuration set for event publishing (bounces, complaints, deliveries). */
  configurationSet?: string;
  /** ARN of the verified identity to send as, when sending authorization is used. */
  fromArn?: string;
}

/** SES v2 refuses messages over 40 MB (the MIME message, attachments encoded). */
export const SES_MAX_MESSAGE_BYTES = 40 * 1024 * 1024;

/**
 * SES errors that no retry can cure: the message or its envelope is refused, the sender is not
 * verified, the configuration set or identity does not exist, or the account is permanently
 * restricted. Everything else (throttling, quotas, a paused account, 5xx, network) is retried
 * after the lead's cool-down.
 */
const PERMANENT = new Set([
  "MessageRejected",
  "MailFromDomainNotVerifiedException",
  "BadRequestException",
  "NotFoundException",
  "AccountSuspendedException",
]);

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/**
 * `Craig's Leads <leads@example.com>` -> `leads@example.com`. The envelope gets bare addresses:
 * SES refuses a display name that is not 7-bit ASCII, and the one in the From header is what the
 * recipient sees anyway.
 */
function bareAddress(address: string): string {
  return (/<([^<>]*)>\s*$/.exec(address)?.[1] ?? address).trim();
}

/** One log-friendly line: `<SES error name> (HTTP <status>): <message>`. */
function explain(error: unknown): { name: string; line: string } {
  const e = (error ?? {}) as SdkError;
  const status = e.$metadata?.httpStatusCode;
  // A request that got no answer has no SES name; its errno (ECONNREFUSED) is the useful code.
  const name = status === undefined && e.code ? e.code : (e.name ?? "Error");
  const message = String(e.message ?? error).replace(/\s+/g, " ");
  return { name, line: `${name}${status === undefined ? "" : ` (HTTP ${status})`}: ${message}` };
}

/** The Message-ID header SES writes for a message it took, from its MessageId and the region. */
export function sesMessageIdHeader(sesMessageId: string, region: string): string {
  const host = region === "us-east-1" ? "email.amazonses.com" : `${region}.amazonses.com`;
  return `<${sesMessageId}@${host}>`;
}

/**
 * Delivers finished messages with SES v2 SendEmail (raw content): the bytes go out as composed,
 * the envelope (`Destination`, `FromEmailAddress`, as bare addresses) comes from the OutgoingMail.
 * SES replaces the message's own Message-ID header with one built from the MessageId it gives
 * (`<id@email.amazonses.com>` in us-east-1, `<id@<region>.amazonses.com>` elsewhere), so that is
 * what this resolves with: the id the owner's inbox shows, which follow-ups must answer. Throws a DeliveryError that names the SES error,
 * permanent for the errors in {@link PERMANENT} and for a message over 40 MB (never sent).
 */
export function createSesMailer(options: SesMailerOptions = {}): Mailer {
  const client = options.client ?? new SESv2Client({});

  return {
    async send(mail: OutgoingMail): Promise<{ messageId: string }> {
      const size = mail.raw.byteLength;
      if (size > SES_MAX_MESSAGE_BYTES) {
        // Checked here: uploading 40 MB only to be refused would hold the send lease for nothing.
        const limit = `SES's limit of ${SES_MAX_MESSAGE_BYTES} bytes`;
        throw new DeliveryError(
          `SES delivery failed: MessageTooLarge: the message is ${size} bytes, over ${limit}; not sent`,
          { permanent: true },
        );
      }
      const command = new SendEmailCommand({
        FromEmailAddress: bareAddress(mail.from),
        Destination: { ToAddresses: mail.to.map(bareAddress) },
        Content: { Raw: { Data: mail.raw } },
        ...(options.configurationSet ? { ConfigurationSetName: options.configurationSet } : {}),
        ...(options.fromArn ? { FromEmailAddressIdentityArn: options.fromArn } : {}),
      });
      try {
        const { MessageId } = await client.send(command);
        // SES names every message it takes; should it not, the message is out all the same and
        // must not be sent again.
        if (!MessageId) return { messageId: mail.messageId };
        return { messageId: sesMessageIdHeader(MessageId, await client.config.region()) };
      } catch (error) {
        const { name, line } = explain(error);
        throw new DeliveryError(`SES delivery failed: ${line}`, {
          permanent: PERMANENT.has(name),
          cause: error,
        });
      }
    },
  };
}

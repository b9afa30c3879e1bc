import type { SMTPTransportOptions, Transporter } from "nodemailer";
import { DeliveryError, isPermanentSmtpReply } from "../../core/delivery.js";
import type { Mailer, OutgoingMail } from "../../ports/mailer.js";

/** How long each step of one delivery may take. Every figure is well under the send lease. */
export interface SmtpTimeouts {
  /** Connecting (DNS and TCP). @default 10000 */
  connectionTimeout?: number;
  /** Waiting for the server's greeting after connecting. @default 10000 */
  greetingTimeout?: number;
  /** Silence on an open connection, e.g. after DATA. @default 30000 */
  socketTimeout?: number;
}

/**
 * Options of {@link createSmtpMailer}: a connection URL (`smtp://user:pass@host:587`,
 * `smtps://host:465`), or nodemailer SMTP transport options for anything a URL cannot say
 * (TLS settings, OAuth2). Timeouts default to {@link SmtpTimeouts}, never nodemailer's minutes.
 */
export type SmtpMailerOptions = ({ url: string } | { transport: SMTPTransportOptions }) & SmtpTimeouts;

/**
 * Delivers finished messages over SMTP with nodemailer. The bytes go out exactly as composed
 * (`raw`); the envelope comes from the OutgoingMail, never from the message's headers. Throws a
 * DeliveryError when the server refuses (permanent for a 5xx reply) or cannot be reached in time.
 */
export function createSmtpMailer(options: SmtpMailerOptions): Mailer {
  const timeouts = {
    connectionTimeout: options.connectionTimeout ?? 10_000,
    greetingTimeout: options.greetingTimeout ?? 10_000,
    socketTimeout: options.socketTimeout ?? 30_000,
  };
  let transporter: Promise<Transporter> | undefined;
  // nodemailer is loaded with the first send, not with the server: ~100 ms of every cold start.
  const transport = () => {
    transporter ??= import("nodemailer").then(({ default: nodemailer }) =>
      nodemailer.createTransport(
        "url" in options ? { url: options.url, ...timeouts } : { ...timeouts, ...options.transport },
      ),
    );
    return transporter;
  };

  return {
    async send(mail: OutgoingMail): Promise<{ messageId: string }> {
      try {
        await (await transport()).sendMail({
          envelope: { from: mail.from, to: mail.to },
          // A view, not a copy: the message may be several megabytes.
          raw: Buffer.from(mail.raw.buffer, mail.raw.byteOffset, mail.raw.byteLength),
        });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        const responseCode = (error as { responseCode?: number }).responseCode;
        throw new DeliveryError(`SMTP delivery failed: ${reason}`, {
          permanent: isPermanentSmtpReply(responseCode),
          cause: error,
        });
      }
      return { messageId: mail.messageId };
    },
  };
}

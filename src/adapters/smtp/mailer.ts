import nodemailer, { type SMTPTransportOptions } from "nodemailer";
import { UpstreamError } from "../../core/errors.js";
import type { Mailer, OutgoingMail } from "../../ports/mailer.js";

/**
 * Options of {@link createSmtpMailer}: a connection URL (`smtp://user:pass@host:587`,
 * `smtps://host:465`), or nodemailer SMTP transport options for anything a URL cannot say
 * (TLS settings, OAuth2, timeouts).
 */
export type SmtpMailerOptions = { url: string } | { transport: SMTPTransportOptions };

/**
 * Delivers finished messages over SMTP with nodemailer. The bytes go out exactly as composed
 * (`raw`); the envelope comes from the OutgoingMail, never from the message's headers. Throws an
 * UpstreamError when the server refuses or cannot be reached; the caller records it and retries.
 */
export function createSmtpMailer(options: SmtpMailerOptions): Mailer {
  const transporter = nodemailer.createTransport("url" in options ? options.url : options.transport);

  return {
    async send(mail: OutgoingMail): Promise<{ messageId: string }> {
      try {
        await transporter.sendMail({
          envelope: { from: mail.from, to: mail.to },
          // A view, not a copy: the message may be several megabytes.
          raw: Buffer.from(mail.raw.buffer, mail.raw.byteOffset, mail.raw.byteLength),
        });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new UpstreamError(`SMTP delivery failed: ${reason}`, { cause: error });
      }
      return { messageId: mail.messageId };
    },
  };
}

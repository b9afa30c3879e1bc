/** A finished MIME message and its envelope. */
export interface OutgoingMail {
  /** The whole RFC 5322 message, as composed by nodemailer. */
  raw: Uint8Array;
  from: string;
  to: string[];
  /** The Message-ID header value, angle brackets included. */
  messageId: string;
}

/** Delivers bytes. Composing is not its job (see core/email and services/mime.ts). */
export interface Mailer {
  /** Sends the message; resolves with the id the transport knows it by. Throws on failure. */
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
}

/** A finished MIME message and its envelope. */
export interface OutgoingMail {
  /** The whole RFC 5322 message, as composed by nodemailer. */
  raw: Uint8Array;
  from: string;
  to: string[];
  /** The Message-ID header value, angle brackets included. */
  messageId: string;
  /**
   * A file on this machine that already holds exactly `raw`: the prepared copy in a blob store
   * that keeps files (`BlobStore.localPath`). A mailer that delivers into files (the outbox) may
   * publish that file by a hard link instead of writing the megabytes a second time; the others
   * ignore it. When it is gone, or no longer holds `raw`, `raw` is what gets delivered.
   */
  localPath?: string;
}

/** Delivers bytes. Composing is not its job (see core/email and services/mime.ts). */
export interface Mailer {
  /** Sends the message; resolves with the id the transport knows it by. Throws on failure. */
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
}

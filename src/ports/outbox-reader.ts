/** One message in the outbox listing. */
export interface OutboxEntry {
  /** What {@link OutboxReader.read} takes (the file name without `.eml` on the embedded outbox). */
  id: string;
  subject: string;
  from: string;
  to: string[];
  /** The Date header, or when the message was stored when the header is missing. */
  date: Date;
  /** Size of the raw message in bytes. */
  size: number;
}

/** One stored message, decoded for display. */
export interface OutboxMessage {
  subject: string | null;
  /** The From header as written (name and address). */
  from: string;
  /** Every To address as written, comma-separated. */
  to: string;
  date: Date | null;
  /** The HTML part with `cid:` images turned into `data:` URIs, ready to show; null when there is none. */
  html: string | null;
  text: string | null;
}

/** Reads the messages the embedded outbox mailer kept (the `/outbox` pages, like Mailpit). */
export interface OutboxReader {
  /** The messages, newest first (at most `limit`, default 500); empty when nothing was sent yet. */
  list(options?: { limit?: number }): Promise<OutboxEntry[]>;
  /** The raw RFC 5322 bytes, or null when the id is malformed or unknown. */
  readRaw(id: string): Promise<Uint8Array | null>;
  /** The decoded message, or null when the id is malformed or unknown. */
  read(id: string): Promise<OutboxMessage | null>;
}

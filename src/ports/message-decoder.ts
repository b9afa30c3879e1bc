import type { OutboxMessage } from "./outbox-reader.js";

/** Turns a stored email's raw bytes into what a page shows (the console's "emails sent" links). */
export interface MessageDecoder {
  /** The decoded message: the HTML part with `cid:` images as `data:` URIs, ready to show. */
  decode(raw: Uint8Array): Promise<OutboxMessage>;
}

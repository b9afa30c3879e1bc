import { randomFillSync } from "node:crypto";
import type {
  ChatKitAttachment,
  ChatKitAttachmentUpload,
  ChatKitPage,
  ChatKitThread,
  ChatKitThreadItem,
  ChatKitUserMessageItem,
  UserMessageInput,
} from "../core/chat/protocol.js";
import type { Page, StoredAttachment, StoredThreadItem, ThreadRecord } from "../ports/thread-store.js";

/** Bytes of one id: 96 random bits. */
const ID_BYTES = 12;
/**
 * Random bytes drawn from the system's CSPRNG a few hundred ids at a time: a turn makes two or
 * three ids, and one call to the generator per id cost more than the rest of making them.
 */
const pool = Buffer.alloc(ID_BYTES * 256);
let poolAt = pool.length;

/** `<prefix>_` + 96 random bits, base64url: unguessable, URL-safe. */
export function newId(prefix: "cthr" | "msg" | "att"): string {
  if (poolAt + ID_BYTES > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const id = pool.toString("base64url", poolAt, poolAt + ID_BYTES);
  poolAt += ID_BYTES;
  return `${prefix}_${id}`;
}

/** A store page as a protocol page, each value mapped by `map`. */
export function toWirePage<T, U>(page: Page<T>, map: (value: T) => U): ChatKitPage<U> {
  return { data: page.data.map(map), has_more: page.hasMore, ...(page.after ? { after: page.after } : {}) };
}

/** A stored thread as the protocol's thread; without `items` it carries an empty first page. */
export function toWireThread(thread: ThreadRecord, items?: ChatKitPage<ChatKitThreadItem>): ChatKitThread {
  return {
    id: thread.id,
    ...(thread.title ? { title: thread.title } : {}),
    created_at: new Date(thread.createdAt).toISOString(),
    status: { type: "active" },
    metadata: {},
    items: items ?? { data: [], has_more: false },
  };
}

/**
 * An uploaded attachment row as the protocol's attachment, as a message in `threadId` carries it.
 * `previewUrl` is passed apart because only an uploaded row has one; the caller has already
 * refused rows without it.
 */
export function toWireAttachment(
  id: string,
  row: StoredAttachment,
  previewUrl: string,
  threadId: string,
): ChatKitAttachment {
  return {
    id,
    name: row.name,
    mime_type: row.mimeType,
    type: row.type,
    preview_url: previewUrl,
    thread_id: threadId,
  };
}

/**
 * A just-created attachment row (no bytes yet) as the protocol's upload answer: POST the bytes
 * (multipart, field `file`) to `uploadUrl` with `headers`. An image names its preview URL already.
 */
export function toWireUpload(
  row: StoredAttachment,
  uploadUrl: string,
  headers: Record<string, string>,
  previewUrl: string,
): ChatKitAttachmentUpload {
  return {
    id: row.id,
    name: row.name,
    mime_type: row.mimeType,
    type: row.type,
    upload_descriptor: { url: uploadUrl, method: "POST", headers },
    ...(row.type === "image" ? { preview_url: previewUrl } : {}),
  };
}

/**
 * A stored item as the protocol sends it: what we keep beside it for ourselves (the customer's
 * `feedback` on a reply) stays here.
 */
export function toWireItem(item: StoredThreadItem): ChatKitThreadItem {
  const { feedback: _kept, ...wire } = item;
  return wire as unknown as ChatKitThreadItem;
}

/** The protocol item of a customer message, with a new id, created at `now` (epoch ms). */
export function toUserItem(
  threadId: string,
  input: UserMessageInput,
  attachments: ChatKitAttachment[],
  now: number,
): ChatKitUserMessageItem {
  return {
    id: newId("msg"),
    thread_id: threadId,
    type: "user_message",
    created_at: new Date(now).toISOString(),
    content: input.content,
    attachments,
    ...(input.quoted_text ? { quoted_text: input.quoted_text } : {}),
    inference_options: {
      ...(input.inference_options?.model ? { model: input.inference_options.model } : {}),
      ...(input.inference_options?.tool_choice ? { tool_choice: input.inference_options.tool_choice } : {}),
    },
  };
}

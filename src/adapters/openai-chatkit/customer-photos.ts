import { type ChatKitAttachment, MAX_ATTACHMENTS_PER_MESSAGE } from "../../core/chat/protocol.js";
import { attachmentIdOfKey, attachmentLineKey } from "../../core/chat/transcript.js";
import type { StoredThreadItem, ThreadStore } from "../../ports/thread-store.js";

/** Options of {@link withCustomerPhotos}. */
export interface CustomerPhotosOptions {
  /**
   * Our own store, where every upload through `POST /api/attachments` is recorded with its
   * uploader (the session's user). Rows are read by id, and an upload still unattached to a thread
   * is attached to the one naming it (so the retention sweep does not take it for abandoned).
   */
  uploads: Pick<ThreadStore, "getAttachment" | "saveAttachment">;
  /** Where our `preview_url`s point (`CHATKIT_ATTACHMENT_PREVIEW_BASE_URL`). */
  previewBaseUrl: string;
}

/** A text part of a customer message, as the hosted thread store maps it. */
interface TextPart {
  type: string;
  text?: unknown;
}

function contentOf(item: StoredThreadItem): TextPart[] {
  return Array.isArray(item.content) ? (item.content as TextPart[]) : [];
}

/** The lines of the customer's typed text in a message (none for any other item). */
function customerLines(item: StoredThreadItem): string[] {
  if (item.type !== "user_message") return [];
  return contentOf(item).flatMap((part) =>
    part.type === "input_text" && typeof part.text === "string" ? part.text.split(/\r?\n/) : [],
  );
}

/**
 * The hosted thread store, plus the photos the customer sent through OUR upload endpoint from the
 * hosted page: the page's "Add photos" button uploads each file to us and then sends the customer's
 * message `Attachment: <name> (<mime>) <preview_url>` (one line per photo) into the hosted thread.
 * `listItems` turns such a line of a CUSTOMER message into an attachment of that message, taken
 * from our own upload row (its name, type and preview URL; never the line's), only when:
 *
 * - the URL is our preview URL of one of our upload keys (`parseAttachmentStorageKey`), and
 * - that upload exists with exactly that key, and its uploader is the thread's user.
 *
 * Any other line (someone else's upload, a foreign URL, the assistant's words) stays plain text,
 * which the transcript indents, so it can never read as an attachment line. Nothing is ever
 * fetched: the lead email reads the photo's bytes from our blob store by key, as for our own chat.
 * At most {@link MAX_ATTACHMENTS_PER_MESSAGE} lines per message become attachments. The thread is
 * retrieved (for its user) only when some customer message has such a line.
 */
export function withCustomerPhotos(hosted: ThreadStore, options: CustomerPhotosOptions): ThreadStore {
  const { uploads, previewBaseUrl } = options;

  /** The upload a line names, when it is the thread owner's; null otherwise. */
  async function uploadOf(line: string, threadId: string, owner: string): Promise<ChatKitAttachment | null> {
    const key = attachmentLineKey(line, previewBaseUrl);
    const id = key ? attachmentIdOfKey(key) : null;
    if (!key || !id) return null;
    const row = await uploads.getAttachment(id);
    if (!row || row.key !== key || row.userId !== owner || !row.previewUrl) return null;
    if (row.threadId === null) {
      // Only keeps the file from the orphan sweep; the email must not fail over it.
      await uploads.saveAttachment({ ...row, threadId }).catch(() => undefined);
    }
    return {
      id: row.id,
      name: row.name,
      mime_type: row.mimeType,
      type: row.type,
      preview_url: row.previewUrl,
      thread_id: threadId,
    };
  }

  /** The message with its photo lines moved into `attachments`; other items as they are. */
  async function withPhotos(
    item: StoredThreadItem,
    threadId: string,
    owner: string,
  ): Promise<StoredThreadItem> {
    if (item.type !== "user_message") return item;
    const attachments = Array.isArray(item.attachments) ? [...(item.attachments as ChatKitAttachment[])] : [];
    const ids = new Set(attachments.map((attachment) => attachment.id));
    let taken = 0;
    const content: TextPart[] = [];
    for (const part of contentOf(item)) {
      if (part.type !== "input_text" || typeof part.text !== "string") {
        content.push(part);
        continue;
      }
      const kept: string[] = [];
      for (const line of part.text.split(/\r?\n/)) {
        const photo = taken < MAX_ATTACHMENTS_PER_MESSAGE ? await uploadOf(line, threadId, owner) : null;
        if (!photo) {
          kept.push(line);
          continue;
        }
        taken++;
        if (!ids.has(photo.id)) attachments.push(photo);
        ids.add(photo.id);
      }
      const text = kept.join("\n").trim();
      if (text) content.push({ ...part, text });
    }
    return taken === 0 ? item : { ...item, content, attachments };
  }

  return {
    ...hosted,
    async listItems(threadId) {
      const items = await hosted.listItems(threadId);
      const named = items.some((item) =>
        customerLines(item).some((line) => attachmentLineKey(line, previewBaseUrl) !== null),
      );
      if (!named) return items;
      const owner = (await hosted.getThread(threadId))?.userId ?? null;
      // A thread without a known user has no photos of its user.
      if (owner === null) return items;
      const result: StoredThreadItem[] = [];
      for (const item of items) result.push(await withPhotos(item, threadId, owner));
      return result;
    },
  };
}

/** A stored thread. */
export interface ThreadRecord {
  id: string;
  /** The chat user (session) that owns the thread; null for threads made outside a session. */
  userId: string | null;
  /** Epoch ms. */
  createdAt: number;
  /** Epoch ms of the customer's last message or upload; null before they say anything. */
  lastCustomerActivityAt: number | null;
  title: string | null;
}

/**
 * A thread item as stored, in the self-hosted ChatKit protocol shape
 * (`user_message` / `assistant_message`, `content`, `attachments`, ISO `created_at`).
 */
export type StoredThreadItem = Record<string, unknown> & { id: string; type: string; created_at: string };

/** An attachment created by `attachments.create` (ChatKit two-phase upload) or a direct upload. */
export interface StoredAttachment {
  /** Attachment id (also the `<id>` of its blob key). */
  id: string;
  /** Owner; only they may upload to it, reference it or delete it. */
  userId: string | null;
  /** Set once it is referenced by a message. */
  threadId: string | null;
  name: string;
  mimeType: string;
  type: "image" | "file";
  /** Blob key `chatkit-attachments/<id>.<ext>`, null until the bytes arrive. */
  key: string | null;
  size: number | null;
  previewUrl: string | null;
  createdAt: number;
}

/** Cursor pagination as the ChatKit protocol does it: `after` is the id of the last item seen. */
export interface PageRequest {
  after?: string | null;
  /** @default 20 */
  limit?: number;
  /** @default "asc" for items, "desc" for threads */
  order?: "asc" | "desc";
}

/** Where {@link ThreadStore.listActive} resumes: the last thread of the previous page. */
export interface ActivityCursor {
  at: number;
  threadId: string;
}

/** One page of results. */
export interface Page<T> {
  data: T[];
  hasMore: boolean;
  /** Id of the last element of `data`, to pass as the next `after`; null when empty. */
  after: string | null;
}

/** Where chat threads, their items and their attachments live. The lead service only reads. */
export interface ThreadStore {
  /** Creates an empty thread. */
  createThread(thread: {
    id: string;
    createdAt: number;
    title?: string | null;
    userId?: string | null;
  }): Promise<ThreadRecord>;
  /** The thread, or null when it does not exist. */
  getThread(threadId: string): Promise<ThreadRecord | null>;
  /** A user's threads, newest first by default. */
  listThreads(userId: string, page?: PageRequest): Promise<Page<ThreadRecord>>;
  /**
   * Threads where the customer has said something, newest customer activity first (ties by id,
   * descending), at most `limit`: those with `lastCustomerActivityAt` before `before.at` (or equal
   * with an id before `before.threadId`) and at or after `since`. For the owner's console: an
   * indexed query, never a scan. Threads whose customer never wrote are not listed.
   */
  listActive(query: {
    limit: number;
    before?: ActivityCursor | null;
    since?: number | null;
  }): Promise<ThreadRecord[]>;
  /** Changes the title; null when the thread does not exist. */
  updateThread(threadId: string, patch: { title: string | null }): Promise<ThreadRecord | null>;
  /**
   * Deletes the thread, its items and its attachment rows; absent threads are fine. The blobs are
   * the caller's to delete (see `listThreadAttachments`).
   */
  deleteThread(threadId: string): Promise<void>;
  /** Appends an item; a `user_message` also moves `lastCustomerActivityAt` to its time. */
  addItem(threadId: string, item: StoredThreadItem): Promise<void>;
  /** All items of the thread, oldest first (the lead service reads the whole transcript). */
  listItems(threadId: string): Promise<StoredThreadItem[]>;
  /** One page of items, oldest first by default. */
  listItemsPage(threadId: string, page?: PageRequest): Promise<Page<StoredThreadItem>>;
  /** Number of items in the thread (for the per-thread item limit). */
  countItems(threadId: string): Promise<number>;
  /**
   * Removes one item of the thread (a retry drops the replies after the message it answers again);
   * answers whether it was there. `countItems` drops with it, but the customer's last activity is
   * not rolled back. An `after` cursor naming the removed item then starts from the beginning.
   */
  deleteItem(threadId: string, itemId: string): Promise<boolean>;
  /**
   * Replaces a stored item by its id (same thread, same position in the order), e.g. to record the
   * customer's feedback on a reply; answers whether it was there. The item's `id` must not change.
   */
  replaceItem(threadId: string, item: StoredThreadItem): Promise<boolean>;
  /** Saves (inserts or replaces) an attachment row. */
  saveAttachment(attachment: StoredAttachment): Promise<void>;
  /** The attachment row, or null. */
  getAttachment(attachmentId: string): Promise<StoredAttachment | null>;
  /** Removes an attachment row; absent rows are fine. */
  deleteAttachment(attachmentId: string): Promise<void>;
  /**
   * The attachment rows referenced by the thread (`threadId` set to it), so their blobs can be
   * deleted with the thread; empty for unknown threads.
   */
  listThreadAttachments(threadId: string): Promise<StoredAttachment[]>;
  /**
   * Uploads never sent in a message: at most `limit` rows whose `threadId` is still null and whose
   * `createdAt` is before `createdBefore`, oldest first. An indexed query, never a scan of the table.
   */
  listOrphanAttachments(createdBefore: number, limit: number): Promise<StoredAttachment[]>;
}

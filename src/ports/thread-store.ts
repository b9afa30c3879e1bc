/** A stored thread. */
export interface ThreadRecord {
  id: string;
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

/** Where chat threads and their items live. The lead service only reads through it. */
export interface ThreadStore {
  /** Creates an empty thread. */
  createThread(thread: { id: string; createdAt: number; title?: string | null }): Promise<ThreadRecord>;
  /** The thread, or null when it does not exist. */
  getThread(threadId: string): Promise<ThreadRecord | null>;
  /** Appends an item; a `user_message` also moves `lastCustomerActivityAt` to its time. */
  addItem(threadId: string, item: StoredThreadItem): Promise<void>;
  /** All items of the thread, oldest first. */
  listItems(threadId: string): Promise<StoredThreadItem[]>;
}

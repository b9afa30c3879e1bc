// Type-only: a caller hands us a ready client; the SDK module itself is loaded only on the error
// path (by ./errors.ts, for its error classes), so importing this file never loads it.
import type OpenAI from "openai";
import type { ChatKitThread, ChatKitThreadItemList } from "openai/resources/beta/chatkit/threads";
import type {
  ChatKitAssistantMessageItem,
  ChatKitAttachment,
  ChatKitUserMessageItem,
} from "../../core/chat/protocol.js";
import type {
  StoredAttachment,
  StoredThreadItem,
  ThreadRecord,
  ThreadStore,
} from "../../ports/thread-store.js";
import { HostedChatKitError, hostedChatKitError } from "./errors.js";

export { HostedChatKitError } from "./errors.js";

/** Options of {@link createHostedChatKitThreadStore}. */
export interface HostedChatKitThreadStoreOptions {
  /** A configured OpenAI client (API key, base URL). */
  client: OpenAI;
  /**
   * Timeout of each HTTP request (one page of items is one request), in ms. Requests are never
   * retried, so a call waits at most this long per request. @default 10000
   */
  timeoutMs?: number;
}

/** Any item of a hosted thread, as the SDK types it. */
type HostedItem = ChatKitThreadItemList["data"][number];

/** The SDK's per-request options (timeout, retries). */
type RequestOptions = NonNullable<Parameters<OpenAI["beta"]["chatkit"]["threads"]["retrieve"]>[1]>;

/** Items asked for per request: the API's maximum. */
const PAGE_LIMIT = 100;

/** Threads whose items listActive reads at the same time (one request each, usually). */
const ITEM_READS_AT_ONCE = 8;

function unavailable(method: string): Error {
  return new Error(
    `${method} is not available with CHAT_RUNTIME=chatkit: the thread lives in hosted ChatKit`,
  );
}

/** Unix seconds as ISO 8601; "" (read as "no timestamp" by buildTranscript) when not a number. */
function isoFromSeconds(seconds: number): string {
  return Number.isFinite(seconds) ? new Date(seconds * 1000).toISOString() : "";
}

function toAttachment(attachment: {
  id: string;
  name: string;
  mime_type: string;
  type: "image" | "file";
  preview_url: string | null;
}): ChatKitAttachment {
  const { id, name, mime_type, type, preview_url } = attachment;
  // Our item shape has no null preview; buildTranscript reads a missing one as "" too.
  return { id, name, mime_type, type, preview_url: preview_url ?? "" };
}

/**
 * A hosted item in our stored (self-hosted protocol) shape; null for what the lead email does
 * not use: widgets, client tool calls, tasks and task groups.
 */
function toStoredItem(item: HostedItem): StoredThreadItem | null {
  if (item.type === "chatkit.user_message") {
    const parts = item.content ?? [];
    const quotes = parts.filter((part) => part.type === "quoted_text").map((part) => part.text);
    const { model, tool_choice } = item.inference_options ?? {};
    const mapped: ChatKitUserMessageItem = {
      id: item.id,
      thread_id: item.thread_id,
      type: "user_message",
      created_at: isoFromSeconds(item.created_at),
      content: parts
        .filter((part) => part.type === "input_text")
        .map((part) => ({ type: "input_text", text: part.text })),
      attachments: (item.attachments ?? []).map(toAttachment),
      // Left out when empty, as our own items do.
      ...(quotes.length > 0 ? { quoted_text: quotes.join("\n") } : {}),
      inference_options: {
        ...(model ? { model } : {}),
        ...(tool_choice ? { tool_choice: { id: tool_choice.id } } : {}),
      },
    };
    return mapped;
  }
  if (item.type === "chatkit.assistant_message") {
    const mapped: ChatKitAssistantMessageItem = {
      id: item.id,
      thread_id: item.thread_id,
      type: "assistant_message",
      created_at: isoFromSeconds(item.created_at),
      content: (item.content ?? [])
        .filter((part) => part.type === "output_text")
        .map((part) => ({ type: "output_text", text: part.text, annotations: [] })),
    };
    return mapped;
  }
  return null;
}

/** Epoch ms of the newest customer message, or null when the customer has not written. */
function lastCustomerActivity(items: readonly HostedItem[]): number | null {
  let last: number | null = null;
  for (const item of items) {
    if (item.type !== "chatkit.user_message" || !Number.isFinite(item.created_at)) continue;
    last = Math.max(last ?? 0, item.created_at * 1000);
  }
  return last;
}

/** `run` over every value, at most `width` at a time; the answers in the values' order. */
async function mapAtMost<T, R>(
  values: readonly T[],
  width: number,
  run: (value: T) => Promise<R>,
): Promise<R[]> {
  const answers: R[] = [];
  let next = 0;
  const worker = async () => {
    while (next < values.length) {
      const index = next++;
      answers[index] = await run(values[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, values.length) }, worker));
  return answers;
}

/**
 * The READ side of the ThreadStore port over hosted OpenAI ChatKit (`CHAT_RUNTIME=chatkit`): the
 * canonical thread lives at OpenAI and the lead service only reads it. Nothing is cached: every
 * call asks the API.
 *
 * - `getThread`: `threads.retrieve` plus every item (for `lastCustomerActivityAt`, the newest
 *   `chatkit.user_message`); null when the thread is unknown (404).
 * - `listItems`: every page of `threads.listItems` (`order: "asc"`, `limit: 100`, `after` cursor),
 *   user and assistant messages only, in the self-hosted item shape (`user_message` /
 *   `assistant_message`, ISO `created_at`, `quoted_text` kept as its own field); [] for an unknown
 *   thread. `countItems` counts those.
 * - `listThreadAttachments`: the attachments of the customer's messages, one row each (`key` and
 *   `size` null: the bytes live at OpenAI); [] for an unknown thread.
 * - `listActive`: `threads.list` (`order: "desc"`), then every item of each listed thread (one
 *   request per thread, usually; 8 at a time) for its last customer activity; threads where the
 *   customer has not written are left out. The upstream lists by CREATION time and has no activity
 *   order, so this adapter answers newest-CREATED first: a thread created earlier but written in
 *   later comes after newer ones, `since` bounds the creation time (a thread created before it is
 *   not listed, however recent its messages), and the cursor's `threadId` is the upstream `after`
 *   cursor (`at` is not used); a cursor naming a thread deleted since fails with the upstream's
 *   error.
 * - `deleteThread`: `threads.delete` (which also deletes its items and files); absent is fine.
 * - `listOrphanAttachments`: always [], since uploads go to OpenAI and this store holds no upload rows
 *   (so the retention sweep finds nothing instead of failing each round).
 * - `createThread`, `updateThread`, `addItem`, `deleteItem`, `replaceItem`, `listThreads`, `listItemsPage`, `saveAttachment`,
 *   `getAttachment`, `deleteAttachment`: reject with "… is not available with CHAT_RUNTIME=chatkit":
 *   only the self-hosted chat protocol calls them, and it must not run against hosted threads.
 *
 * Errors: a 404 gives null / [] as above; any other failure rejects with a HostedChatKitError
 * keeping the upstream `status` (401, 403, 5xx), or `status: null` and `code: "timeout"` when a
 * request takes longer than `timeoutMs`.
 */
export function createHostedChatKitThreadStore(options: HostedChatKitThreadStoreOptions): ThreadStore {
  const { client } = options;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const requestOptions: RequestOptions = { timeout: timeoutMs, maxRetries: 0 };
  const threads = client.beta.chatkit.threads;

  /** Runs one API call; a 404 gives `null`, any other failure a HostedChatKitError. */
  async function call<T>(operation: string, run: () => Promise<T>): Promise<T | null> {
    try {
      return await run();
    } catch (caught) {
      const error = await hostedChatKitError(operation, caught, { apiKey: client.apiKey, timeoutMs });
      if (error.upstreamStatus === 404) return null;
      throw error;
    }
  }

  function retrieveThread(threadId: string): Promise<ChatKitThread | null> {
    return call("threads.retrieve", () => threads.retrieve(threadId, requestOptions));
  }

  /** Every item, oldest first, across every page; null for an unknown thread. */
  function fetchItems(threadId: string): Promise<HostedItem[] | null> {
    return call("threads.listItems", async () => {
      let page = await threads.listItems(threadId, { order: "asc", limit: PAGE_LIMIT }, requestOptions);
      const items: HostedItem[] = [...page.data];
      const cursors = new Set<string>();
      while (page.hasNextPage()) {
        // A cursor seen before would make the SDK ask for the same page forever.
        if (cursors.has(page.last_id)) {
          throw new HostedChatKitError(`hosted ChatKit threads.listItems: the cursor did not advance`, {
            status: null,
            code: "bad_cursor",
          });
        }
        cursors.add(page.last_id);
        page = await page.getNextPage();
        items.push(...page.data);
      }
      return items;
    });
  }

  /** The thread as listActive answers it; null when the customer has not written (or it is gone). */
  async function withActivity(thread: ChatKitThread): Promise<ThreadRecord | null> {
    const items = await fetchItems(thread.id);
    const lastCustomerActivityAt = items ? lastCustomerActivity(items) : null;
    if (lastCustomerActivityAt === null) return null;
    return {
      id: thread.id,
      userId: thread.user ?? null,
      createdAt: thread.created_at * 1000,
      lastCustomerActivityAt,
      title: thread.title ?? null,
    };
  }

  async function listItems(threadId: string): Promise<StoredThreadItem[]> {
    const items = (await fetchItems(threadId)) ?? [];
    return items.map(toStoredItem).filter((item): item is StoredThreadItem => item !== null);
  }

  /** Both requests at once; null when either says the thread is unknown. */
  async function threadWithItems(
    threadId: string,
  ): Promise<{ thread: ChatKitThread; items: HostedItem[] } | null> {
    const [thread, items] = await Promise.allSettled([retrieveThread(threadId), fetchItems(threadId)]);
    if (thread.status === "rejected") throw thread.reason;
    if (thread.value === null) return null;
    if (items.status === "rejected") throw items.reason;
    // Deleted between the two requests.
    if (items.value === null) return null;
    return { thread: thread.value, items: items.value };
  }

  return {
    async getThread(threadId) {
      const found = await threadWithItems(threadId);
      if (!found) return null;
      const { thread, items } = found;
      const record: ThreadRecord = {
        id: thread.id,
        userId: thread.user ?? null,
        createdAt: thread.created_at * 1000,
        lastCustomerActivityAt: lastCustomerActivity(items),
        title: thread.title ?? null,
      };
      return record;
    },

    listItems,

    async countItems(threadId) {
      return (await listItems(threadId)).length;
    },

    async listThreadAttachments(threadId) {
      const found = await threadWithItems(threadId);
      if (!found) return [];
      const rows = new Map<string, StoredAttachment>();
      for (const item of found.items) {
        if (item.type !== "chatkit.user_message") continue;
        for (const attachment of item.attachments ?? []) {
          if (rows.has(attachment.id)) continue;
          rows.set(attachment.id, {
            id: attachment.id,
            userId: found.thread.user ?? null,
            threadId,
            name: attachment.name,
            mimeType: attachment.mime_type,
            type: attachment.type,
            key: null,
            size: null,
            previewUrl: attachment.preview_url ?? null,
            createdAt: item.created_at * 1000,
          });
        }
      }
      return [...rows.values()];
    },

    async listActive({ limit, before, since }) {
      const want = Number.isFinite(limit) ? Math.max(0, Math.floor(limit)) : 0;
      const createdFrom = since ?? Number.NEGATIVE_INFINITY;
      const found: ThreadRecord[] = [];
      let after = before?.threadId;
      while (found.length < want) {
        const cursor = after;
        const page = await call("threads.list", () =>
          threads.list(
            {
              order: "desc",
              limit: Math.min(PAGE_LIMIT, want - found.length),
              ...(cursor ? { after: cursor } : {}),
            },
            requestOptions,
          ),
        );
        const listed = page?.data ?? [];
        // Newest created first: once one is older than `since`, so is every thread after it.
        const inRange = listed.filter((thread) => thread.created_at * 1000 >= createdFrom);
        for (const record of await mapAtMost(inRange, ITEM_READS_AT_ONCE, withActivity))
          if (record && found.length < want) found.push(record);
        const last = listed.at(-1)?.id;
        if (!page?.has_more || inRange.length < listed.length || last === undefined) break;
        // A cursor that did not move would ask for the same page forever.
        if (last === after) {
          throw new HostedChatKitError("hosted ChatKit threads.list: the cursor did not advance", {
            status: null,
            code: "bad_cursor",
          });
        }
        after = last;
      }
      return found;
    },

    async deleteThread(threadId) {
      await call("threads.delete", () => threads.delete(threadId, requestOptions));
    },

    async listOrphanAttachments() {
      return [];
    },

    createThread: () => Promise.reject(unavailable("createThread")),
    updateThread: () => Promise.reject(unavailable("updateThread")),
    addItem: () => Promise.reject(unavailable("addItem")),
    deleteItem: () => Promise.reject(unavailable("deleteItem")),
    replaceItem: () => Promise.reject(unavailable("replaceItem")),
    listThreads: () => Promise.reject(unavailable("listThreads")),
    listItemsPage: () => Promise.reject(unavailable("listItemsPage")),
    saveAttachment: () => Promise.reject(unavailable("saveAttachment")),
    getAttachment: () => Promise.reject(unavailable("getAttachment")),
    deleteAttachment: () => Promise.reject(unavailable("deleteAttachment")),
  };
}

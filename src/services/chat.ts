import { sanitizeAttribution } from "../core/attribution.js";
import {
  assertMessageLength,
  assertThreadHasRoom,
  MAX_ITEMS_PER_THREAD,
  MAX_MESSAGE_CHARS,
} from "../core/chat/limits.js";
import type {
  AttachmentCreateParams,
  AttachmentDeleteParams,
  ChatKitAttachment,
  ChatKitAttachmentUpload,
  ChatKitEvent,
  ChatKitPage,
  ChatKitThread,
  ChatKitThreadItem,
  ChatKitUserMessageItem,
  ItemsFeedbackParams,
  ItemsListParams,
  RetryAfterItemParams,
  ThreadAddUserMessageParams,
  ThreadCreateParams,
  ThreadFeatureParams,
  ThreadIdParams,
  ThreadListParams,
  ThreadUpdateParams,
  UserMessageInput,
} from "../core/chat/protocol.js";
import { threadTitleFrom } from "../core/chat/title.js";
import { NotFoundError, ValidationError } from "../core/errors.js";
import type { Assistant } from "../ports/assistant.js";
import type { AttributionStore } from "../ports/attribution-store.js";
import type { BlobStore } from "../ports/blob-store.js";
import type { Clock } from "../ports/clock.js";
import type { Logger } from "../ports/logger.js";
import type { StoredAttachment, ThreadRecord, ThreadStore } from "../ports/thread-store.js";
import { type ReplyStreamOptions, streamReply } from "./chat-reply.js";
import {
  newId,
  toUserItem,
  toWireAttachment,
  toWireItem,
  toWirePage,
  toWireThread,
  toWireUpload,
} from "./chat-wire.js";
import { settledWithin } from "./deadline.js";

// Kept importable from here: callers know the service module, not how it is split.
export { REPLY_FAILED_MESSAGE, REPLY_INTERRUPTED_MESSAGE } from "./chat-reply.js";

/** Options of {@link createChatService}. */
export interface ChatServiceOptions {
  threads: ThreadStore;
  assistant: Assistant;
  attribution: AttributionStore;
  clock: Clock;
  logger: Logger;
  /** Lifetime of attribution rows (`LEAD_ATTRIBUTION_TTL_DAYS`). */
  attributionTtlDays: number;
  /** Where attachment bytes live: deleting a thread or an attachment deletes its files too. */
  blobs: Pick<BlobStore, "delete">;
  /** Where the widget uploads the bytes of an attachment created by `attachments.create`. */
  uploadUrl: (attachmentId: string) => string;
  /**
   * Where an image created by `attachments.create` will show once its bytes arrived (by attachment
   * id: the stored key is known only after the upload sniffed the type).
   */
  previewUrl: (attachmentId: string) => string;
  /** Longest message in characters. @default MAX_MESSAGE_CHARS (4000) */
  maxMessageChars?: number;
  /** Most items per thread. @default MAX_ITEMS_PER_THREAD (200) */
  maxItemsPerThread?: number;
  /** Longest wait for the assistant's next delta before the turn fails. @default 60000 */
  replyIdleTimeoutMs?: number;
  /**
   * Called once the customer's message is stored (the lead sweeper's list is kept this way). A
   * failure is logged; the customer's message stands.
   */
  onCustomerMessage?: (threadId: string, at: number) => Promise<void>;
}

/** Per-request extras of the streaming methods. */
export interface ChatStreamOptions {
  /** The request's `metadata` (only `threads.create` reads `metadata.attribution`). */
  metadata?: Record<string, unknown> | undefined;
  /** Aborts the assistant when the client goes away; a partial reply is kept if non-empty. */
  signal?: AbortSignal;
}

/**
 * The ChatKit-protocol use cases for one user. Every method checks ownership: another user's
 * thread or attachment is NotFoundError (404), never 403, so ids do not leak. Streaming methods
 * validate and persist the user message BEFORE resolving, so their failures are plain HTTP errors.
 */
export interface ChatService {
  createThread(
    userId: string,
    params: ThreadCreateParams,
    options?: ChatStreamOptions,
  ): Promise<AsyncIterable<ChatKitEvent>>;
  /**
   * `threads.retry_after_item`: removes what followed the customer's message `item_id` (each with a
   * `thread.item.removed` event) and answers that message again; the message itself is kept once.
   */
  retryAfterItem(
    userId: string,
    params: RetryAfterItemParams,
    options?: ChatStreamOptions,
  ): Promise<AsyncIterable<ChatKitEvent>>;
  /** `items.feedback`: thumbs up or down on the assistant's replies, kept for the owner. */
  feedback(userId: string, params: ItemsFeedbackParams): Promise<Record<string, never>>;
  /**
   * The streaming requests of features a lead-intake chat does not offer (custom actions, client
   * tools, structured input): `stream_options`, then the official `stream.error`, no retry.
   */
  featureOff(userId: string, params: ThreadFeatureParams): Promise<AsyncIterable<ChatKitEvent>>;
  addUserMessage(
    userId: string,
    params: ThreadAddUserMessageParams,
    options?: ChatStreamOptions,
  ): Promise<AsyncIterable<ChatKitEvent>>;
  /** The thread with its first page of items, oldest first (as chatkit-python does). */
  getThread(userId: string, params: ThreadIdParams): Promise<ChatKitThread>;
  /** The user's threads, newest first by default. */
  listThreads(userId: string, params: ThreadListParams): Promise<ChatKitPage<ChatKitThread>>;
  /** One page of items, newest first by default (the protocol's default). */
  listItems(userId: string, params: ItemsListParams): Promise<ChatKitPage<ChatKitThreadItem>>;
  updateThread(userId: string, params: ThreadUpdateParams): Promise<ChatKitThread>;
  deleteThread(userId: string, params: ThreadIdParams): Promise<Record<string, never>>;
  /**
   * Phase one of an upload: the row (no bytes yet) and where to send the bytes. `uploadHeaders`
   * go into the upload descriptor: they must authorize the upload on their own (the caller's
   * Bearer secret), since the official ChatKit component adds nothing of its own.
   */
  createAttachment(
    userId: string,
    params: AttachmentCreateParams,
    uploadHeaders?: Record<string, string>,
  ): Promise<ChatKitAttachmentUpload>;
  deleteAttachment(userId: string, params: AttachmentDeleteParams): Promise<Record<string, never>>;
  /**
   * For a graceful shutdown: waits up to `graceMs` for the replies streaming now (and any that
   * start meanwhile) to finish. Then every reply still running stops its assistant, keeps what was
   * said so far as the assistant item and ends with an `error` event
   * ({@link REPLY_INTERRUPTED_MESSAGE}, `allow_retry`); replies that start later end so at once.
   * Resolves once the cut replies have ended, with their thread ids (empty: nothing was cut).
   */
  drain(graceMs: number): Promise<string[]>;
}

/** Default page size of the protocol (chatkit-python's DEFAULT_PAGE_SIZE). */
const PAGE_SIZE = 20;
const DAY_MS = 86_400_000;

/** Creates the chat service (the self-hosted ChatKit server). */
export function createChatService(options: ChatServiceOptions): ChatService {
  const { threads, attribution, clock } = options;
  const maxChars = options.maxMessageChars ?? MAX_MESSAGE_CHARS;
  const maxItems = options.maxItemsPerThread ?? MAX_ITEMS_PER_THREAD;
  /** Aborted by `drain` once its grace period is over: ends the replies still streaming. */
  const shutdown = new AbortController();
  /**
   * Replies streaming now, each with a promise that settles when its stream has ended and the
   * handle that stops its assistant.
   */
  const openReplies = new Set<{ threadId: string; ended: Promise<void>; stop: AbortController }>();
  const replyOptions: ReplyStreamOptions = {
    threads,
    assistant: options.assistant,
    clock,
    logger: options.logger,
    idleTimeoutMs: options.replyIdleTimeoutMs ?? 60_000,
    shutdown: shutdown.signal,
    // Listed in `openReplies` from its first event until it has ended.
    track(threadId, stop) {
      let end = () => {};
      const entry = { threadId, ended: new Promise<void>((resolve) => (end = resolve)), stop };
      openReplies.add(entry);
      return () => {
        openReplies.delete(entry);
        end();
      };
    },
  };

  /** {@link streamReply} with a handle of its own on its assistant (the drain stops it with that). */
  const trackedReply = (threadId: string, before: readonly ChatKitEvent[], signal: AbortSignal | undefined) =>
    streamReply(replyOptions, threadId, before, signal, new AbortController());

  async function ownedThread(userId: string, threadId: string): Promise<ThreadRecord> {
    const thread = await threads.getThread(threadId);
    if (!thread || thread.userId !== userId) throw new NotFoundError("No conversation with that id.");
    return thread;
  }

  /** Checks the message and resolves its attachment ids into the user's uploaded attachments. */
  async function checkInput(
    userId: string,
    input: UserMessageInput,
    threadId: string,
  ): Promise<ChatKitAttachment[]> {
    const text = input.content.map((part) => part.text).join("\n");
    assertMessageLength(text, maxChars);
    if (!text.trim() && input.attachments.length === 0) {
      throw new ValidationError("The message is empty.", { code: "empty_message" });
    }
    const found: ChatKitAttachment[] = [];
    for (const id of new Set(input.attachments)) {
      const row = await threads.getAttachment(id);
      if (!row || row.userId !== userId) throw new NotFoundError(`No attachment with id ${id}.`);
      if (!row.key || !row.previewUrl) {
        throw new ValidationError(`Attachment ${id} has not been uploaded yet.`, {
          code: "attachment_not_uploaded",
        });
      }
      found.push(toWireAttachment(id, row, row.previewUrl, threadId));
    }
    return found;
  }

  /** Persists the user item (and links its attachments to the thread), then streams the reply. */
  async function addTurn(
    thread: ThreadRecord,
    input: UserMessageInput,
    attachments: ChatKitAttachment[],
    userId: string,
  ): Promise<ChatKitUserMessageItem> {
    for (const attachment of attachments) {
      const row = await threads.getAttachment(attachment.id);
      if (row && row.threadId === null) await threads.saveAttachment({ ...row, threadId: thread.id });
    }
    const now = clock.now();
    const item = toUserItem(thread.id, input, attachments, now);
    await threads.addItem(thread.id, item);
    await options.onCustomerMessage?.(thread.id, now).catch((error: unknown) => {
      options.logger.error({ threadId: thread.id, err: String(error) }, "lead sweeper not told of a message");
    });
    options.logger.info({ threadId: thread.id, userId, attachments: attachments.length }, "user message");
    return item;
  }

  return {
    async createThread(userId, params, extra = {}) {
      // Attribution never refuses a message: the valid keys are kept, the rest dropped and named
      // in one warn line (names only: the values can be junk or personal).
      const rawAttribution = extra.metadata?.attribution;
      const visit = rawAttribution === undefined ? null : sanitizeAttribution(rawAttribution);
      // Validate the message first so a refused request leaves no empty thread behind.
      const threadId = newId("cthr");
      const attachments = await checkInput(userId, params.input, threadId);
      const now = clock.now();
      const thread = await threads.createThread({ id: threadId, createdAt: now, userId });
      if (visit) {
        if (visit.dropped.length > 0) {
          options.logger.warn(
            { threadId: thread.id, userId, dropped: visit.dropped },
            "attribution keys dropped",
          );
        }
        await attribution.put({
          threadId: thread.id,
          attribution: visit.attribution,
          createdAt: now,
          leadSentAt: null,
          ttl: now + options.attributionTtlDays * DAY_MS,
        });
      }
      const userItem = await addTurn(thread, params.input, attachments, userId);
      const created: ChatKitEvent = { type: "thread.created", thread: toWireThread(thread) };
      const before: ChatKitEvent[] = [created, { type: "thread.item.done", item: userItem }];
      // Named after the customer's first words, told as the official server tells a thread that
      // changed: `thread.updated` (a conversation list shows it; our widget has none).
      const title = threadTitleFrom(params.input.content.map((part) => part.text).join(" "));
      const updated = title ? await threads.updateThread(thread.id, { title }) : null;
      if (updated) before.push({ type: "thread.updated", thread: toWireThread(updated) });
      return trackedReply(thread.id, before, extra.signal);
    },

    async addUserMessage(userId, params, extra = {}) {
      const thread = await ownedThread(userId, params.thread_id);
      assertThreadHasRoom(await threads.countItems(thread.id), 2, maxItems);
      const attachments = await checkInput(userId, params.input, thread.id);
      const userItem = await addTurn(thread, params.input, attachments, userId);
      return trackedReply(thread.id, [{ type: "thread.item.done", item: userItem }], extra.signal);
    },

    async retryAfterItem(userId, params, extra = {}) {
      const thread = await ownedThread(userId, params.thread_id);
      const items = await threads.listItems(thread.id);
      const at = items.findIndex((item) => item.id === params.item_id);
      if (at < 0) throw new NotFoundError("No message with that id in this conversation.");
      if (items[at]?.type !== "user_message")
        throw new ValidationError("Only a customer message can be answered again.", {
          code: "not_a_user_message",
        });
      // The customer's message stays (stored once); only what answered it goes, newest first.
      const removed: ChatKitEvent[] = [];
      for (const item of items.slice(at + 1).reverse()) {
        if (await threads.deleteItem(thread.id, item.id))
          removed.push({ type: "thread.item.removed", item_id: item.id });
      }
      options.logger.info({ threadId: thread.id, userId, removed: removed.length }, "retry after item");
      return trackedReply(thread.id, removed, extra.signal);
    },

    async feedback(userId, params) {
      const thread = await ownedThread(userId, params.thread_id);
      const wanted = new Set(params.item_ids);
      // Kept on the assistant's replies (the owner sees the count in the lead email); feedback
      // on anything else is accepted and ignored, as the official server leaves it to the store.
      for (const item of await threads.listItems(thread.id)) {
        if (wanted.has(item.id) && item.type === "assistant_message")
          await threads.replaceItem(thread.id, { ...item, feedback: params.kind });
      }
      options.logger.info({ threadId: thread.id, userId, kind: params.kind }, "reply feedback");
      return {};
    },

    async featureOff(userId, params) {
      await ownedThread(userId, params.thread_id);
      return (async function* (): AsyncGenerator<ChatKitEvent> {
        yield { type: "stream_options", stream_options: { allow_cancel: true } };
        // The official server's answer to a feature it was not given; no retry, it cannot succeed.
        yield { type: "error", code: "stream.error", allow_retry: false };
      })();
    },

    async getThread(userId, params) {
      const thread = await ownedThread(userId, params.thread_id);
      const page = await threads.listItemsPage(thread.id, { limit: PAGE_SIZE, order: "asc" });
      return toWireThread(thread, toWirePage(page, toWireItem));
    },

    async listThreads(userId, params) {
      const page = await threads.listThreads(userId, {
        limit: params.limit ?? PAGE_SIZE,
        after: params.after ?? null,
        order: params.order ?? "desc",
      });
      return toWirePage(page, (thread) => toWireThread(thread));
    },

    async listItems(userId, params) {
      const thread = await ownedThread(userId, params.thread_id);
      const page = await threads.listItemsPage(thread.id, {
        limit: params.limit ?? PAGE_SIZE,
        after: params.after ?? null,
        order: params.order ?? "desc",
      });
      return toWirePage(page, toWireItem);
    },

    async updateThread(userId, params) {
      await ownedThread(userId, params.thread_id);
      const title = params.title.trim() || null;
      const updated = await threads.updateThread(params.thread_id, { title });
      if (!updated) throw new NotFoundError("No conversation with that id.");
      return toWireThread(updated);
    },

    async deleteThread(userId, params) {
      await ownedThread(userId, params.thread_id);
      // Files first, rows last: if a file cannot be deleted the request fails with the thread still
      // there, so deleting it again finishes the job (a missing file is fine). Rows first would
      // leave files that nothing points at any more.
      for (const row of await threads.listThreadAttachments(params.thread_id)) {
        if (row.key) await options.blobs.delete(row.key);
      }
      await threads.deleteThread(params.thread_id);
      return {};
    },

    async createAttachment(userId, params, uploadHeaders = {}) {
      const id = newId("att");
      // The real type is sniffed from the bytes at upload; this is only the client's claim.
      const type = params.mime_type.startsWith("image/") ? "image" : "file";
      const row: StoredAttachment = {
        id,
        userId,
        threadId: null,
        name: params.name,
        mimeType: params.mime_type,
        type,
        key: null,
        size: params.size,
        previewUrl: null,
        createdAt: clock.now(),
      };
      await threads.saveAttachment(row);
      return toWireUpload(row, options.uploadUrl(id), uploadHeaders, options.previewUrl(id));
    },

    async deleteAttachment(userId, params) {
      const row = await threads.getAttachment(params.attachment_id);
      if (!row || row.userId !== userId) throw new NotFoundError("No attachment with that id.");
      // File first, as for threads: a failure leaves the row, so deleting again finishes the job.
      if (row.key) await options.blobs.delete(row.key);
      await threads.deleteAttachment(row.id);
      return {};
    },

    async drain(graceMs) {
      const deadline = performance.now() + graceMs;
      while (openReplies.size > 0 && !shutdown.signal.aborted) {
        const left = deadline - performance.now();
        if (left <= 0) break;
        // Wakes when any reply ends (a new one may have started meanwhile) or the grace is over.
        await settledWithin(Promise.race([...openReplies].map((reply) => reply.ended)), left);
      }
      const cut = [...openReplies];
      shutdown.abort();
      for (const reply of cut) reply.stop.abort();
      await Promise.all(cut.map((reply) => reply.ended));
      return cut.map((reply) => reply.threadId);
    },
  };
}

import { randomBytes } from "node:crypto";
import { attributionSchema } from "../core/attribution.js";
import type {
  AttachmentCreateParams,
  AttachmentDeleteParams,
  ChatKitAssistantMessageItem,
  ChatKitAttachment,
  ChatKitAttachmentUpload,
  ChatKitEvent,
  ChatKitPage,
  ChatKitThread,
  ChatKitThreadItem,
  ChatKitUserMessageItem,
  ItemsListParams,
  ThreadAddUserMessageParams,
  ThreadCreateParams,
  ThreadIdParams,
  ThreadListParams,
  ThreadUpdateParams,
  UserMessageInput,
} from "../core/chatkit-protocol.js";
import { NotFoundError, UpstreamError, ValidationError } from "../core/errors.js";
import {
  assertMessageLength,
  assertThreadHasRoom,
  MAX_ITEMS_PER_THREAD,
  MAX_MESSAGE_CHARS,
} from "../core/limits.js";
import { buildTranscript } from "../core/transcript.js";
import type { Assistant } from "../ports/assistant.js";
import type { AttributionStore } from "../ports/attribution-store.js";
import type { Clock } from "../ports/clock.js";
import type { Logger } from "../ports/logger.js";
import type { Page, ThreadRecord, ThreadStore } from "../ports/thread-store.js";

/** Options of {@link createChatService}. */
export interface ChatServiceOptions {
  threads: ThreadStore;
  assistant: Assistant;
  attribution: AttributionStore;
  clock: Clock;
  logger: Logger;
  /** Lifetime of attribution rows (`LEAD_ATTRIBUTION_TTL_DAYS`). */
  attributionTtlDays: number;
  /** Where the widget uploads the bytes of an attachment created by `attachments.create`. */
  uploadUrl: (attachmentId: string) => string;
  /** Longest message in characters. @default MAX_MESSAGE_CHARS (4000) */
  maxMessageChars?: number;
  /** Most items per thread. @default MAX_ITEMS_PER_THREAD (200) */
  maxItemsPerThread?: number;
  /** Longest wait for the assistant's next delta before the turn fails. @default 60000 */
  replyIdleTimeoutMs?: number;
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
  /** Phase one of an upload: the row (no bytes yet) and where to send the bytes. */
  createAttachment(userId: string, params: AttachmentCreateParams): Promise<ChatKitAttachmentUpload>;
  deleteAttachment(userId: string, params: AttachmentDeleteParams): Promise<Record<string, never>>;
}

/** What the customer sees when the assistant fails; the widget offers a retry. */
export const REPLY_FAILED_MESSAGE =
  "Sorry, something went wrong on our side while answering. Please try sending your message again.";

/**
 * Re-yields `source`, but ends it (throwing) when `signal` aborts or no value arrives within
 * `idleMs`, even if `source` itself ignores the signal: a stalled upstream must never hang a stream.
 */
export async function* guardIdle<T>(
  source: AsyncIterable<T>,
  signal: AbortSignal | undefined,
  idleMs: number,
): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let finished = false;
  try {
    while (true) {
      const next = await new Promise<IteratorResult<T>>((resolve, reject) => {
        const stop = (error: unknown) => {
          clearTimeout(timer);
          signal?.removeEventListener("abort", onAbort);
          reject(error);
        };
        const onAbort = () => stop(signal?.reason ?? new Error("aborted"));
        const timer = setTimeout(
          () => stop(new UpstreamError(`The assistant sent nothing for ${idleMs} ms.`)),
          idleMs,
        );
        if (signal?.aborted) return onAbort();
        signal?.addEventListener("abort", onAbort, { once: true });
        iterator.next().then((result) => {
          clearTimeout(timer);
          signal?.removeEventListener("abort", onAbort);
          resolve(result);
        }, stop);
      });
      if (next.done) {
        finished = true;
        return;
      }
      yield next.value;
    }
  } finally {
    // Not awaited: a generator stuck in an await only settles `return()` after that await.
    if (!finished) void Promise.resolve(iterator.return?.()).catch(() => {});
  }
}

/** Default page size of the protocol (chatkit-python's DEFAULT_PAGE_SIZE). */
const PAGE_SIZE = 20;
const DAY_MS = 86_400_000;

/** `<prefix>_` + 96 random bits, base64url: unguessable, URL-safe. */
export function newId(prefix: "cthr" | "msg" | "att"): string {
  return `${prefix}_${randomBytes(12).toString("base64url")}`;
}

function toWirePage<T, U>(page: Page<T>, map: (value: T) => U): ChatKitPage<U> {
  return { data: page.data.map(map), has_more: page.hasMore, after: page.after };
}

function toWireThread(thread: ThreadRecord, items?: ChatKitPage<ChatKitThreadItem>): ChatKitThread {
  return {
    id: thread.id,
    title: thread.title,
    created_at: new Date(thread.createdAt).toISOString(),
    status: { type: "active" },
    items: items ?? { data: [], has_more: false, after: null },
  };
}

/** Creates the chat service (the self-hosted ChatKit server). */
export function createChatService(options: ChatServiceOptions): ChatService {
  const { threads, attribution, clock } = options;
  const maxChars = options.maxMessageChars ?? MAX_MESSAGE_CHARS;
  const maxItems = options.maxItemsPerThread ?? MAX_ITEMS_PER_THREAD;
  const idleTimeoutMs = options.replyIdleTimeoutMs ?? 60_000;

  async function ownedThread(userId: string, threadId: string): Promise<ThreadRecord> {
    const thread = await threads.getThread(threadId);
    if (!thread || thread.userId !== userId) throw new NotFoundError("No conversation with that id.");
    return thread;
  }

  /** Checks the message and resolves its attachment ids into the user's uploaded attachments. */
  async function checkInput(userId: string, input: UserMessageInput): Promise<ChatKitAttachment[]> {
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
      found.push({
        id,
        name: row.name,
        mime_type: row.mimeType,
        type: row.type,
        preview_url: row.previewUrl,
      });
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
    const item: ChatKitUserMessageItem = {
      id: newId("msg"),
      thread_id: thread.id,
      type: "user_message",
      created_at: new Date(clock.now()).toISOString(),
      content: input.content.map((part) => ({ type: "input_text", text: part.text })),
      attachments,
      quoted_text: input.quoted_text ?? null,
      inference_options: {},
    };
    await threads.addItem(thread.id, item);
    options.logger.info({ threadId: thread.id, userId, attachments: attachments.length }, "user message");
    return item;
  }

  /**
   * The events of one turn: the (already saved) user item, then the assistant reply as added ->
   * text deltas -> done (saved before `done` is sent). A failing or stalled assistant ends the
   * stream with an `error` event; a client that goes away keeps a non-empty partial reply, as
   * chatkit-python's handle_stream_cancelled does.
   */
  async function* reply(
    threadId: string,
    userItem: ChatKitUserMessageItem,
    signal: AbortSignal | undefined,
    first?: ChatKitEvent,
  ): AsyncGenerator<ChatKitEvent> {
    if (first) yield first;
    yield { type: "thread.item.done", item: userItem };
    const item: ChatKitAssistantMessageItem = {
      id: newId("msg"),
      thread_id: threadId,
      type: "assistant_message",
      created_at: new Date(clock.now()).toISOString(),
      content: [],
    };
    const withText = (text: string): ChatKitAssistantMessageItem => ({
      ...item,
      content: [{ type: "output_text", text, annotations: [] }],
    });
    const stopAssistant = new AbortController();
    let text = "";
    let state: "streaming" | "done" | "failed" = "streaming";
    try {
      const transcript = buildTranscript(await threads.listItems(threadId));
      yield { type: "thread.item.added", item };
      // Also stops the assistant when we give up on it (idle timeout) or the stream ends early.
      signal?.addEventListener("abort", () => stopAssistant.abort(), { once: true });
      const deltas = options.assistant.reply({ threadId, transcript }, stopAssistant.signal);
      for await (const delta of guardIdle(deltas, signal, idleTimeoutMs)) {
        if (!delta) continue;
        text += delta;
        yield {
          type: "thread.item.updated",
          item_id: item.id,
          update: { type: "assistant_message.content_part.text_delta", content_index: 0, delta },
        };
      }
      await threads.addItem(threadId, withText(text));
      state = "done";
      yield { type: "thread.item.done", item: withText(text) };
    } catch (error) {
      if (signal?.aborted) return; // the client left; `finally` keeps what was said
      state = "failed";
      options.logger.warn(
        { threadId, assistant: options.assistant.name, err: String(error) },
        "assistant reply failed",
      );
      yield { type: "error", code: "stream.error", message: REPLY_FAILED_MESSAGE, allow_retry: true };
    } finally {
      stopAssistant.abort();
      if (state === "streaming" && text.trim()) {
        await threads.addItem(threadId, withText(text)).catch((err: unknown) => {
          options.logger.warn({ threadId, err: String(err) }, "could not save the partial reply");
        });
      }
    }
  }

  return {
    async createThread(userId, params, extra = {}) {
      // Validate everything first so a refused request leaves no empty thread behind.
      const rawAttribution = extra.metadata?.attribution;
      const parsed = rawAttribution === undefined ? null : attributionSchema.safeParse(rawAttribution);
      if (parsed && !parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue?.path.length ? `.${issue.path.join(".")}` : "";
        throw new ValidationError(`metadata.attribution${where}: ${issue?.message ?? "invalid"}`);
      }
      const attachments = await checkInput(userId, params.input);
      const now = clock.now();
      const thread = await threads.createThread({ id: newId("cthr"), createdAt: now, userId });
      if (parsed?.success) {
        await attribution.put({
          threadId: thread.id,
          attribution: parsed.data,
          createdAt: now,
          leadSentAt: null,
          ttl: now + options.attributionTtlDays * DAY_MS,
        });
      }
      const userItem = await addTurn(thread, params.input, attachments, userId);
      const created: ChatKitEvent = { type: "thread.created", thread: toWireThread(thread) };
      return reply(thread.id, userItem, extra.signal, created);
    },

    async addUserMessage(userId, params, extra = {}) {
      const thread = await ownedThread(userId, params.thread_id);
      assertThreadHasRoom(await threads.countItems(thread.id), 2, maxItems);
      const attachments = await checkInput(userId, params.input);
      const userItem = await addTurn(thread, params.input, attachments, userId);
      return reply(thread.id, userItem, extra.signal);
    },

    async getThread(userId, params) {
      const thread = await ownedThread(userId, params.thread_id);
      const page = await threads.listItemsPage(thread.id, { limit: PAGE_SIZE, order: "asc" });
      return toWireThread(
        thread,
        toWirePage(page, (item) => item as unknown as ChatKitThreadItem),
      );
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
      return toWirePage(page, (item) => item as unknown as ChatKitThreadItem);
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
      await threads.deleteThread(params.thread_id);
      return {};
    },

    async createAttachment(userId, params) {
      const id = newId("att");
      // The real type is sniffed from the bytes at upload; this is only the client's claim.
      const type = params.mime_type.startsWith("image/") ? "image" : "file";
      await threads.saveAttachment({
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
      });
      return {
        id,
        name: params.name,
        mime_type: params.mime_type,
        type,
        upload_url: options.uploadUrl(id),
        preview_url: null,
      };
    },

    async deleteAttachment(userId, params) {
      const row = await threads.getAttachment(params.attachment_id);
      if (!row || row.userId !== userId) throw new NotFoundError("No attachment with that id.");
      await threads.deleteAttachment(row.id);
      return {};
    },
  };
}

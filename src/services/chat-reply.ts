import type { ChatKitAssistantMessageItem, ChatKitEvent } from "../core/chat/protocol.js";
import { buildTranscript } from "../core/chat/transcript.js";
import { storageErrorFrom, UpstreamError } from "../core/errors.js";
import type { Assistant } from "../ports/assistant.js";
import type { Clock } from "../ports/clock.js";
import type { Logger } from "../ports/logger.js";
import type { ThreadStore } from "../ports/thread-store.js";
import { newId } from "./chat-wire.js";

/** What the customer sees when the assistant fails; the widget offers a retry. */
export const REPLY_FAILED_MESSAGE =
  "Sorry, something went wrong on our side while answering. Please try sending your message again.";

/** What the customer sees when a server shutdown cuts a reply short; the widget offers a retry. */
export const REPLY_INTERRUPTED_MESSAGE = "The server is restarting; please send your message again.";

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

/** What {@link streamReply} needs from the chat service. */
export interface ReplyStreamOptions {
  threads: ThreadStore;
  assistant: Assistant;
  clock: Clock;
  logger: Logger;
  /** Longest wait for the assistant's next delta before the turn fails. */
  idleTimeoutMs: number;
  /**
   * The process is shutting down and its grace period is over: a reply still streaming stops its
   * assistant, keeps what was said so far and ends with an `error` event
   * ({@link REPLY_INTERRUPTED_MESSAGE}, `allow_retry`); a reply that starts later ends so at once.
   */
  shutdown?: AbortSignal;
}

/**
 * The events of one turn: `before` (what the request itself did: the thread created, the saved user
 * item, the items a retry removed), `stream_options`, then the assistant reply as added -> part
 * added -> text deltas -> part done -> done (saved before `done` is sent). A failing or stalled
 * assistant ends the stream with an `error` event; a client that goes away keeps a non-empty
 * partial reply, as chatkit-python's handle_stream_cancelled does. A shutdown (`options.shutdown`)
 * keeps the partial reply too, saved before the stream ends with its `error` event.
 */
export async function* streamReply(
  options: ReplyStreamOptions,
  threadId: string,
  before: readonly ChatKitEvent[],
  signal: AbortSignal | undefined,
): AsyncGenerator<ChatKitEvent> {
  const { threads, clock, shutdown } = options;
  yield* before;
  // As the official server opens every response: the customer may stop a reply mid-stream.
  yield { type: "stream_options", stream_options: { allow_cancel: true } };
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
  // The client going away and the shutdown both end the stream; `catch` tells them apart.
  const stopSignals = [signal, shutdown].filter((s): s is AbortSignal => s !== undefined);
  const stopped = stopSignals.length > 1 ? AbortSignal.any(stopSignals) : stopSignals[0];
  let text = "";
  let state: "streaming" | "done" | "failed" = "streaming";
  try {
    const transcript = buildTranscript(await threads.listItems(threadId));
    yield { type: "thread.item.added", item };
    yield {
      type: "thread.item.updated",
      item_id: item.id,
      update: {
        type: "assistant_message.content_part.added",
        content_index: 0,
        content: { type: "output_text", text: "", annotations: [] },
      },
    };
    // Also stops the assistant when we give up on it (idle timeout) or the stream ends early.
    stopped?.addEventListener("abort", () => stopAssistant.abort(), { once: true });
    const deltas = options.assistant.reply({ threadId, transcript }, stopAssistant.signal);
    for await (const delta of guardIdle(deltas, stopped, options.idleTimeoutMs)) {
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
    yield {
      type: "thread.item.updated",
      item_id: item.id,
      update: {
        type: "assistant_message.content_part.done",
        content_index: 0,
        content: { type: "output_text", text, annotations: [] },
      },
    };
    yield { type: "thread.item.done", item: withText(text) };
  } catch (error) {
    if (signal?.aborted) return; // the client left; `finally` keeps what was said
    state = "failed";
    if (shutdown?.aborted) {
      // Saved before the last event: the process exits soon after the stream ends.
      if (text.trim()) await savePartial(options, threadId, withText(text));
      yield { type: "error", code: "custom", message: REPLY_INTERRUPTED_MESSAGE, allow_retry: true };
      return;
    }
    // A full or unwritable disk (saving the reply) is told as such, not as the assistant's failure.
    const storage = storageErrorFrom(error);
    if (storage) {
      options.logger.error(
        { threadId, code: storage.code, err: String(storage.cause ?? error) },
        "storage error",
      );
    } else {
      options.logger.warn(
        { threadId, assistant: options.assistant.name, err: String(error) },
        "assistant reply failed",
      );
    }
    const message = storage?.message ?? REPLY_FAILED_MESSAGE;
    yield { type: "error", code: "custom", message, allow_retry: true };
  } finally {
    stopAssistant.abort();
    if (state === "streaming" && text.trim()) await savePartial(options, threadId, withText(text));
  }
}

/** Saves a reply cut short; a failure is logged, never thrown (the stream is ending anyway). */
async function savePartial(
  options: ReplyStreamOptions,
  threadId: string,
  item: ChatKitAssistantMessageItem,
): Promise<void> {
  await options.threads.addItem(threadId, item).catch((err: unknown) => {
    options.logger.warn({ threadId, err: String(err) }, "could not save the partial reply");
  });
}

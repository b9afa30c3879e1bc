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
  // One timer and one abort listener for the whole stream, re-armed for each wait: a reply is
  // dozens of deltas, and a timer plus a listener per delta cost more than the deltas themselves.
  /** Rejects the wait in progress; null while the caller holds a value (the clock is not running). */
  let fail: ((error: unknown) => void) | null = null;
  const stop = (error: unknown) => {
    const reject = fail;
    fail = null;
    reject?.(error);
  };
  const onAbort = () => stop(signal?.reason ?? new Error("aborted"));
  const timer = setTimeout(
    () => stop(new UpstreamError(`The assistant sent nothing for ${idleMs} ms.`)),
    idleMs,
  );
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    while (true) {
      if (signal?.aborted) throw signal.reason ?? new Error("aborted");
      timer.refresh();
      const next = await new Promise<IteratorResult<T>>((resolve, reject) => {
        fail = reject;
        iterator.next().then(
          (result) => {
            if (fail !== reject) return; // already given up on
            fail = null;
            resolve(result);
          },
          (error: unknown) => {
            if (fail !== reject) return;
            fail = null;
            reject(error);
          },
        );
      });
      if (next.done) {
        finished = true;
        return;
      }
      yield next.value;
    }
  } finally {
    fail = null;
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
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
   * Only read here: whoever aborts it also aborts the `stopAssistant` of each reply streaming (one
   * listener per reply on a signal shared by all of them would pile up under load).
   */
  shutdown?: AbortSignal;
}

/**
 * The events of one turn: `before` (what the request itself did: the thread created, the saved user
 * item, the items a retry removed), `stream_options`, then the assistant reply as added -> part
 * added -> text deltas -> part done -> done (saved before `done` is sent). A failing or stalled
 * assistant ends the stream with an `error` event; a client that goes away keeps a non-empty
 * partial reply, as chatkit-python's handle_stream_cancelled does. A shutdown (`options.shutdown`,
 * with `stopAssistant` aborted) keeps the partial reply too, saved before the stream ends with its
 * `error` event. `stopAssistant` is the caller's handle on this reply: aborting it stops the
 * assistant.
 */
export async function* streamReply(
  options: ReplyStreamOptions,
  threadId: string,
  before: readonly ChatKitEvent[],
  signal: AbortSignal | undefined,
  stopAssistant: AbortController = new AbortController(),
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
  // The client going away and the shutdown both stop the assistant; `catch` tells them apart.
  // The shutdown aborts `stopAssistant` itself; the client's signal is relayed by hand
  // (AbortSignal.any() costs more, on every turn).
  const relay = () => stopAssistant.abort();
  signal?.addEventListener("abort", relay, { once: true });
  if (signal?.aborted || shutdown?.aborted) relay();
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
    const deltas = options.assistant.reply({ threadId, transcript }, stopAssistant.signal);
    for await (const delta of guardIdle(deltas, stopAssistant.signal, options.idleTimeoutMs)) {
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
    signal?.removeEventListener("abort", relay);
    // Also stops the assistant when we gave up on it (idle timeout, a failure) or the stream ended
    // early. A finished reply has nothing left to stop (and an abort costs a DOMException).
    if (state !== "done") stopAssistant.abort();
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

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

/** The values of an iterator, each waited for within a time limit (see {@link idleGuarded}). */
export interface IdleGuarded<T> {
  /** The next value; rejects when the signal aborts or none arrives within the time limit. */
  next(): Promise<IteratorResult<T>>;
  /** Stops the clock and, unless the source ran out, ends it (not awaited). Call it once, at the end. */
  close(): void;
}

/**
 * `source`'s values, but a wait for one fails when `signal` aborts or nothing arrives within
 * `idleMs`, even if `source` itself ignores the signal: a stalled upstream must never hang a stream.
 *
 * Not a generator: a reply is dozens of deltas, and another async generator layer, a timer moved
 * and a listener added for each of them cost more than the deltas themselves. So one timer and one
 * abort listener serve the whole stream, and the timer is never moved: when it fires it checks the
 * wait in progress, if any, and sets itself again for the rest of that wait.
 */
export function idleGuarded<T>(
  source: AsyncIterable<T>,
  signal: AbortSignal | undefined,
  idleMs: number,
): IdleGuarded<T> {
  const iterator = source[Symbol.asyncIterator]();
  let finished = false;
  /** Rejects the wait in progress; null while the caller holds a value (the clock is not running). */
  let fail: ((error: unknown) => void) | null = null;
  /** When the wait in progress began (performance.now()). */
  let waitingSince = 0;
  const stop = (error: unknown) => {
    const reject = fail;
    fail = null;
    reject?.(error);
  };
  const onAbort = () => stop(signal?.reason ?? new Error("aborted"));
  const check = () => {
    const waited = performance.now() - waitingSince;
    if (fail && waited >= idleMs) stop(new UpstreamError(`The assistant sent nothing for ${idleMs} ms.`));
    timer = setTimeout(check, fail ? idleMs - waited : idleMs);
  };
  let timer = setTimeout(check, idleMs);
  signal?.addEventListener("abort", onAbort, { once: true });
  return {
    next() {
      if (signal?.aborted) return Promise.reject(signal.reason ?? new Error("aborted"));
      waitingSince = performance.now();
      return new Promise<IteratorResult<T>>((resolve, reject) => {
        fail = reject;
        iterator.next().then(
          (result) => {
            if (fail !== reject) return; // already given up on
            fail = null;
            finished = result.done === true;
            resolve(result);
          },
          (error: unknown) => {
            if (fail !== reject) return;
            fail = null;
            reject(error);
          },
        );
      });
    },
    close() {
      fail = null;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      // Not awaited: a generator stuck in an await only settles `return()` after that await.
      if (!finished) void Promise.resolve(iterator.return?.()).catch(() => {});
    },
  };
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
  /**
   * Called when a reply starts (its first event is asked for) with its thread and the handle that
   * stops its assistant; what it answers is called once the reply has ended, whatever ended it.
   */
  track?: (threadId: string, stopAssistant: AbortController) => () => void;
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
  const untrack = options.track?.(threadId, stopAssistant);
  try {
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
      const deltas = idleGuarded(
        options.assistant.reply({ threadId, transcript }, stopAssistant.signal),
        stopAssistant.signal,
        options.idleTimeoutMs,
      );
      try {
        for (let next = await deltas.next(); !next.done; next = await deltas.next()) {
          const delta = next.value;
          if (!delta) continue;
          text += delta;
          yield {
            type: "thread.item.updated",
            item_id: item.id,
            update: { type: "assistant_message.content_part.text_delta", content_index: 0, delta },
          };
        }
      } finally {
        deltas.close();
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
  } finally {
    untrack?.();
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

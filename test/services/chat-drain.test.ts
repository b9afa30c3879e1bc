import { describe, expect, it } from "vitest";
import type { ChatKitEvent, UserMessageInput } from "../../src/core/chat/protocol.js";
import type { Assistant } from "../../src/ports/assistant.js";
import { silentLogger } from "../../src/ports/logger.js";
import { createChatService, REPLY_INTERRUPTED_MESSAGE } from "../../src/services/chat.js";
import { createFakeClock } from "../support/fake-clock.js";
import {
  createInMemoryAttributionStore,
  createInMemoryBlobStore,
  createInMemoryThreadStore,
} from "../support/in-memory-ports.js";
import { collect } from "../support/iterables.js";
import { joinDeltas } from "../support/sse.js";

/** `chat.drain`: what a graceful shutdown does to the replies streaming at the time. */

const input = (text: string): UserMessageInput => ({
  content: [{ type: "input_text", text }],
  attachments: [],
});

/**
 * An assistant that says `before`, then waits for `release()` before saying `after`. Like a stalled
 * model it ignores the abort signal: the chat service must end the reply on its own.
 */
function heldAssistant(before: string[], after: string[]) {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const assistant: Assistant = {
    name: "held",
    async *reply() {
      yield* before;
      await released;
      yield* after;
    },
  };
  return { assistant, release };
}

function setup(assistant: Assistant) {
  const threads = createInMemoryThreadStore();
  const clock = createFakeClock();
  const chat = createChatService({
    threads,
    assistant,
    attribution: createInMemoryAttributionStore({ now: clock.now }),
    clock,
    logger: silentLogger,
    attributionTtlDays: 180,
    blobs: createInMemoryBlobStore(),
    uploadUrl: (id) => `http://127.0.0.1:8787/api/attachments?attachment_id=${id}`,
    previewUrl: (id) => `http://127.0.0.1:8787/api/attachments?attachment_id=${id}`,
  });
  return { chat, threads };
}

/** Reads events until `stop` holds for the ones read so far; returns them and the rest of the stream. */
async function readUntil(events: AsyncIterable<ChatKitEvent>, stop: (seen: ChatKitEvent[]) => boolean) {
  const iterator = events[Symbol.asyncIterator]();
  const seen: ChatKitEvent[] = [];
  while (!stop(seen)) {
    const next = await iterator.next();
    if (next.done) throw new Error("the stream ended first");
    seen.push(next.value);
  }
  const rest = { [Symbol.asyncIterator]: () => iterator };
  return { seen, rest };
}

function threadIdOf(events: ChatKitEvent[]): string {
  const created = events[0];
  if (created?.type !== "thread.created") throw new Error("no thread.created");
  return created.thread.id;
}

describe("chat service: drain (graceful shutdown)", () => {
  it("with nothing streaming: resolves at once with nothing cut", async () => {
    const { chat } = setup(heldAssistant([], []).assistant);
    const started = performance.now();
    expect(await chat.drain(5000)).toEqual([]);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it("a reply that finishes within the grace period is not touched", async () => {
    const held = heldAssistant(["Hello ", "there. "], ["How can we help?"]);
    const { chat } = setup(held.assistant);
    const { seen, rest } = await readUntil(await chat.createThread("u1", { input: input("hi") }), (events) =>
      joinDeltas(events).endsWith("there. "),
    );
    const drained = chat.drain(5000);
    setTimeout(held.release, 50);
    const events = [...seen, ...(await collect(rest))];
    expect(await drained).toEqual([]);
    expect(joinDeltas(events)).toBe("Hello there. How can we help?");
    expect(events.at(-1)).toMatchObject({ type: "thread.item.done", item: { type: "assistant_message" } });
  });

  it("after the grace period: the reply ends with the restart error and keeps what was said", async () => {
    const { chat, threads } = setup(
      heldAssistant(["Sorry about ", "the seat! "], ["What year is it?"]).assistant,
    );
    const { seen, rest } = await readUntil(
      await chat.createThread("u1", { input: input("torn seat") }),
      (events) => joinDeltas(events).endsWith("the seat! "),
    );
    const threadId = threadIdOf(seen);
    const started = performance.now();
    const drained = chat.drain(100);
    const events = [...seen, ...(await collect(rest))];

    expect(await drained).toEqual([threadId]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
    expect(events.at(-1)).toEqual({
      type: "error",
      code: "custom",
      message: REPLY_INTERRUPTED_MESSAGE,
      allow_retry: true,
    });
    const items = await threads.listItems(threadId);
    expect(items.map((item) => item.type)).toEqual(["user_message", "assistant_message"]);
    expect(items[1]?.content).toEqual([
      { type: "output_text", text: "Sorry about the seat! ", annotations: [] },
    ]);
  });

  it("a reply cut before the assistant said anything saves no empty item", async () => {
    const { chat, threads } = setup(heldAssistant([], ["late"]).assistant);
    const { seen, rest } = await readUntil(await chat.createThread("u1", { input: input("hi") }), (events) =>
      events.some((event) => event.type === "thread.item.added"),
    );
    const threadId = threadIdOf(seen);
    const drained = chat.drain(0);
    const events = [...seen, ...(await collect(rest))];
    expect(await drained).toEqual([threadId]);
    expect(events.at(-1)).toMatchObject({ type: "error", message: REPLY_INTERRUPTED_MESSAGE });
    expect((await threads.listItems(threadId)).map((item) => item.type)).toEqual(["user_message"]);
  });

  it("a reply that starts after the drain ends at once with the restart error", async () => {
    const { chat } = setup(heldAssistant(["never said"], []).assistant);
    expect(await chat.drain(0)).toEqual([]);
    const events = await collect(await chat.createThread("u1", { input: input("hi") }));
    expect(joinDeltas(events)).toBe("");
    expect(events.at(-1)).toMatchObject({
      type: "error",
      message: REPLY_INTERRUPTED_MESSAGE,
      allow_retry: true,
    });
  });

  it("a client that already left gets no error event; its partial reply is kept as before", async () => {
    const { chat, threads } = setup(heldAssistant(["Half a "], ["reply"]).assistant);
    const client = new AbortController();
    const { seen, rest } = await readUntil(
      await chat.createThread("u1", { input: input("hi") }, { signal: client.signal }),
      (events) => joinDeltas(events) === "Half a ",
    );
    client.abort();
    const drained = chat.drain(0);
    const events = [...seen, ...(await collect(rest))];
    await drained;
    expect(events.some((event) => event.type === "error")).toBe(false);
    const items = await threads.listItems(threadIdOf(seen));
    expect(items.at(-1)?.content).toEqual([{ type: "output_text", text: "Half a ", annotations: [] }]);
  });
});

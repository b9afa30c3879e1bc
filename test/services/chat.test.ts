import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createLocalAssistant } from "../../src/adapters/local/assistant.js";
import { createSqliteAttributionStore } from "../../src/adapters/sqlite/attribution-store.js";
import { openSqliteDatabase, type SqliteDatabase } from "../../src/adapters/sqlite/database.js";
import { createSqliteThreadStore } from "../../src/adapters/sqlite/thread-store.js";
import { DEFAULT_BUSINESS_PROFILE } from "../../src/core/business-profile.js";
import type { ChatKitEvent, UserMessageInput } from "../../src/core/chat/protocol.js";
import { UpstreamError } from "../../src/core/errors.js";
import type { Assistant } from "../../src/ports/assistant.js";
import { silentLogger } from "../../src/ports/logger.js";
import type { ThreadStore } from "../../src/ports/thread-store.js";
import { type ChatServiceOptions, createChatService, REPLY_FAILED_MESSAGE } from "../../src/services/chat.js";
import { createFakeClock } from "../support/fake-clock.js";
import { createInMemoryBlobStore } from "../support/in-memory-ports.js";
import { joinDeltas } from "../support/sse.js";
import { makeTempDir } from "../support/temp-dir.js";

const input = (text: string, attachments: string[] = []): UserMessageInput => ({
  content: [{ type: "input_text", text }],
  attachments,
});

async function collect(events: AsyncIterable<ChatKitEvent>): Promise<ChatKitEvent[]> {
  const all: ChatKitEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

function setup(overrides: Partial<ChatServiceOptions> = {}) {
  const temp = makeTempDir();
  const db: SqliteDatabase = openSqliteDatabase({ path: join(temp.dir, "chat.sqlite") });
  cleanup = () => {
    db.close();
    temp.remove();
  };
  const clock = createFakeClock();
  const threads: ThreadStore = createSqliteThreadStore({ db });
  const attribution = createSqliteAttributionStore({ db, now: clock.now });
  const chat = createChatService({
    threads,
    assistant: createLocalAssistant({ profile: DEFAULT_BUSINESS_PROFILE }),
    attribution,
    clock,
    logger: silentLogger,
    attributionTtlDays: 180,
    blobs: createInMemoryBlobStore(),
    uploadUrl: (id) => `http://127.0.0.1:8787/api/attachments?attachment_id=${id}`,
    previewUrl: (id) => `http://127.0.0.1:8787/api/attachments?attachment_id=${id}`,
    ...overrides,
  });
  return { chat, threads, attribution, clock };
}

/** A thread of `user` with one finished turn; returns its id. */
async function newThread(chat: ReturnType<typeof setup>["chat"], user = "u1", text = "Hi there") {
  const events = await collect(await chat.createThread(user, { input: input(text) }));
  const created = events[0];
  if (created?.type !== "thread.created") throw new Error("no thread.created");
  return created.thread.id;
}

/** Marks an attachment row as uploaded, as the upload endpoint will. */
async function markUploaded(threads: ThreadStore, id: string) {
  const row = await threads.getAttachment(id);
  if (!row) throw new Error("no row");
  const key = `chatkit-attachments/${id}.jpg`;
  await threads.saveAttachment({
    ...row,
    key,
    mimeType: "image/jpeg",
    previewUrl: `http://127.0.0.1:8787/api/attachments?id=${key}`,
  });
}

describe("chat service", () => {
  it("creates a thread with attribution and streams the turn in protocol order", async () => {
    const { chat, threads, attribution, clock } = setup();
    const attr = { gclid: "abc123", utm_source: "google", landing_page: "https://shop.example/seats" };
    const events = await collect(
      await chat.createThread(
        "u1",
        { input: input("My 2012 Honda Civic driver seat is torn") },
        { metadata: { attribution: attr } },
      ),
    );

    expect(events.map((e) => e.type)).toEqual([
      "thread.created",
      "thread.item.done",
      "thread.updated",
      "stream_options",
      "thread.item.added",
      ...events.slice(5, -1).map(() => "thread.item.updated"),
      "thread.item.done",
    ]);
    expect(events.length).toBeGreaterThan(7);
    const [created, userDone, retitled, options, added, , ...rest] = events;
    // Named after the customer's first words.
    expect(retitled).toMatchObject({
      type: "thread.updated",
      thread: { title: "My 2012 Honda Civic driver seat is torn", items: { data: [] } },
    });
    expect(options).toEqual({ type: "stream_options", stream_options: { allow_cancel: true } });
    // The text part opens before the first delta and closes, whole, before the item is done.
    const updates = events.flatMap((e) => (e.type === "thread.item.updated" ? [e.update] : []));
    expect(updates[0]).toEqual({
      type: "assistant_message.content_part.added",
      content_index: 0,
      content: { type: "output_text", text: "", annotations: [] },
    });
    expect(updates.at(-1)).toEqual({
      type: "assistant_message.content_part.done",
      content_index: 0,
      content: { type: "output_text", text: joinDeltas(events), annotations: [] },
    });
    if (created?.type !== "thread.created") throw new Error("expected thread.created");
    const threadId = created.thread.id;
    expect(threadId).toMatch(/^cthr_[\w-]{16,}$/);
    expect(created.thread).not.toHaveProperty("title");
    expect(created.thread).toMatchObject({
      status: { type: "active" },
      metadata: {},
      items: { data: [] },
    });
    expect(userDone).toMatchObject({
      type: "thread.item.done",
      item: {
        type: "user_message",
        thread_id: threadId,
        content: [{ type: "input_text", text: "My 2012 Honda Civic driver seat is torn" }],
        attachments: [],
        inference_options: {},
      },
    });
    // Left out, as the official server leaves out what is empty.
    expect(userDone && "item" in userDone ? userDone.item : {}).not.toHaveProperty("quoted_text");
    expect(added).toMatchObject({
      type: "thread.item.added",
      item: { type: "assistant_message", content: [] },
    });
    const done = rest.at(-1);
    if (done?.type !== "thread.item.done" || done.item.type !== "assistant_message")
      throw new Error("no done");
    const text = joinDeltas(events);
    expect(text.length).toBeGreaterThan(0);
    expect(done.item.content).toEqual([{ type: "output_text", text, annotations: [] }]);

    const stored = await threads.listItems(threadId);
    expect(stored.map((item) => item.type)).toEqual(["user_message", "assistant_message"]);
    expect(stored[1]).toEqual(done.item);
    expect((await threads.getThread(threadId))?.userId).toBe("u1");
    const row = await attribution.get(threadId);
    expect(row?.attribution).toEqual(attr);
    expect(row?.ttl).toBe(clock.now() + 180 * 86_400_000);
  });

  it("never refuses a message for its attribution: keeps the valid keys, warns once naming the dropped ones", async () => {
    const warnings: Array<{ fields: Record<string, unknown>; message: string }> = [];
    const logger = {
      ...silentLogger,
      warn: (fields: Record<string, unknown>, message: string) => {
        warnings.push({ fields, message });
      },
    };
    const { chat, threads, attribution } = setup({ logger });
    const bad = { evil: "maria@example.com", utm_source: "google", landing_page: "/seats", gclid: 7 };
    const events = await collect(
      await chat.createThread("u1", { input: input("hi") }, { metadata: { attribution: bad } }),
    );
    const created = events[0];
    if (created?.type !== "thread.created") throw new Error("no thread.created");
    expect((await threads.listThreads("u1")).data).toHaveLength(1);
    expect((await attribution.get(created.thread.id))?.attribution).toEqual({ utm_source: "google" });
    expect(warnings).toEqual([
      {
        fields: { threadId: created.thread.id, userId: "u1", dropped: ["evil", "landing_page", "gclid"] },
        message: "attribution keys dropped",
      },
    ]);
    expect(JSON.stringify(warnings)).not.toContain("maria");
    expect(JSON.stringify(warnings)).not.toContain("/seats");

    // Not even a non-object refuses the message; nothing is warned when all is valid.
    warnings.length = 0;
    await collect(await chat.createThread("u1", { input: input("hi") }, { metadata: { attribution: "x" } }));
    await collect(
      await chat.createThread("u1", { input: input("hi") }, { metadata: { attribution: { gclid: "g" } } }),
    );
    expect(warnings.map((w) => w.fields.dropped)).toEqual([["*"]]);
  });

  it("adds a message: deltas concatenate to the saved reply, and the assistant sees the transcript", async () => {
    const seen: string[] = [];
    const local = createLocalAssistant({ profile: DEFAULT_BUSINESS_PROFILE });
    const spy: Assistant = {
      name: "spy",
      reply: (turn, signal) => {
        seen.push(turn.transcript.text);
        return local.reply(turn, signal);
      },
    };
    const { chat, threads } = setup({ assistant: spy });
    const threadId = await newThread(chat, "u1", "The headliner in my 2015 Ford F-150 is sagging");
    const events = await collect(
      await chat.addUserMessage("u1", { thread_id: threadId, input: input("I'm Maria, 512-555-0123") }),
    );
    expect(events.map((e) => e.type).slice(0, 3)).toEqual([
      "thread.item.done",
      "stream_options",
      "thread.item.added",
    ]);
    const done = events.at(-1);
    if (done?.type !== "thread.item.done" || done.item.type !== "assistant_message")
      throw new Error("no done");
    expect(done.item.content[0]?.text).toBe(joinDeltas(events));
    const items = await threads.listItems(threadId);
    expect(items.map((i) => i.type)).toEqual([
      "user_message",
      "assistant_message",
      "user_message",
      "assistant_message",
    ]);
    expect(seen[1]).toMatch(
      /Customer: The headliner[\s\S]*Assistant: [\s\S]*Customer: I'm Maria, 512-555-0123$/,
    );
  });

  it("pages threads and items with after/limit/order", async () => {
    const { chat, threads, clock } = setup();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(await newThread(chat, "u1", `message ${i}`));
      clock.advance(1000);
    }
    await newThread(chat, "someone-else");
    const first = await chat.listThreads("u1", { limit: 2 });
    expect(first.data.map((t) => t.id)).toEqual([ids[2], ids[1]]);
    expect(first).toMatchObject({ has_more: true, after: ids[1] });
    const second = await chat.listThreads("u1", { limit: 2, after: first.after });
    expect(second.data.map((t) => t.id)).toEqual([ids[0]]);
    expect(second.has_more).toBe(false);

    const threadId = ids[0] ?? "";
    for (let i = 0; i < 11; i++) {
      clock.advance(1000);
      await collect(await chat.addUserMessage("u1", { thread_id: threadId, input: input(`turn ${i}`) }));
    }
    const all = await threads.listItems(threadId);
    expect(all).toHaveLength(24);
    const full = await chat.getThread("u1", { thread_id: threadId });
    expect(full.items.data.map((i) => i.id)).toEqual(all.slice(0, 20).map((i) => i.id));
    expect(full.items).toMatchObject({ has_more: true, after: all[19]?.id });

    const newest = await chat.listItems("u1", { thread_id: threadId, limit: 5 });
    expect(newest.data.map((i) => i.id)).toEqual(
      all
        .slice(-5)
        .reverse()
        .map((i) => i.id),
    );
    const older = await chat.listItems("u1", { thread_id: threadId, limit: 5, after: newest.after });
    expect(older.data.map((i) => i.id)).toEqual(
      all
        .slice(-10, -5)
        .reverse()
        .map((i) => i.id),
    );
    const asc = await chat.listItems("u1", { thread_id: threadId, order: "asc", after: all[21]?.id });
    expect(asc).toMatchObject({ has_more: false, after: all[23]?.id });
  });

  it("updates the title and deletes; a deleted thread is 404", async () => {
    const { chat } = setup();
    const threadId = await newThread(chat);
    expect(await chat.updateThread("u1", { thread_id: threadId, title: " Civic seat " })).toMatchObject({
      id: threadId,
      title: "Civic seat",
    });
    expect((await chat.getThread("u1", { thread_id: threadId })).title).toBe("Civic seat");
    expect(await chat.deleteThread("u1", { thread_id: threadId })).toEqual({});
    await expect(chat.getThread("u1", { thread_id: threadId })).rejects.toMatchObject({ status: 404 });
    expect((await chat.listThreads("u1", {})).data).toEqual([]);
  });

  it("hides another user's thread and attachment behind 404 everywhere", async () => {
    const { chat, threads } = setup();
    const threadId = await newThread(chat, "owner");
    const attachment = await chat.createAttachment("owner", {
      name: "a.jpg",
      size: 10,
      mime_type: "image/jpeg",
    });
    const p = { thread_id: threadId };
    const attempts = [
      chat.getThread("intruder", p),
      chat.listItems("intruder", p),
      chat.updateThread("intruder", { ...p, title: "mine" }),
      chat.deleteThread("intruder", p),
      chat.addUserMessage("intruder", { ...p, input: input("hi") }),
      chat.deleteAttachment("intruder", { attachment_id: attachment.id }),
    ];
    for (const attempt of attempts) await expect(attempt).rejects.toMatchObject({ status: 404 });
    expect(await threads.listItems(threadId)).toHaveLength(2);
    expect(await threads.getAttachment(attachment.id)).not.toBeNull();
    // The intruder's retitle changed nothing: the title is still the owner's first words.
    expect((await chat.getThread("owner", p)).title).not.toBe("mine");
  });

  it("creates attachments two-phase and puts uploaded ones on the user item", async () => {
    const { chat, threads } = setup();
    const created = await chat.createAttachment(
      "u1",
      { name: "seat.jpg", size: 1234, mime_type: "image/jpeg" },
      { Authorization: "Bearer the-callers-secret" },
    );
    expect(created).toEqual({
      id: expect.stringMatching(/^att_[\w-]{16,}$/),
      name: "seat.jpg",
      mime_type: "image/jpeg",
      type: "image",
      upload_descriptor: {
        url: `http://127.0.0.1:8787/api/attachments?attachment_id=${created.id}`,
        method: "POST",
        headers: { Authorization: "Bearer the-callers-secret" },
      },
      preview_url: `http://127.0.0.1:8787/api/attachments?attachment_id=${created.id}`,
    });
    // A file has no preview.
    const pdf = await chat.createAttachment("u1", {
      name: "quote.pdf",
      size: 10,
      mime_type: "application/pdf",
    });
    expect(pdf).not.toHaveProperty("preview_url");
    expect(await threads.getAttachment(created.id)).toMatchObject({ userId: "u1", key: null, size: 1234 });

    // Not uploaded yet: refused, and nothing is created.
    await expect(chat.createThread("u1", { input: input("photo", [created.id]) })).rejects.toMatchObject({
      status: 400,
      code: "attachment_not_uploaded",
    });
    await markUploaded(threads, created.id);
    const events = await collect(await chat.createThread("u1", { input: input("", [created.id]) }));
    const userDone = events.find((e) => e.type === "thread.item.done");
    if (userDone?.type !== "thread.item.done" || userDone.item.type !== "user_message")
      throw new Error("no item");
    expect(userDone.item.attachments).toEqual([
      {
        id: created.id,
        name: "seat.jpg",
        mime_type: "image/jpeg",
        type: "image",
        preview_url: `http://127.0.0.1:8787/api/attachments?id=chatkit-attachments/${created.id}.jpg`,
        thread_id: userDone.item.thread_id,
      },
    ]);
    expect((await threads.getAttachment(created.id))?.threadId).toBe(userDone.item.thread_id);

    const theirs = await chat.createAttachment("u2", { name: "x.png", size: 5, mime_type: "image/png" });
    await markUploaded(threads, theirs.id);
    await expect(chat.createThread("u1", { input: input("look", [theirs.id]) })).rejects.toMatchObject({
      status: 404,
    });
    expect(await chat.deleteAttachment("u2", { attachment_id: theirs.id })).toEqual({});
    expect(await threads.getAttachment(theirs.id)).toBeNull();
  });

  it("refuses too-long and empty messages and full threads", async () => {
    const { chat, threads } = setup({ maxItemsPerThread: 4 });
    await expect(chat.createThread("u1", { input: input("x".repeat(4001)) })).rejects.toMatchObject({
      status: 413,
      code: "message_too_long",
    });
    await expect(chat.createThread("u1", { input: input("   ") })).rejects.toMatchObject({ status: 400 });
    expect((await threads.listThreads("u1")).data).toEqual([]);
    const threadId = await newThread(chat);
    await collect(await chat.addUserMessage("u1", { thread_id: threadId, input: input("two") }));
    await expect(
      chat.addUserMessage("u1", { thread_id: threadId, input: input("three") }),
    ).rejects.toMatchObject({ code: "thread_full" });
    expect(await threads.countItems(threadId)).toBe(4);
  });

  it("ends with a polite error event when the assistant fails, keeping the user item", async () => {
    const failing: Assistant = {
      name: "failing",
      async *reply() {
        yield "Let me ";
        throw new UpstreamError("model down");
      },
    };
    const { chat, threads } = setup({ assistant: failing });
    const events = await collect(await chat.createThread("u1", { input: input("hello") }));
    expect(events.map((e) => e.type)).toEqual([
      "thread.created",
      "thread.item.done",
      "thread.updated",
      "stream_options",
      "thread.item.added",
      "thread.item.updated",
      "thread.item.updated",
      "error",
    ]);
    expect(events.at(-1)).toEqual({
      type: "error",
      code: "custom",
      message: REPLY_FAILED_MESSAGE,
      allow_retry: true,
    });
    const created = events[0];
    if (created?.type !== "thread.created") throw new Error("no thread");
    expect((await threads.listItems(created.thread.id)).map((i) => i.type)).toEqual(["user_message"]);
  });

  /**
   * An assistant that says a few words, then hangs forever, ignoring its signal. Each test makes
   * its own, so one test's aborted signal can never satisfy another test's assertion.
   */
  function stuckAssistant(): { assistant: Assistant; signal(): AbortSignal | undefined } {
    let received: AbortSignal | undefined;
    let calls = 0;
    return {
      assistant: {
        name: "stuck",
        async *reply(_turn, signal) {
          calls += 1;
          if (calls > 1) throw new Error("the stuck assistant is for one turn only");
          received = signal;
          yield "Thanks for ";
          await new Promise(() => {});
        },
      },
      signal: () => received,
    };
  }

  it("stops a never-ending assistant when the client aborts, keeping the partial reply", async () => {
    const stuck = stuckAssistant();
    // A long idle timeout: only the abort can end this stream in time.
    const { chat, threads } = setup({ assistant: stuck.assistant, replyIdleTimeoutMs: 20_000 });
    const threadId = (await threads.createThread({ id: "cthr_test", createdAt: 0, userId: "u1" })).id;
    const abort = new AbortController();
    const seen: string[] = [];
    const stream = await chat.addUserMessage(
      "u1",
      { thread_id: threadId, input: input("hi") },
      { signal: abort.signal },
    );
    const started = Date.now();
    for await (const event of stream) {
      seen.push(event.type);
      if (event.type === "thread.item.updated" && event.update.type.endsWith("text_delta")) abort.abort();
    }
    expect(seen).toEqual([
      "thread.item.done",
      "stream_options",
      "thread.item.added",
      "thread.item.updated",
      "thread.item.updated",
    ]);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(stuck.signal()).toBeInstanceOf(AbortSignal);
    expect(stuck.signal()?.aborted).toBe(true);
    const items = await threads.listItems(threadId);
    expect(items[1]).toMatchObject({ type: "assistant_message", content: [{ text: "Thanks for " }] });
  });

  it("ends a stalled assistant with an error event after the idle timeout", async () => {
    const stuck = stuckAssistant();
    const { chat, threads } = setup({ assistant: stuck.assistant, replyIdleTimeoutMs: 50 });
    const threadId = (await threads.createThread({ id: "cthr_test", createdAt: 0, userId: "u1" })).id;
    const timedOut = await collect(
      await chat.addUserMessage("u1", { thread_id: threadId, input: input("hello?") }),
    );
    expect(timedOut.at(-1)).toMatchObject({ type: "error", allow_retry: true });
    expect(await threads.countItems(threadId)).toBe(1);
    expect(stuck.signal()).toBeInstanceOf(AbortSignal);
    expect(stuck.signal()?.aborted).toBe(true);
  });
});

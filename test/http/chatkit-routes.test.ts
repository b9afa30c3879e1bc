import { join } from "node:path";
import { Hono } from "hono";
import { afterEach, describe, expect, it } from "vitest";
import { createLocalAssistant } from "../../src/adapters/local/assistant.js";
import { createSqliteAttributionStore } from "../../src/adapters/sqlite/attribution-store.js";
import { openSqliteDatabase } from "../../src/adapters/sqlite/database.js";
import { createSqliteThreadStore } from "../../src/adapters/sqlite/thread-store.js";
import { DEFAULT_BUSINESS_PROFILE } from "../../src/core/business-profile.js";
import type { ChatKitEvent } from "../../src/core/chat/protocol.js";
import { errorResponse } from "../../src/http/errors.js";
import { type ChatKitEnv, createChatKitRoutes } from "../../src/http/routes/chatkit.js";
import type { Assistant } from "../../src/ports/assistant.js";
import { silentLogger } from "../../src/ports/logger.js";
import { createChatService } from "../../src/services/chat.js";
import { assertConformingResponse, type RequestType } from "../support/chatkit-conformance.js";
import { createFakeClock } from "../support/fake-clock.js";
import { createInMemoryBlobStore } from "../support/in-memory-ports.js";
import { joinDeltas, parseSseFrames, readSseEvents } from "../support/sse.js";
import { makeTempDir } from "../support/temp-dir.js";

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

function setup(assistant?: Assistant) {
  const temp = makeTempDir();
  const db = openSqliteDatabase({ path: join(temp.dir, "chat.sqlite") });
  cleanup = () => {
    db.close();
    temp.remove();
  };
  const clock = createFakeClock();
  const threads = createSqliteThreadStore({ db });
  const attribution = createSqliteAttributionStore({ db, now: clock.now });
  const chat = createChatService({
    threads,
    assistant: assistant ?? createLocalAssistant({ profile: DEFAULT_BUSINESS_PROFILE }),
    attribution,
    clock,
    logger: silentLogger,
    attributionTtlDays: 180,
    blobs: createInMemoryBlobStore(),
    uploadUrl: (id) => `http://localhost/api/attachments?attachment_id=${id}`,
    previewUrl: (id) => `http://localhost/api/attachments?attachment_id=${id}`,
  });
  const app = new Hono<ChatKitEnv>();
  app.onError((error, c) => errorResponse(error, c, silentLogger));
  // Stands in for the session middleware: the user comes from a test header.
  app.use("*", async (c, next) => {
    const user = c.req.header("x-test-user");
    if (user) c.set("userId", user);
    await next();
  });
  app.route("/api/chatkit", createChatKitRoutes({ chat }));
  const post = (body: unknown, user = "u1", init: RequestInit = {}) =>
    app.request("/api/chatkit", {
      method: "POST",
      headers: { "content-type": "application/json", "x-test-user": user },
      body: typeof body === "string" ? body : JSON.stringify(body),
      ...init,
    });
  /** A JSON request; every 200 answer is checked against the official protocol's shape for its type. */
  const json = async (body: unknown, user = "u1") => {
    const response = await post(body, user);
    const answer = (await response.json()) as Record<string, unknown>;
    const type = (body as { type?: string }).type;
    if (response.status === 200 && type) assertConformingResponse(type as RequestType, answer);
    return { status: response.status, body: answer };
  };
  return { post, json, threads, attribution };
}

const input = (text: string, attachments: string[] = []) => ({
  content: [{ type: "input_text", text }],
  attachments,
  inference_options: {},
});

function threadIdOf(events: ChatKitEvent[]): string {
  const created = events[0];
  if (created?.type !== "thread.created") throw new Error("expected thread.created first");
  return created.thread.id;
}

describe("POST /api/chatkit", () => {
  it("streams threads.create as SSE and stores the attribution", async () => {
    const { post, threads, attribution } = setup();
    const response = await post({
      type: "threads.create",
      params: { input: input("Hi, the driver seat of my 2012 Honda Civic is torn") },
      metadata: { attribution: { utm_source: "google", gclid: "g-1" } },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(response.headers.get("cache-control")).toBe("no-cache");
    expect(response.headers.get("x-accel-buffering")).toBe("no");
    const raw = await response.text();
    expect(raw.startsWith("data: {")).toBe(true);
    expect(raw.endsWith("}\n\n")).toBe(true);
    const events = parseSseFrames(raw) as ChatKitEvent[];
    expect(events.map((e) => e.type).filter((t) => t !== "thread.item.updated")).toEqual([
      "thread.created",
      "thread.item.done",
      "thread.updated",
      "stream_options",
      "thread.item.added",
      "thread.item.done",
    ]);
    const done = events.at(-1);
    if (done?.type !== "thread.item.done" || done.item.type !== "assistant_message")
      throw new Error("no reply");
    expect(done.item.content[0]?.text).toBe(joinDeltas(events));
    const threadId = threadIdOf(events);
    expect(await threads.countItems(threadId)).toBe(2);
    expect((await attribution.get(threadId))?.attribution).toEqual({ utm_source: "google", gclid: "g-1" });
  });

  it("never refuses threads.create for a bad attribution: streams, keeps the valid keys, drops the rest", async () => {
    const { post, threads, attribution } = setup();
    const response = await post({
      type: "threads.create",
      params: { input: input("Hi, my seat is torn") },
      metadata: { attribution: { landing_page: "/seats", utm_source: "google" } },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = await readSseEvents(response);
    expect(events.at(-1)).toMatchObject({ type: "thread.item.done", item: { type: "assistant_message" } });
    const threadId = threadIdOf(events);
    expect(await threads.countItems(threadId)).toBe(2);
    expect((await attribution.get(threadId))?.attribution).toEqual({ utm_source: "google" });
  });

  it("adds messages, pages, retitles and deletes over JSON", async () => {
    const { post, json } = setup();
    const threadId = threadIdOf(
      await readSseEvents(await post({ type: "threads.create", params: { input: input("hello") } })),
    );
    const added = await readSseEvents(
      await post({
        type: "threads.add_user_message",
        params: { thread_id: threadId, input: input("a headliner") },
      }),
    );
    expect(added[0]).toMatchObject({ type: "thread.item.done", item: { type: "user_message" } });
    expect(added.at(-1)).toMatchObject({ type: "thread.item.done", item: { type: "assistant_message" } });

    const thread = await json({ type: "threads.get_by_id", params: { thread_id: threadId } });
    expect(thread.status).toBe(200);
    expect(thread.body).toMatchObject({ id: threadId, items: { has_more: false } });
    expect((thread.body.items as { data: unknown[] }).data).toHaveLength(4);

    const page = await json({ type: "items.list", params: { thread_id: threadId, limit: 3 } });
    expect(page.body).toMatchObject({ has_more: true });
    const next = await json({
      type: "items.list",
      params: { thread_id: threadId, limit: 3, after: page.body.after },
    });
    expect(next.body).toMatchObject({ has_more: false, data: [{ type: "user_message" }] });

    expect(
      (await json({ type: "threads.update", params: { thread_id: threadId, title: "Seat" } })).body,
    ).toMatchObject({
      title: "Seat",
    });
    const list = await json({ type: "threads.list", params: { limit: 10 } });
    expect(list.body).toMatchObject({ data: [{ id: threadId, title: "Seat" }], has_more: false });

    expect(await json({ type: "threads.delete", params: { thread_id: threadId } })).toEqual({
      status: 200,
      body: {},
    });
    const gone = await json({ type: "threads.get_by_id", params: { thread_id: threadId } });
    expect(gone).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
  });

  it("answers 404 to every request type on another user's thread or attachment", async () => {
    const { post, json, threads } = setup();
    const threadId = threadIdOf(
      await readSseEvents(await post({ type: "threads.create", params: { input: input("mine") } })),
    );
    const attachment = await json({
      type: "attachments.create",
      params: { name: "a.png", size: 3, mime_type: "image/png" },
    });
    const p = { thread_id: threadId };
    for (const request of [
      { type: "threads.get_by_id", params: p },
      { type: "items.list", params: p },
      { type: "threads.update", params: { ...p, title: "x" } },
      { type: "threads.delete", params: p },
      { type: "threads.add_user_message", params: { ...p, input: input("let me in") } },
      { type: "attachments.delete", params: { attachment_id: attachment.body.id } },
    ]) {
      const response = await json(request, "intruder");
      expect(response, request.type).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
    }
    expect((await json({ type: "threads.list", params: {} }, "intruder")).body).toMatchObject({ data: [] });
    expect(await threads.countItems(threadId)).toBe(2);
  });

  it("refuses unknown types, bad params, non-JSON, too-long messages and missing sessions", async () => {
    const { post, json } = setup();
    const unknown = await json({ type: "threads.frobnicate", params: {} });
    expect(unknown).toMatchObject({ status: 400, body: { error: { code: "unknown_request_type" } } });
    expect(JSON.stringify(unknown.body)).toContain("threads.add_user_message");

    const bad = await json({ type: "threads.get_by_id", params: { thread_id: 42 } });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: "invalid_request" } } });
    expect(JSON.stringify(bad.body)).toContain("thread_id");
    expect((await json({ type: "threads.create", params: { input: { content: [] } } })).status).toBe(400);
    expect((await json("{not json")).status).toBe(400);
    expect((await json({ params: {} })).status).toBe(400);

    const long = await json({ type: "threads.create", params: { input: input("y".repeat(4001)) } });
    expect(long).toMatchObject({ status: 413, body: { error: { code: "message_too_long" } } });
    const huge = await json({ type: "threads.create", params: { input: input("z".repeat(100_000)) } });
    expect(huge.status).toBe(413);

    const anonymous = await post({ type: "threads.list", params: {} }, "");
    expect(anonymous.status).toBe(401);
  });

  it("creates an attachment descriptor and shows an uploaded one on the user item", async () => {
    const { post, json, threads } = setup();
    const created = await json({
      type: "attachments.create",
      params: { name: "seat.jpg", size: 2048, mime_type: "image/jpeg" },
    });
    expect(created.status).toBe(200);
    const id = String(created.body.id);
    expect(created.body).toMatchObject({
      type: "image",
      preview_url: `http://localhost/api/attachments?attachment_id=${id}`,
      upload_descriptor: {
        url: `http://localhost/api/attachments?attachment_id=${id}`,
        method: "POST",
        // The caller's own secret goes here (none in this test, which sets the user directly).
        headers: {},
      },
    });
    const row = await threads.getAttachment(id);
    expect(row).toMatchObject({ userId: "u1", key: null, threadId: null });
    if (!row) throw new Error("no row");
    // What the upload endpoint will do in phase two.
    const key = `chatkit-attachments/${id}.jpg`;
    await threads.saveAttachment({ ...row, key, previewUrl: `http://localhost/api/attachments?id=${key}` });

    const events = await readSseEvents(
      await post({ type: "threads.create", params: { input: input("here is the seat", [id]) } }),
    );
    expect(events[1]).toMatchObject({
      type: "thread.item.done",
      item: {
        type: "user_message",
        attachments: [
          {
            id,
            name: "seat.jpg",
            mime_type: "image/jpeg",
            type: "image",
            preview_url: `http://localhost/api/attachments?id=${key}`,
          },
        ],
      },
    });
    const foreign = await post({ type: "threads.create", params: { input: input("hi", [id]) } }, "u2");
    expect(foreign.status).toBe(404);
    expect(await json({ type: "attachments.delete", params: { attachment_id: id } })).toEqual({
      status: 200,
      body: {},
    });
  });

  it("ends the stream with an error event when the assistant fails", async () => {
    const failing: Assistant = {
      name: "failing",
      // biome-ignore lint/correctness/useYield: fails before its first delta
      async *reply() {
        throw new Error("upstream exploded");
      },
    };
    const { post, threads } = setup(failing);
    const response = await post({ type: "threads.create", params: { input: input("hello") } });
    expect(response.status).toBe(200);
    const events = await readSseEvents(response); // resolves only because the stream ends
    expect(events.map((e) => e.type)).toEqual([
      "thread.created",
      "thread.item.done",
      "thread.updated",
      "stream_options",
      "thread.item.added",
      "thread.item.updated",
      "error",
    ]);
    expect(events.at(-1)).toMatchObject({
      code: "custom",
      allow_retry: true,
      message: expect.stringMatching(/sorry/i),
    });
    expect(JSON.stringify(events)).not.toContain("exploded");
    expect(await threads.countItems(threadIdOf(events))).toBe(1);
  });

  it("stops the assistant when the client goes away mid-stream", async () => {
    let assistantSignal: AbortSignal | undefined;
    const stuck: Assistant = {
      name: "stuck",
      async *reply(_turn, signal) {
        assistantSignal = signal;
        yield "One moment";
        await new Promise(() => {});
      },
    };
    const { post } = setup(stuck);
    const response = await post({ type: "threads.create", params: { input: input("hello") } });
    const reader = response.body?.getReader();
    if (!reader) throw new Error("no body");
    let text = "";
    while (!text.includes("text_delta")) {
      const chunk = await reader.read();
      if (chunk.done) throw new Error("stream ended early");
      text += new TextDecoder().decode(chunk.value);
    }
    await reader.cancel();
    await expect.poll(() => assistantSignal?.aborted).toBe(true);
  });

  it("retries after a customer message: the old reply goes (thread.item.removed), the message stays once", async () => {
    const { post, json, threads } = setup();
    const threadId = threadIdOf(
      await readSseEvents(
        await post({ type: "threads.create", params: { input: input("My boat seat is torn") } }),
      ),
    );
    const [userItem, oldReply] = await threads.listItems(threadId);
    if (!userItem || !oldReply) throw new Error("expected two items");
    const retry = (item_id: string, user = "u1") =>
      post({ type: "threads.retry_after_item", params: { thread_id: threadId, item_id } }, user);

    const events = await readSseEvents(await retry(userItem.id));
    expect(events.slice(0, 3).map((e) => e.type)).toEqual([
      "thread.item.removed",
      "stream_options",
      "thread.item.added",
    ]);
    expect(events[0]).toEqual({ type: "thread.item.removed", item_id: oldReply.id });
    const items = await threads.listItems(threadId);
    expect(items.map((item) => item.type)).toEqual(["user_message", "assistant_message"]);
    expect(items[0]?.id).toBe(userItem.id);
    expect(items[1]?.id).not.toBe(oldReply.id);

    // Only a customer message can be answered again; unknown items and other users' threads are 404.
    const notUser = await retry(String(items[1]?.id));
    expect(notUser.status).toBe(400);
    expect(await notUser.json()).toMatchObject({ error: { code: "not_a_user_message" } });
    expect((await retry("msg_unknown")).status).toBe(404);
    expect((await retry(userItem.id, "intruder")).status).toBe(404);
    expect(await threads.countItems(threadId)).toBe(2);
    expect((await json({ type: "items.list", params: { thread_id: threadId } })).status).toBe(200);
  });

  it("keeps feedback on the assistant's replies, out of what the protocol sends", async () => {
    const { post, json, threads } = setup();
    const threadId = threadIdOf(
      await readSseEvents(
        await post({ type: "threads.create", params: { input: input("Headliner is sagging") } }),
      ),
    );
    const [userItem, reply] = await threads.listItems(threadId);
    const feedback = await json({
      type: "items.feedback",
      params: { thread_id: threadId, item_ids: [String(reply?.id), String(userItem?.id)], kind: "negative" },
    });
    expect(feedback).toEqual({ status: 200, body: {} });
    const stored = await threads.listItems(threadId);
    expect(stored[1]).toMatchObject({ id: reply?.id, feedback: "negative" });
    expect(stored[0]).not.toHaveProperty("feedback");
    // The strict conformance check in `json` would fail if `feedback` leaked into items.list.
    const listed = await json({ type: "items.list", params: { thread_id: threadId } });
    expect(JSON.stringify(listed.body)).not.toContain("feedback");
    const intruder = await json(
      {
        type: "items.feedback",
        params: { thread_id: threadId, item_ids: [String(reply?.id)], kind: "positive" },
      },
      "intruder",
    );
    expect(intruder.status).toBe(404);
  });

  it("answers the features a lead chat does not offer the way the official server does without them", async () => {
    const { post, json } = setup();
    const threadId = threadIdOf(
      await readSseEvents(await post({ type: "threads.create", params: { input: input("Hello") } })),
    );
    for (const [type, extra] of [
      ["threads.custom_action", { action: { type: "book", payload: {} } }],
      ["threads.add_client_tool_output", { result: { ok: true } }],
      ["threads.add_structured_input", { item_id: "msg_x", input: { status: "skipped", answers: {} } }],
    ] as const) {
      const response = await post({ type, params: { thread_id: threadId, ...extra } });
      expect(response.status, type).toBe(200);
      expect(await readSseEvents(response), type).toEqual([
        { type: "stream_options", stream_options: { allow_cancel: true } },
        { type: "error", code: "stream.error", allow_retry: false },
      ]);
      expect((await post({ type, params: { thread_id: threadId, ...extra } }, "intruder")).status).toBe(404);
    }
    const sync = await json({
      type: "threads.sync_custom_action",
      params: { thread_id: threadId, action: { type: "book", payload: {} } },
    });
    expect(sync).toEqual({ status: 200, body: {} });
    const transcribe = await json({
      type: "input.transcribe",
      params: { audio_base64: "AAAA", mime_type: "audio/webm" },
    });
    expect(transcribe).toMatchObject({ status: 501, body: { error: { code: "not_supported" } } });
  });
});

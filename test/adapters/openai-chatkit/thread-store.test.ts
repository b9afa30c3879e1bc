import OpenAI from "openai";
import type { ChatKitAttachment } from "openai/resources/beta/chatkit/threads";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createHostedChatKitThreadStore,
  HostedChatKitError,
} from "../../../src/adapters/openai-chatkit/thread-store.js";
import { buildTranscript } from "../../../src/core/chat/transcript.js";
import {
  assistantMessage,
  type FakeChatKitServer,
  type SeedItem,
  startFakeChatKitServer,
  userMessage,
  widgetItem,
} from "../../support/fake-chatkit-server.js";

const API_KEY = "sk-test";
/** 2026-03-01T10:00:00Z in unix seconds. */
const T0 = 1_772_359_200;

let fake: FakeChatKitServer;

beforeAll(async () => {
  fake = await startFakeChatKitServer();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
  fake.setDelayMs(0);
});

function client(apiKey = API_KEY): OpenAI {
  return new OpenAI({ apiKey, baseURL: fake.baseUrl });
}

function store(options: { apiKey?: string; timeoutMs?: number } = {}) {
  return createHostedChatKitThreadStore({
    client: client(options.apiKey),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
}

const photo: ChatKitAttachment = {
  id: "cfile_seat",
  name: "seat.jpg",
  mime_type: "image/jpeg",
  type: "image",
  preview_url: "https://files.example/seat.jpg",
};

/** A short conversation with one item of every non-message type in it. */
function conversation(): SeedItem[] {
  return [
    assistantMessage("msg_a1", "Hi! What can we help you with today?", T0),
    userMessage("msg_u1", "The driver seat of my 2012 Honda Civic has a big tear", { created_at: T0 + 10 }),
    { ...widgetItem("wdg_1"), created_at: T0 + 11 },
    {
      id: "tool_1",
      type: "chatkit.client_tool_call",
      arguments: "{}",
      call_id: "call_1",
      name: "get_location",
      output: null,
      status: "completed",
      created_at: T0 + 12,
    },
    {
      id: "task_1",
      type: "chatkit.task",
      heading: "Thinking",
      summary: null,
      task_type: "thought",
      created_at: T0 + 13,
    },
    {
      id: "tg_1",
      type: "chatkit.task_group",
      tasks: [{ heading: "Looked up prices", summary: null, type: "custom" }],
      created_at: T0 + 14,
    },
    assistantMessage("msg_a2", "Sorry to hear that! Could you send a photo?", T0 + 20),
    userMessage("msg_u2", "here you go", {
      attachments: [photo],
      quoted: "Could you send a photo?",
      created_at: T0 + 30,
    }),
    assistantMessage("msg_a3", "Thanks! What's the best number to reach you?", T0 + 40),
    userMessage("msg_u3", "Maria, 512-555-0123", { created_at: T0 + 50 }),
  ];
}

describe("hosted ChatKit thread store (real openai SDK against the local fake)", () => {
  it("lists a 120-item thread completely and oldest first, over several page requests", async () => {
    const items = Array.from({ length: 120 }, (_, i) =>
      i % 2 === 0 ? userMessage(`msg_${i}`, `customer ${i}`) : assistantMessage(`msg_${i}`, `assistant ${i}`),
    );
    fake.seedThread({ id: "cthr_long", created_at: T0 }, items);

    const listed = await store().listItems("cthr_long");

    expect(listed.map((item) => item.id)).toEqual(items.map((item) => item.id));
    expect(listed.map((item) => Date.parse(item.created_at))).toEqual(items.map((_, i) => (T0 + i) * 1000));
    const pages = fake.requests.filter((r) => r.path === "/v1/chatkit/threads/cthr_long/items");
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(pages.map((r) => r.query)).toEqual([
      { order: "asc", limit: "100" },
      { order: "asc", limit: "100", after: "msg_99" },
    ]);
    for (const request of pages) {
      expect(request.headers["openai-beta"]).toBe("chatkit_beta=v1");
      expect(request.headers.authorization).toBe(`Bearer ${API_KEY}`);
    }
    expect(await store().countItems("cthr_long")).toBe(120);
  });

  it("maps user and assistant messages to our item shape and leaves widgets, tool calls and tasks out", async () => {
    fake.seedThread({ id: "cthr_mixed", created_at: T0 }, conversation());

    const listed = await store().listItems("cthr_mixed");

    expect(listed.map((item) => item.id)).toEqual([
      "msg_a1",
      "msg_u1",
      "msg_a2",
      "msg_u2",
      "msg_a3",
      "msg_u3",
    ]);
    expect(listed[3]).toEqual({
      id: "msg_u2",
      thread_id: "cthr_mixed",
      type: "user_message",
      created_at: new Date((T0 + 30) * 1000).toISOString(),
      content: [{ type: "input_text", text: "here you go" }],
      attachments: [photo],
      quoted_text: "Could you send a photo?",
      inference_options: {},
    });
    expect(listed[0]).toEqual({
      id: "msg_a1",
      thread_id: "cthr_mixed",
      type: "assistant_message",
      created_at: new Date(T0 * 1000).toISOString(),
      content: [{ type: "output_text", text: "Hi! What can we help you with today?", annotations: [] }],
    });
    expect(listed[1]).not.toHaveProperty("quoted_text");
  });

  it("buildTranscript on the listed items gives the customer and assistant turns with attachments", async () => {
    fake.seedThread({ id: "cthr_transcript", created_at: T0 }, conversation());

    const transcript = buildTranscript(await store().listItems("cthr_transcript"));

    expect(transcript.turns.map((turn) => [turn.role, turn.text])).toEqual([
      ["assistant", "Hi! What can we help you with today?"],
      ["customer", "The driver seat of my 2012 Honda Civic has a big tear"],
      ["assistant", "Sorry to hear that! Could you send a photo?"],
      ["customer", "here you go"],
      ["assistant", "Thanks! What's the best number to reach you?"],
      ["customer", "Maria, 512-555-0123"],
    ]);
    expect(transcript.turns[3]?.attachments).toEqual([photo]);
    expect(transcript.turns[3]?.createdAt).toBe((T0 + 30) * 1000);
    expect(transcript.text).toContain(
      "  here you go\nAttachment: seat.jpg (image/jpeg) https://files.example/seat.jpg",
    );
    // The quote is shown as a quote, never as the customer's own words.
    expect(transcript.turns[3]?.quoted).toBe("Could you send a photo?");
    expect(transcript.text).toContain(
      "Customer: > Could you send a photo?\n  here you go\nAttachment: seat.jpg",
    );
  });

  it("reads the thread: owner in userId, ms timestamps, the newest customer message as last activity", async () => {
    fake.seedThread(
      { id: "cthr_read", user: "visitor_42", title: "Torn seat", created_at: T0 },
      conversation(),
    );

    const record = await store().getThread("cthr_read");

    expect(record).toEqual({
      id: "cthr_read",
      userId: "visitor_42",
      createdAt: T0 * 1000,
      lastCustomerActivityAt: (T0 + 50) * 1000,
      title: "Torn seat",
    });
    const paths = fake.requests.map((r) => `${r.method} ${r.path}`).sort();
    expect(paths).toEqual(["GET /v1/chatkit/threads/cthr_read", "GET /v1/chatkit/threads/cthr_read/items"]);
  });

  it("has no last activity before the customer writes, and asks again on every call (nothing cached)", async () => {
    fake.seedThread({ id: "cthr_quiet", created_at: T0 }, [assistantMessage("msg_hi", "Hi!", T0)]);
    const threads = store();

    expect((await threads.getThread("cthr_quiet"))?.lastCustomerActivityAt).toBeNull();
    fake.seedThread({ id: "cthr_quiet", created_at: T0 }, [
      assistantMessage("msg_hi", "Hi!", T0),
      userMessage("msg_u", "hello", { created_at: T0 + 5 }),
    ]);
    expect((await threads.getThread("cthr_quiet"))?.lastCustomerActivityAt).toBe((T0 + 5) * 1000);
  });

  it("an unknown thread is null, with no items and no attachments", async () => {
    const threads = store();
    expect(await threads.getThread("cthr_nope")).toBeNull();
    expect(await threads.listItems("cthr_nope")).toEqual([]);
    expect(await threads.countItems("cthr_nope")).toBe(0);
    expect(await threads.listThreadAttachments("cthr_nope")).toEqual([]);
  });

  it("lists the attachments the customer's messages carry, once each", async () => {
    const items = [...conversation(), userMessage("msg_again", "same photo again", { attachments: [photo] })];
    fake.seedThread({ id: "cthr_files", user: "visitor_7", created_at: T0 }, items);

    expect(await store().listThreadAttachments("cthr_files")).toEqual([
      {
        id: "cfile_seat",
        userId: "visitor_7",
        threadId: "cthr_files",
        name: "seat.jpg",
        mimeType: "image/jpeg",
        type: "image",
        key: null,
        size: null,
        previewUrl: "https://files.example/seat.jpg",
        createdAt: (T0 + 30) * 1000,
      },
    ]);
  });

  it("an expired key fails with status 401 and a message without the key", async () => {
    const key = "sk-expired-0123456789abcdef";
    fake.seedThread({ id: "cthr_auth", created_at: T0 }, conversation());
    fake.expireKey(key);
    const threads = store({ apiKey: key });

    for (const read of [() => threads.getThread("cthr_auth"), () => threads.listItems("cthr_auth")]) {
      const error = await read().then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(HostedChatKitError);
      expect(error).toMatchObject({ status: 401, upstreamStatus: 401, upstreamCode: "invalid_api_key" });
      const { message, stack } = error as HostedChatKitError;
      expect(message).toContain("401");
      expect(message).not.toContain(key);
      expect(message).not.toContain("0123456789abcdef");
      expect(stack).not.toContain(key);
      expect(JSON.stringify(error)).not.toContain(key);
    }
  });

  it("other upstream errors keep their status and are not retried", async () => {
    fake.seedThread({ id: "cthr_fail", created_at: T0 }, conversation());
    const threads = store();

    fake.failNext(403, { message: "Project sk-proj-abc does not have access to ChatKit", code: "forbidden" });
    const forbidden = await threads.listItems("cthr_fail").catch((caught: unknown) => caught);
    expect(forbidden).toMatchObject({ status: 403, upstreamStatus: 403, upstreamCode: "forbidden" });
    expect((forbidden as Error).message).not.toContain("sk-proj-abc");

    fake.requests.length = 0;
    fake.failNext(500);
    await expect(threads.listItems("cthr_fail")).rejects.toMatchObject({ status: 500 });
    expect(fake.requests).toHaveLength(1);
  });

  it("a slow upstream rejects within the timeout, without retries", async () => {
    fake.seedThread({ id: "cthr_slow", created_at: T0 }, conversation());
    fake.setDelayMs(5_000);
    const threads = store({ timeoutMs: 200 });

    const started = performance.now();
    const error = await threads.listItems("cthr_slow").then(
      () => null,
      (caught: unknown) => caught,
    );
    const elapsed = performance.now() - started;

    expect(error).toBeInstanceOf(HostedChatKitError);
    expect(error).toMatchObject({ status: 504, upstreamStatus: null, upstreamCode: "timeout" });
    expect(elapsed).toBeLessThan(2_000);
    expect(fake.requests).toHaveLength(1);
    await expect(threads.getThread("cthr_slow")).rejects.toMatchObject({
      status: 504,
      upstreamCode: "timeout",
    });
  });

  it("deletes through the API (an absent thread is fine); the write side is not available", async () => {
    fake.seedThread({ id: "cthr_del", created_at: T0 }, conversation());
    const threads = store();

    await threads.deleteThread("cthr_del");
    expect(await threads.getThread("cthr_del")).toBeNull();
    await expect(threads.deleteThread("cthr_del")).resolves.toBeUndefined();
    expect(await threads.listOrphanAttachments(Date.now(), 10)).toEqual([]);

    const notAvailable = /is not available with CHAT_RUNTIME=chatkit: the thread lives in hosted ChatKit/;
    await expect(threads.createThread({ id: "cthr_x", createdAt: 0 })).rejects.toThrow(notAvailable);
    await expect(threads.updateThread("cthr_x", { title: "t" })).rejects.toThrow(/^updateThread /);
    await expect(
      threads.addItem("cthr_x", { id: "i", type: "user_message", created_at: "2026-01-01T00:00:00Z" }),
    ).rejects.toThrow(/^addItem /);
    await expect(threads.listThreads("user")).rejects.toThrow(notAvailable);
    await expect(threads.listItemsPage("cthr_x")).rejects.toThrow(notAvailable);
    await expect(threads.getAttachment("att")).rejects.toThrow(notAvailable);
    await expect(threads.deleteAttachment("att")).rejects.toThrow(notAvailable);
    await expect(
      threads.saveAttachment({
        id: "att",
        userId: null,
        threadId: null,
        name: "a",
        mimeType: "image/png",
        type: "image",
        key: null,
        size: null,
        previewUrl: null,
        createdAt: 0,
      }),
    ).rejects.toThrow(notAvailable);
  });
});

describe("hosted ChatKit listActive (newest created first: the upstream has no activity order)", () => {
  // A fake of its own, so the threads other tests seed are not listed here.
  let own: FakeChatKitServer;
  const threads = () =>
    createHostedChatKitThreadStore({ client: new OpenAI({ apiKey: API_KEY, baseURL: own.baseUrl }) });
  const listRequests = () => own.requests.filter((r) => r.path === "/v1/chatkit/threads").map((r) => r.query);
  const ids = (records: { id: string }[]) => records.map((r) => r.id);

  beforeAll(async () => {
    own = await startFakeChatKitServer();
    // Created oldest to newest: old (written in last), mid, quiet (no customer message), empty, new.
    own.seedThread({ id: "cthr_old", created_at: T0, user: "user_old", title: "Seat" }, [
      assistantMessage("a_old", "Hi!", T0),
      userMessage("u_old", "the seat is torn", { created_at: T0 + 500 }),
    ]);
    own.seedThread({ id: "cthr_mid", created_at: T0 + 100 }, [
      userMessage("u_mid", "hello", { created_at: T0 + 110 }),
    ]);
    own.seedThread({ id: "cthr_quiet", created_at: T0 + 200 }, [
      assistantMessage("a_quiet", "Hi!", T0 + 200),
    ]);
    own.seedThread({ id: "cthr_empty", created_at: T0 + 250 });
    own.seedThread({ id: "cthr_new", created_at: T0 + 300 }, [
      userMessage("u_new", "headliner sagging", { created_at: T0 + 301 }),
      assistantMessage("a_new", "Got it", T0 + 302),
    ]);
  });
  afterAll(() => own.close());
  beforeEach(() => {
    own.requests.length = 0;
  });

  it("lists threads the customer wrote in, newest created first, with their last activity in ms", async () => {
    const listed = await threads().listActive({ limit: 10 });
    expect(ids(listed)).toEqual(["cthr_new", "cthr_mid", "cthr_old"]);
    expect(listed[2]).toEqual({
      id: "cthr_old",
      userId: "user_old",
      createdAt: T0 * 1000,
      lastCustomerActivityAt: (T0 + 500) * 1000,
      title: "Seat",
    });
    expect(listRequests()).toEqual([{ order: "desc", limit: "10" }]);
    expect(await threads().listActive({ limit: 0 })).toEqual([]);
  });

  it("pages on the upstream cursor, past threads without a customer message, none lost or repeated", async () => {
    const store = threads();
    const seen: string[] = [];
    let before: { at: number; threadId: string } | null = null;
    for (let page = 0; page < 6; page++) {
      const listed = await store.listActive({ limit: 1, before });
      const last = listed.at(-1);
      if (!last) break;
      seen.push(last.id);
      before = { at: last.lastCustomerActivityAt ?? 0, threadId: last.id };
    }
    expect(seen).toEqual(["cthr_new", "cthr_mid", "cthr_old"]);
    expect(listRequests()).toContainEqual({ order: "desc", limit: "1", after: "cthr_new" });
    expect(listRequests()).toContainEqual({ order: "desc", limit: "1", after: "cthr_quiet" });
    // The last page found nothing after the oldest thread.
    expect(listRequests().at(-1)).toEqual({ order: "desc", limit: "1", after: "cthr_old" });
  });

  it("bounds the creation time with `since`, and stops listing at the first older thread", async () => {
    const listed = await threads().listActive({ limit: 2, since: (T0 + 100) * 1000 });
    expect(ids(listed)).toEqual(["cthr_new", "cthr_mid"]);
    own.requests.length = 0;
    // cthr_old was written in after T0 + 100, but created before: not listed.
    const later = await threads().listActive({ limit: 10, since: (T0 + 101) * 1000 });
    expect(ids(later)).toEqual(["cthr_new"]);
    expect(listRequests()).toHaveLength(1);
    expect(own.requests.filter((r) => r.path.endsWith("/cthr_mid/items"))).toEqual([]);
  });

  it("upstream errors keep their status", async () => {
    own.failNext(500);
    await expect(threads().listActive({ limit: 10 })).rejects.toMatchObject({
      status: 500,
      upstreamStatus: 500,
    });
    own.requests.length = 0;
    await expect(
      threads().listActive({ limit: 10, before: { at: 0, threadId: "cthr_deleted" } }),
    ).rejects.toBeInstanceOf(HostedChatKitError);
  });
});

describe("fake ChatKit server", () => {
  it("creates sessions in the SDK's ChatSession shape", async () => {
    const session = await client().beta.chatkit.sessions.create({
      user: "visitor_1",
      workflow: { id: "wf_123", state_variables: { shop: "craig" } },
      chatkit_configuration: { file_upload: { enabled: true } },
    });
    expect(session).toMatchObject({
      object: "chatkit.session",
      status: "active",
      user: "visitor_1",
      workflow: {
        id: "wf_123",
        state_variables: { shop: "craig" },
        tracing: { enabled: true },
        version: null,
      },
      chatkit_configuration: { file_upload: { enabled: true, max_files: 10 }, history: { enabled: true } },
      max_requests_per_1_minute: 10,
    });
    expect(session.id).toMatch(/^cksess_/);
    expect(session.client_secret).toMatch(/^ek_/);
    expect(session.expires_at).toBeGreaterThan(Date.now() / 1000);
    expect(fake.requests[0]?.body).toMatchObject({ user: "visitor_1" });
  });

  it("retrieves threads and lists them per user", async () => {
    const seeded = fake.seedThread({ id: "cthr_fake_1", user: "visitor_9", created_at: T0 });
    expect(await client().beta.chatkit.threads.retrieve("cthr_fake_1")).toEqual({
      id: "cthr_fake_1",
      object: "chatkit.thread",
      created_at: T0,
      title: null,
      status: { type: "active" },
      user: "visitor_9",
    });
    const page = await client().beta.chatkit.threads.list({ user: "visitor_9" });
    expect(page.data).toEqual([seeded]);
  });

  it("lists items newest first by default, 20 at a time", async () => {
    const items = Array.from({ length: 25 }, (_, i) => userMessage(`m${i}`, `t${i}`));
    fake.seedThread({ id: "cthr_fake_2", created_at: T0 }, items);
    const page = await client().beta.chatkit.threads.listItems("cthr_fake_2");
    expect(page.data).toHaveLength(20);
    expect(page.data[0]).toMatchObject({
      id: "m24",
      object: "chatkit.thread_item",
      thread_id: "cthr_fake_2",
    });
    expect(page.has_more).toBe(true);
    expect(page.last_id).toBe("m5");
  });

  it("requires the beta header and a bearer key, and answers unknown threads 404, in the error envelope", async () => {
    const url = `${fake.baseUrl}/chatkit/threads/cthr_missing`;
    const beta = { "OpenAI-Beta": "chatkit_beta=v1" };

    const noBeta = await fetch(url, { headers: { Authorization: "Bearer sk-test" } });
    expect(noBeta.status).toBe(400);
    expect(await noBeta.json()).toMatchObject({ error: { type: "invalid_request_error" } });

    const noKey = await fetch(url, { headers: beta });
    expect(noKey.status).toBe(401);

    const missing = await fetch(url, { headers: { ...beta, Authorization: "Bearer sk-test" } });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      error: { message: expect.any(String), type: "invalid_request_error", param: null, code: "not_found" },
    });
    expect(fake.requests.map((r) => r.path)).toEqual([
      "/v1/chatkit/threads/cthr_missing",
      "/v1/chatkit/threads/cthr_missing",
      "/v1/chatkit/threads/cthr_missing",
    ]);
  });
});

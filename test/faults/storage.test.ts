import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFsBlobStore } from "../../src/adapters/fs/blob-store.js";
import { createOutboxMailer } from "../../src/adapters/outbox/mailer.js";
import { createSqliteAttributionStore } from "../../src/adapters/sqlite/attribution-store.js";
import { openSqliteDatabase, type SqliteDatabase } from "../../src/adapters/sqlite/database.js";
import { createSqliteThreadStore } from "../../src/adapters/sqlite/thread-store.js";
import type { ChatKitEvent } from "../../src/core/chat/protocol.js";
import { STORAGE_ERROR_MESSAGE, StorageError } from "../../src/core/errors.js";
import type { Assistant } from "../../src/ports/assistant.js";
import type { Logger } from "../../src/ports/logger.js";
import { createChatService } from "../../src/services/chat.js";
import { createFakeClock } from "../support/fake-clock.js";
import { makeJpeg, makePng } from "../support/images.js";
import { createInMemoryBlobStore } from "../support/in-memory-ports.js";
import { sampleOutgoingMail } from "../support/outbox.js";
import { joinDeltas, readSseEvents } from "../support/sse.js";
import { startTestServer, type TestServer, uploadAttachment } from "../support/test-server.js";
import { listFilesRecursively, mountTmpfs, type Tmpfs } from "../support/tmpfs.js";

/**
 * Storage faults on a real disk: a tiny tmpfs made full (a filler file) or read-only (remount).
 * Nothing is mocked. Every fault must answer a clear StorageError and leave no file behind.
 */

/** The rejection of `promise` (fails the test when it resolves). */
async function rejectionOf(promise: Promise<unknown>): Promise<StorageError> {
  const outcome = await promise.then(
    () => ({ resolved: true as const }),
    (error: unknown) => ({ resolved: false as const, error }),
  );
  if (outcome.resolved) throw new Error("expected the call to fail on a faulty disk, but it succeeded");
  expect(outcome.error).toBeInstanceOf(StorageError);
  return outcome.error as StorageError;
}

/** Files under `dir` (none when it does not exist). */
function filesUnder(dir: string): string[] {
  return existsSync(dir) ? listFilesRecursively(dir) : [];
}

/** A logger that keeps its error lines. */
function errorLog(): Logger & { errors: Array<{ fields: Record<string, unknown>; message: string }> } {
  const errors: Array<{ fields: Record<string, unknown>; message: string }> = [];
  return { errors, info() {}, warn() {}, error: (fields, message) => errors.push({ fields, message }) };
}

describe("storage faults: the fs blob store", () => {
  let disk: Tmpfs;
  beforeEach(() => {
    disk = mountTmpfs("256k");
  });
  afterEach(() => disk?.unmount());

  it("a blob bigger than the free space: storage_full, no file left behind, get is null", async () => {
    const store = createFsBlobStore({ root: join(disk.dir, "blobs") });
    const key = "chatkit-attachments/att_big.jpg";
    const big = new Uint8Array(512 * 1024).fill(7);
    expect(disk.freeBytes()).toBeLessThan(big.byteLength);

    const error = await rejectionOf(store.put(key, big, { contentType: "image/jpeg" }));
    expect(error).toMatchObject({ code: "storage_full", status: 507, message: STORAGE_ERROR_MESSAGE });
    expect(error.message).not.toContain(disk.dir);
    expect((error.cause as NodeJS.ErrnoException).code).toBe("ENOSPC");
    expect(filesUnder(disk.dir)).toEqual([]);
    expect(await store.get(key)).toBeNull();
    expect(await store.head(key)).toBeNull();

    // The failure freed what it took: a blob that fits is stored whole, with its type.
    const png = await makePng();
    await store.put(key, png, { contentType: "image/png" });
    expect(await store.get(key)).toEqual({ bytes: new Uint8Array(png), contentType: "image/png" });
    expect(filesUnder(disk.dir)).toEqual([`blobs/${key}`, `blobs/${key}.type`]);
  });

  it.each([false, true])(
    "written in pieces (flush: %s), the disk fills midway: commit is storage_full, nothing left behind, the old object kept",
    async (flush) => {
      const store = createFsBlobStore({ root: join(disk.dir, "blobs"), flush });
      const key = "lead-emails/cthr_full.eml";
      await store.put(key, new Uint8Array([1, 2, 3]), { contentType: "message/rfc822" });
      const writer = await store.startPut?.(key, { contentType: "message/rfc822" });
      if (!writer) throw new Error("the fs store writes in pieces");
      // Four pieces of 96 KB on a 256 KB disk: the first ones fit, a later one does not.
      for (let i = 0; i < 4; i++) writer.append(new Uint8Array(96 * 1024).fill(i));

      const error = await rejectionOf(writer.commit());
      expect(error).toMatchObject({ code: "storage_full", status: 507 });
      expect(filesUnder(disk.dir)).toEqual([`blobs/${key}`, `blobs/${key}.type`]);
      expect(Array.from((await store.get(key))?.bytes ?? [])).toEqual([1, 2, 3]);
    },
  );

  it("the bytes fit but the type does not: still nothing left behind, never a blob without its type", async () => {
    const store = createFsBlobStore({ root: join(disk.dir, "blobs") });
    const key = "chatkit-attachments/att_exact.jpg";
    await store.put("chatkit-attachments/att_warmup.png", new Uint8Array([1]), { contentType: "image/png" });
    await store.delete("chatkit-attachments/att_warmup.png"); // the folder now exists
    disk.fill(16 * 1024);
    const free = disk.freeBytes();
    expect(free).toBeGreaterThan(0);

    const error = await rejectionOf(
      store.put(key, new Uint8Array(free).fill(9), { contentType: "image/jpeg" }),
    );
    expect(error.code).toBe("storage_full");
    expect(filesUnder(join(disk.dir, "blobs"))).toEqual([]);
    expect(await store.get(key)).toBeNull();
  });

  it("a read-only disk: storage_unavailable with a retry delay, nothing written, older blobs still readable", async () => {
    const store = createFsBlobStore({ root: join(disk.dir, "blobs") });
    const png = await makePng();
    await store.put("chatkit-attachments/att_old.png", png, { contentType: "image/png" });
    const before = filesUnder(disk.dir);
    disk.readOnly();

    const key = "chatkit-attachments/att_new.png";
    const error = await rejectionOf(store.put(key, png, { contentType: "image/png" }));
    expect(error).toMatchObject({ code: "storage_unavailable", status: 503, message: STORAGE_ERROR_MESSAGE });
    expect(error.retryAfterSeconds).toBeGreaterThan(0);
    expect((error.cause as NodeJS.ErrnoException).code).toBe("EROFS");
    expect(filesUnder(disk.dir)).toEqual(before);
    expect(await store.get(key)).toBeNull();
    // A folder that does not exist yet fails the same way (Node's recursive mkdir says ENOENT here).
    const inNewFolder = await rejectionOf(store.put("photos/att_new.png", png, { contentType: "image/png" }));
    expect(inNewFolder.code).toBe("storage_unavailable");
    expect(await store.get("chatkit-attachments/att_old.png")).toEqual({
      bytes: new Uint8Array(png),
      contentType: "image/png",
    });
    const deleteError = await rejectionOf(store.delete("chatkit-attachments/att_old.png"));
    expect(deleteError.code).toBe("storage_unavailable");
  });
});

describe("storage faults: the outbox mailer", () => {
  let disk: Tmpfs;
  beforeEach(() => {
    disk = mountTmpfs("256k");
  });
  afterEach(() => disk?.unmount());

  it("a message bigger than the free space: storage_full and no .tmp left behind", async () => {
    const dir = join(disk.dir, "outbox");
    const mailer = createOutboxMailer({ dir });
    const sample = await sampleOutgoingMail();
    const big = { ...sample, raw: new Uint8Array(512 * 1024).fill(0x41) };

    const error = await rejectionOf(mailer.send(big));
    expect(error).toMatchObject({ code: "storage_full", status: 507 });
    expect(filesUnder(disk.dir)).toEqual([]);

    // Once the partial file is gone there is room again for a normal message.
    await mailer.send(sample);
    const files = filesUnder(disk.dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^outbox\/[^.][^/]*\.eml$/);
  });

  it("a read-only disk: storage_unavailable and nothing written", async () => {
    const dir = join(disk.dir, "outbox");
    const mailer = createOutboxMailer({ dir });
    await mailer.send(await sampleOutgoingMail("cthr_first"));
    const before = filesUnder(disk.dir);
    disk.readOnly();

    const error = await rejectionOf(mailer.send(await sampleOutgoingMail("cthr_second")));
    expect(error).toMatchObject({ code: "storage_unavailable", status: 503 });
    const fresh = createOutboxMailer({ dir: join(disk.dir, "never-made", "outbox") });
    expect((await rejectionOf(fresh.send(await sampleOutgoingMail()))).code).toBe("storage_unavailable");
    expect(filesUnder(disk.dir)).toEqual(before);
  });
});

describe("storage faults: the chat reply cannot be saved (SQLite on a full tmpfs)", () => {
  let disk: Tmpfs | undefined;
  let db: SqliteDatabase | undefined;
  afterEach(() => {
    db?.close();
    db = undefined;
    disk?.unmount();
    disk = undefined;
  });

  it("the stream ends with an error event that says storage, not the assistant, failed", async () => {
    const fs = mountTmpfs("4m");
    disk = fs;
    db = openSqliteDatabase({ path: join(fs.dir, "lead-handoff.sqlite") });
    const clock = createFakeClock();
    const threads = createSqliteThreadStore({ db });
    // The user message is saved before the stream starts; the disk fills while the assistant talks.
    const assistant: Assistant = {
      name: "fills-the-disk",
      async *reply() {
        fs.fill();
        yield "Thanks! What vehicle is it?";
      },
    };
    const log = errorLog();
    const chat = createChatService({
      threads,
      assistant,
      attribution: createSqliteAttributionStore({ db, now: clock.now }),
      clock,
      logger: log,
      attributionTtlDays: 180,
      blobs: createInMemoryBlobStore(),
      uploadUrl: (id) => `http://127.0.0.1:8787/api/attachments?attachment_id=${id}`,
      previewUrl: (id) => `http://127.0.0.1:8787/api/attachments?attachment_id=${id}`,
    });
    const input = {
      content: [{ type: "input_text" as const, text: "Hi! My seat is torn" }],
      attachments: [],
    };

    const events: ChatKitEvent[] = [];
    for await (const event of await chat.createThread("u1", { input })) events.push(event);
    expect(events.at(-1)).toEqual({
      type: "error",
      code: "custom",
      message: STORAGE_ERROR_MESSAGE,
      allow_retry: true,
    });
    expect(log.errors).toHaveLength(1);
    expect(log.errors[0]).toMatchObject({ message: "storage error", fields: { code: "storage_full" } });

    // Only the user message was kept; no half-saved reply.
    fs.unfill();
    const created = events[0];
    if (created?.type !== "thread.created") throw new Error("no thread.created");
    const items = await threads.listItems(created.thread.id);
    expect(items.map((item) => item.type)).toEqual(["user_message"]);
  });
});

describe("storage faults over HTTP (the real server on a tmpfs DATA_DIR)", () => {
  let disk: Tmpfs | undefined;
  /** A tmpfs mounted inside the data folder (over DATA_DIR/blobs): unmounted before the server's cleanup. */
  let inner: Tmpfs | undefined;
  let server: TestServer | undefined;
  afterEach(async () => {
    inner?.unmount();
    inner = undefined;
    await server?.close();
    server = undefined;
    disk?.unmount();
    disk = undefined;
  });

  async function start(size: string) {
    const fs = mountTmpfs(size);
    disk = fs;
    const log = errorLog();
    server = await startTestServer({ DATA_DIR: fs.dir }, {}, log);
    const { secret } = await server.session();
    return { fs, log, server, secret };
  }

  it("an upload on a full disk answers 507 storage_full, leaves no partial file, and works once space is freed", async () => {
    const { fs, log, server, secret } = await start("4m");
    const blobs = join(fs.dir, "blobs");
    const photo = await makeJpeg(200_000);
    fs.fill(64 * 1024);
    expect(fs.freeBytes()).toBeLessThan(photo.length);

    const refused = await uploadAttachment(server, secret, photo, "seat.jpg");
    expect(refused).toEqual({
      status: 507,
      body: { error: { code: "storage_full", message: STORAGE_ERROR_MESSAGE } },
    });
    expect(JSON.stringify(refused.body)).not.toContain(fs.dir);
    expect(filesUnder(blobs)).toEqual([]);
    // One error line, with the real cause, for the operator.
    expect(log.errors).toHaveLength(1);
    expect(log.errors[0]).toMatchObject({
      message: "storage error",
      fields: { code: "storage_full", errno: "ENOSPC" },
    });

    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
    fs.unfill();
    const accepted = await uploadAttachment(server, secret, photo, "seat.jpg");
    expect(accepted.status).toBe(201);
    const key = new URL(String(accepted.body.preview_url)).searchParams.get("id");
    expect(filesUnder(blobs)).toEqual([String(key), `${key}.type`]);
    expect(readFileSync(join(blobs, String(key))).equals(photo)).toBe(true);
  });

  it("an upload on a read-only disk answers 503 storage_unavailable with Retry-After", async () => {
    // SQLite keeps its files open for writing, which blocks a read-only remount of DATA_DIR itself:
    // the blobs folder gets a tmpfs of its own, remounted read-only.
    const log = errorLog();
    server = await startTestServer({}, {}, log);
    const { secret } = await server.session();
    inner = mountTmpfs("256k", { at: join(server.dataDir, "blobs") });
    inner.readOnly();

    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(await makePng())], { type: "image/png" }), "seat.png");
    const response = await fetch(`${server.baseUrl}/api/attachments`, {
      method: "POST",
      body: form,
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(response.status, JSON.stringify(log.errors)).toBe(503);
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await response.json()).toEqual({
      error: { code: "storage_unavailable", message: STORAGE_ERROR_MESSAGE },
    });
    expect(filesUnder(inner.dir)).toEqual([]);
    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
  });

  it("a chat message when SQLite cannot write answers storage_full, stores nothing, and the server carries on", async () => {
    const { fs, log, server, secret } = await start("8m");
    const headers = { authorization: `Bearer ${secret}`, "content-type": "application/json" };
    const chatkit = (body: unknown) =>
      fetch(`${server.baseUrl}/api/chatkit`, { method: "POST", headers, body: JSON.stringify(body) });
    const input = (text: string) => ({ content: [{ type: "input_text", text }], attachments: [] });
    const say = (threadId: string, text: string) =>
      chatkit({ type: "threads.add_user_message", params: { thread_id: threadId, input: input(text) } });

    const created = (await readSseEvents(
      await chatkit({ type: "threads.create", params: { input: input("Hi! My driver seat is torn") } }),
    )) as Array<ChatKitEvent & { thread?: { id: string } }>;
    const threadId = String(created[0]?.thread?.id);
    expect(threadId).toMatch(/^cthr_/);
    const itemsBefore = await itemCount(chatkit, threadId);
    expect(itemsBefore).toBe(2);

    // Completely full: not one byte more fits, so the database's next write (WAL append) fails.
    fs.fill();
    expect(fs.freeBytes()).toBe(0);
    for (const refused of [
      await say(threadId, "It is a 2012 Honda Civic"),
      await chatkit({ type: "threads.create", params: { input: input("Another seat, please") } }),
    ]) {
      expect(refused.status).toBe(507);
      expect(refused.headers.get("content-type")).toMatch(/application\/json/);
      expect(await refused.json()).toEqual({
        error: { code: "storage_full", message: STORAGE_ERROR_MESSAGE },
      });
    }
    expect(log.errors.length).toBeGreaterThan(0);
    for (const line of log.errors) {
      expect(line).toMatchObject({ message: "storage error", fields: { code: "storage_full" } });
      expect(String(line.fields.errno)).toMatch(/^SQLITE_FULL/);
    }

    // The process is alive and reads still work on the full disk.
    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
    expect(await itemCount(chatkit, threadId)).toBe(itemsBefore);

    // Space comes back: the same message goes through, with a reply.
    fs.unfill();
    const retried = await say(threadId, "It is a 2012 Honda Civic");
    expect(retried.status).toBe(200);
    const events = await readSseEvents(retried);
    expect(events.some((event) => event.type === "error")).toBe(false);
    expect(joinDeltas(events).length).toBeGreaterThan(0);
    expect(await itemCount(chatkit, threadId)).toBe(itemsBefore + 2);
  });
});

/** How many items the thread holds (over `items.list`). */
async function itemCount(chatkit: (body: unknown) => Promise<Response>, threadId: string): Promise<number> {
  const response = await chatkit({ type: "items.list", params: { thread_id: threadId, limit: 100 } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: unknown[] }).data.length;
}

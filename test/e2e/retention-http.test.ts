import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ChatKitEvent } from "../../src/core/chat/protocol.js";
import { createFakeClock } from "../support/fake-clock.js";
import { makePng } from "../support/images.js";
import { readSseEvents } from "../support/sse.js";
import { startTestServer, type TestServer, uploadAttachment } from "../support/test-server.js";

const HOUR_MS = 3_600_000;

/**
 * Retention on the embedded default, over the real HTTP API and the real composition root:
 * `threads.delete` takes the thread's files out of DATA_DIR/blobs, and the sweeper's hourly
 * housekeeping removes uploads that were never sent in a message once they are a day old.
 */
describe("retention over HTTP", () => {
  let server: TestServer;
  afterEach(async () => server?.close());

  /** A session plus helpers to speak the ChatKit protocol and upload as that visitor. */
  async function visitor() {
    const { secret } = await server.session();
    const chatkit = (body: unknown) =>
      fetch(`${server.baseUrl}/api/chatkit`, {
        method: "POST",
        headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const upload = async (name: string) => {
      const { status, body } = await uploadAttachment(server, secret, await makePng(), name, "image/png");
      expect(status).toBe(201);
      const key = new URL(String(body.preview_url)).searchParams.get("id") ?? "";
      return { id: String(body.id), key };
    };
    const input = (text: string, attachments: string[] = []) => ({
      content: [{ type: "input_text", text }],
      attachments,
    });
    return { chatkit, upload, input };
  }

  const blobFile = (key: string) => join(server.dataDir, "blobs", key);

  it("threads.delete deletes every file of the thread, also when one is already missing", async () => {
    server = await startTestServer();
    const { chatkit, upload, input } = await visitor();
    const first = await upload("seat.png");
    const second = await upload("door.png");
    const kept = await upload("other-thread.png");

    const created = await chatkit({
      type: "threads.create",
      params: { input: input("The seat is torn", [first.id]) },
    });
    const events = (await readSseEvents(created)) as Array<ChatKitEvent & { thread?: { id: string } }>;
    const threadId = String(events[0]?.thread?.id);
    await readSseEvents(
      await chatkit({
        type: "threads.add_user_message",
        params: { thread_id: threadId, input: input("and the door", [second.id]) },
      }),
    );
    const other = (await readSseEvents(
      await chatkit({ type: "threads.create", params: { input: input("another one", [kept.id]) } }),
    )) as Array<ChatKitEvent & { thread?: { id: string } }>;
    expect(other[0]?.thread?.id).toMatch(/^cthr_/);

    for (const { key } of [first, second, kept]) expect(existsSync(blobFile(key))).toBe(true);
    // One file already gone (a crash half-way through an earlier delete, or an operator).
    rmSync(blobFile(second.key));

    const deleted = await chatkit({ type: "threads.delete", params: { thread_id: threadId } });
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toEqual({});

    for (const { key } of [first, second]) {
      expect(existsSync(blobFile(key)), key).toBe(false);
      expect(existsSync(`${blobFile(key)}.type`), `${key}.type`).toBe(false);
      const served = await fetch(`${server.baseUrl}/api/attachments?id=${key}`);
      expect(served.status).toBe(404);
    }
    // Another thread's file stays.
    expect(existsSync(blobFile(kept.key))).toBe(true);
    expect(await server.services.threads.getAttachment(kept.id)).not.toBeNull();
  });

  it("attachments.delete deletes the file with the row", async () => {
    server = await startTestServer();
    const { chatkit, upload } = await visitor();
    const photo = await upload("oops.png");
    expect(existsSync(blobFile(photo.key))).toBe(true);
    const deleted = await chatkit({ type: "attachments.delete", params: { attachment_id: photo.id } });
    expect(deleted.status).toBe(200);
    expect(existsSync(blobFile(photo.key))).toBe(false);
    expect(await server.services.threads.getAttachment(photo.id)).toBeNull();
    expect((await fetch(`${server.baseUrl}/api/attachments?id=${photo.key}`)).status).toBe(404);
  });

  it("the sweeper removes uploads never sent in a message once they are a day old, row and file", async () => {
    const clock = createFakeClock();
    server = await startTestServer({}, { clock });
    const { chatkit, upload, input } = await visitor();
    const unsent = await upload("never-sent.png");
    const sent = await upload("sent.png");
    await readSseEvents(
      await chatkit({ type: "threads.create", params: { input: input("here it is", [sent.id]) } }),
    );

    // The first pass runs the housekeeping: nothing is a day old yet.
    clock.advance(23.5 * HOUR_MS);
    await server.services.sweeper.runOnce();
    expect(existsSync(blobFile(unsent.key))).toBe(true);
    expect(await server.services.threads.getAttachment(unsent.id)).not.toBeNull();

    // A day old, but the housekeeping ran less than an hour ago: still there.
    clock.advance(HOUR_MS / 2 + 1000);
    await server.services.sweeper.runOnce();
    expect(existsSync(blobFile(unsent.key))).toBe(true);

    clock.advance(HOUR_MS / 2);
    await server.services.sweeper.runOnce();
    expect(existsSync(blobFile(unsent.key))).toBe(false);
    expect(await server.services.threads.getAttachment(unsent.id)).toBeNull();
    // The one sent in a message stays, however old.
    expect(existsSync(blobFile(sent.key))).toBe(true);
    expect(await server.services.threads.getAttachment(sent.id)).not.toBeNull();
  });
});

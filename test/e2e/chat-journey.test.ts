import { afterEach, describe, expect, it } from "vitest";
import type { ChatKitEvent } from "../../src/core/chat/protocol.js";
import { createFakeClock } from "../support/fake-clock.js";
import { makeJpeg } from "../support/images.js";
import { outboxEmails, parseEmail } from "../support/outbox.js";
import { joinDeltas, readSseEvents } from "../support/sse.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

/**
 * The "done when": a scripted client, over HTTP only, gets a session, creates a thread with
 * attribution, chats to handoff-ready with the local assistant, uploads a photo, calls /lead and
 * finds the email in the outbox with the photo inline and the attribution in its diagnostics.
 */
describe("a visitor's whole journey over HTTP", () => {
  let server: TestServer;
  afterEach(async () => server?.close());

  it("ends with one lead email holding the photo and the attribution", async () => {
    const clock = createFakeClock();
    server = await startTestServer({}, { clock });
    const base = server.baseUrl;

    const session = await fetch(`${base}/api/chatkit/session`, { method: "POST" });
    expect(session.headers.get("set-cookie")).toMatch(/chatkit_session_id=[^;]+;.*HttpOnly/i);
    const { client_secret: secret } = (await session.json()) as { client_secret: string };
    const auth = { authorization: `Bearer ${secret}`, "content-type": "application/json" };
    const chatkit = (body: unknown) =>
      fetch(`${base}/api/chatkit`, { method: "POST", headers: auth, body: JSON.stringify(body) });
    const say = async (threadId: string, text: string, attachments: string[] = []) => {
      const response = await chatkit({
        type: "threads.add_user_message",
        params: { thread_id: threadId, input: { content: [{ type: "input_text", text }], attachments } },
      });
      expect(response.headers.get("content-type")).toMatch(/text\/event-stream/);
      return joinDeltas(await readSseEvents(response));
    };

    const created = await chatkit({
      type: "threads.create",
      params: {
        input: {
          content: [{ type: "input_text", text: "Hi! The driver seat on my 2012 Honda Civic is torn" }],
          attachments: [],
        },
      },
      metadata: { attribution: { utm_source: "google", utm_campaign: "seat-repair", gclid: "Cj0KCQ-test" } },
    });
    const events = (await readSseEvents(created)) as Array<ChatKitEvent & { thread?: { id: string } }>;
    expect(events[0]?.type).toBe("thread.created");
    const threadId = String(events[0]?.thread?.id);
    expect(threadId).toMatch(/^cthr_/);
    expect(joinDeltas(events).length).toBeGreaterThan(0);

    // Two-phase upload, as the ChatKit widget does it.
    const photo = await makeJpeg(150_000);
    const descriptor = (await (
      await chatkit({
        type: "attachments.create",
        params: { name: "seat.jpg", size: photo.length, mime_type: "image/jpeg" },
      })
    ).json()) as {
      id: string;
      preview_url: string;
      upload_descriptor: { url: string; method: string; headers: Record<string, string> };
    };
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(photo)], { type: "image/jpeg" }), "seat.jpg");
    // As the official component does it: the descriptor's URL, method and headers, nothing else.
    const { url, method, headers } = descriptor.upload_descriptor;
    const uploadUrl = new URL(url);
    const uploaded = await fetch(`${base}${uploadUrl.pathname}${uploadUrl.search}`, {
      method,
      headers,
      body: form,
    });
    expect(uploaded.status).toBe(201);
    // The preview URL handed out before the upload now shows the photo.
    const previewUrl = new URL(descriptor.preview_url);
    // From the shop's page (an allowed origin), with CORS headers a component can read it with.
    const preview = await fetch(`${base}${previewUrl.pathname}${previewUrl.search}`, {
      headers: { origin: "http://127.0.0.1:8787" },
    });
    expect(preview.status).toBe(200);
    expect(preview.headers.get("access-control-allow-origin")).toBe("http://127.0.0.1:8787");
    expect(Buffer.from(await preview.arrayBuffer()).equals(photo)).toBe(true);

    await say(threadId, "here's a photo of it", [descriptor.id]);
    const closing = await say(threadId, "I'm Maria Lopez, my number is 512-555-0123, text is best");
    expect(closing).toMatch(/within one business day/i);

    // A thumbs up on the last reply reaches the owner as a diagnostics row.
    const listed = (await (
      await chatkit({ type: "items.list", params: { thread_id: threadId } })
    ).json()) as {
      data: Array<{ id: string; type: string }>;
    };
    const lastReply = listed.data.find((item) => item.type === "assistant_message");
    const rated = await chatkit({
      type: "items.feedback",
      params: { thread_id: threadId, item_ids: [lastReply?.id], kind: "positive" },
    });
    expect(await rated.json()).toEqual({});

    clock.advance(6 * 60_000);
    const lead = await fetch(`${base}/lead`, {
      method: "POST",
      headers: { "content-type": "text/plain;charset=UTF-8" },
      body: JSON.stringify({ thread_id: threadId, reason: "idle", client_secret: secret }),
    });
    expect(await lead.json()).toMatchObject({ ok: true, lead_reason: "sent" });

    const files = outboxEmails(server.outboxDir);
    expect(files).toHaveLength(1);
    const mail = await parseEmail(server.outboxDir, String(files[0]));
    expect(mail.subject).toMatch(/Maria Lopez - 2012 Honda Civic/);
    const inline = mail.attachments.filter((a) => a.cid && a.contentDisposition === "inline");
    expect(inline).toHaveLength(1);
    expect(inline[0]?.content.equals(photo)).toBe(true);
    expect(String(mail.html)).toContain(`cid:${inline[0]?.cid}`);
    expect(String(mail.html)).toContain("Cj0KCQ-test");
    expect(mail.text).toMatch(/UTM source\W+google/i);
    expect(mail.text).toContain("Reply feedback: 1 helpful, 0 not helpful");

    const visit = await server.services.attribution.get(threadId);
    expect(visit?.leadSentAt).toBe(clock.now());
  });
});

import { afterEach, describe, expect, it } from "vitest";
import type { Mailer } from "../../src/ports/mailer.js";
import { createFakeClock } from "../support/fake-clock.js";
import { makeJpeg } from "../support/images.js";
import { outboxEmails, parseEmail } from "../support/outbox.js";
import { startTestServer, type TestServer, uploadAttachment } from "../support/test-server.js";
import { readyConversation, seedThread } from "../support/threads.js";

const MINUTE = 60_000;

let secret = "";

async function postLead(server: TestServer, body: unknown, contentType = "application/json") {
  const response = await fetch(`${server.baseUrl}/lead`, {
    method: "POST",
    headers: { "content-type": contentType, authorization: `Bearer ${secret}` },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function outboxFiles(server: TestServer): string[] {
  return outboxEmails(server.outboxDir);
}

async function uploadPhoto(server: TestServer, bytes: Buffer, name: string) {
  const { status, body } = await uploadAttachment(server, secret, bytes, name);
  expect(status).toBe(201);
  return body as unknown as {
    id: string;
    name: string;
    mime_type: string;
    type: "image" | "file";
    preview_url: string;
  };
}

describe("POST /lead over HTTP on embedded defaults", () => {
  let server: TestServer;
  const clock = createFakeClock();
  let userId = "";
  afterEach(async () => server?.close());

  it("validates the request and answers 404 for unknown threads", async () => {
    server = await startTestServer({}, { clock });
    ({ secret, userId } = await server.session());
    expect(await postLead(server, "{not json")).toMatchObject({
      status: 400,
      body: { error: { code: "invalid_request" } },
    });
    const badReason = await postLead(server, { thread_id: "cthr_x", reason: "because" });
    expect(badReason.status).toBe(400);
    expect(String((badReason.body.error as { message: string }).message)).toMatch(/reason/);
    expect(await postLead(server, { thread_id: "cthr_nope", reason: "manual" })).toMatchObject({
      status: 404,
      body: { error: { code: "not_found" } },
    });
    // Someone else's thread looks exactly like a missing one.
    await seedThread(
      server.services.threads,
      "cthr_other",
      readyConversation(clock.now() - 10 * MINUTE),
      "someone-else",
    );
    expect((await postLead(server, { thread_id: "cthr_other", reason: "manual" })).status).toBe(404);
    // No session, no lead; a beacon may carry the secret in its text/plain JSON body instead of a header.
    const anonymous = await fetch(`${server.baseUrl}/lead`, {
      method: "POST",
      body: JSON.stringify({ thread_id: "cthr_other", reason: "pagehide" }),
    });
    expect(anonymous.status).toBe(401);
    await seedThread(server.services.threads, "cthr_mine", [{ role: "user", text: "hi", at: 0 }], userId);
    const beacon = await fetch(`${server.baseUrl}/lead`, {
      method: "POST",
      headers: { "content-type": "text/plain;charset=UTF-8" },
      body: JSON.stringify({ thread_id: "cthr_mine", reason: "pagehide", client_secret: secret }),
    });
    expect(await beacon.json()).toMatchObject({ lead_reason: "missing_contact" });
  });

  it("skips with the right reason until the conversation is ready, then sends exactly once", async () => {
    server = await startTestServer({}, { clock });
    ({ secret, userId } = await server.session());
    const { threads } = server.services;
    const t0 = clock.now() - 10 * MINUTE;

    await threads.createThread({ id: "cthr_empty", createdAt: t0, userId });
    expect((await postLead(server, { thread_id: "cthr_empty", reason: "chat_closed" })).body).toMatchObject({
      ok: false,
      lead_reason: "empty_thread",
    });

    await seedThread(
      threads,
      "cthr_nocontact",
      [{ role: "user", text: "how much to fix a torn seat?", at: t0 }],
      userId,
    );
    expect(
      (await postLead(server, { thread_id: "cthr_nocontact", reason: "chat_closed" })).body,
    ).toMatchObject({
      lead_reason: "missing_contact",
      missing: ["contact"],
    });

    // The assistant stating the shop's own number never counts as the customer's contact.
    await seedThread(
      threads,
      "cthr_shopnumber",
      [
        { role: "user", text: "do you do headliners?", at: t0 },
        { role: "assistant", text: "Yes! Call us at 512-555-0199.", at: t0 + 1 },
      ],
      userId,
    );
    expect(
      (await postLead(server, { thread_id: "cthr_shopnumber", reason: "manual" })).body.lead_reason,
    ).toBe("missing_contact");

    await seedThread(
      threads,
      "cthr_notready",
      [{ role: "user", text: "call me 512-555-0123", at: t0 }],
      userId,
    );
    const notReady = await postLead(server, { thread_id: "cthr_notready", reason: "chat_closed" });
    expect(notReady.body).toMatchObject({ ok: false, lead_reason: "not_ready" });
    expect(notReady.body.missing).toEqual(expect.arrayContaining(["service"]));

    await seedThread(threads, "cthr_ready", readyConversation(clock.now() - 2 * MINUTE), userId);
    // idle applies the server-side quiet window (5 minutes by default); 2 minutes is not enough.
    expect((await postLead(server, { thread_id: "cthr_ready", reason: "idle" })).body.lead_reason).toBe(
      "not_idle",
    );
    expect(outboxFiles(server)).toHaveLength(0);

    const sent = await postLead(server, { thread_id: "cthr_ready", reason: "chat_closed" });
    expect(sent.body).toMatchObject({
      ok: true,
      lead_reason: "sent",
      message_id: expect.stringMatching(/^<lead-cthr_ready@/),
    });
    expect(outboxFiles(server)).toHaveLength(1);

    const again = await postLead(
      server,
      { thread_id: "cthr_ready", reason: "pagehide" },
      "text/plain;charset=UTF-8",
    );
    expect(again.body).toMatchObject({
      ok: true,
      lead_reason: "already_sent",
      message_id: sent.body.message_id,
    });
    expect(outboxFiles(server)).toHaveLength(1);
  });

  it("sends exactly one email for 50 concurrent triggers", async () => {
    server = await startTestServer({}, { clock });
    ({ secret, userId } = await server.session());
    await seedThread(
      server.services.threads,
      "cthr_race",
      readyConversation(clock.now() - 10 * MINUTE),
      userId,
    );
    const reasons = ["idle", "pagehide", "chat_closed", "manual"] as const;
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        postLead(server, { thread_id: "cthr_race", reason: reasons[i % 4] }),
      ),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    const byReason = results.map((r) => r.body.lead_reason);
    expect(byReason.filter((r) => r === "sent")).toHaveLength(1);
    expect(byReason.every((r) => ["sent", "already_sent", "in_progress"].includes(String(r)))).toBe(true);
    expect(outboxFiles(server)).toHaveLength(1);
  });

  it("records a failed send, cools down, and retries after the cool-down", async () => {
    let failing = true;
    const delivered: Uint8Array[] = [];
    const flakyMailer: Mailer = {
      async send(mail) {
        if (failing) throw new Error("connection refused");
        delivered.push(mail.raw);
        return { messageId: mail.messageId };
      },
    };
    const lines: Array<Record<string, unknown> & { message: string }> = [];
    const capture = (fields: Record<string, unknown>, message: string) => lines.push({ ...fields, message });
    server = await startTestServer(
      {},
      { clock, mailer: flakyMailer },
      { info: capture, warn: capture, error: capture },
    );
    ({ secret, userId } = await server.session());
    await seedThread(
      server.services.threads,
      "cthr_flaky",
      readyConversation(clock.now() - 10 * MINUTE),
      userId,
    );

    const first = await postLead(server, { thread_id: "cthr_flaky", reason: "chat_closed" });
    expect(first.body).toMatchObject({ ok: false, lead_reason: "error" });
    expect(Date.parse(String(first.body.retry_after))).toBe(clock.now() + 5 * MINUTE);

    failing = false;
    clock.advance(4 * MINUTE);
    expect((await postLead(server, { thread_id: "cthr_flaky", reason: "pagehide" })).body).toMatchObject({
      lead_reason: "cooling_down",
      retry_after: first.body.retry_after,
    });
    clock.advance(1 * MINUTE);
    expect((await postLead(server, { thread_id: "cthr_flaky", reason: "pagehide" })).body.lead_reason).toBe(
      "sent",
    );
    expect(delivered).toHaveLength(1);
    // One structured line per decision, with the trigger and the reason.
    expect(lines.filter((l) => l.thread_id === "cthr_flaky").map((l) => [l.trigger, l.lead_reason])).toEqual([
      ["chat_closed", "error"],
      ["pagehide", "cooling_down"],
      ["pagehide", "sent"],
    ]);
    expect(lines.find((l) => l.lead_reason === "error")).toMatchObject({
      message: "lead error",
      error: expect.stringContaining("connection refused"),
    });
  });

  it("puts uploaded photos inline in the email via cid", async () => {
    server = await startTestServer({}, { clock });
    ({ secret, userId } = await server.session());
    const photo = await makeJpeg(200_000);
    const big = await makeJpeg(3_500_000, 2);
    const a = await uploadPhoto(server, photo, "seat.jpg");
    const b = await uploadPhoto(server, big, "whole-seat.jpg");
    await seedThread(
      server.services.threads,
      "cthr_photos",
      readyConversation(clock.now() - 10 * MINUTE, [a, b]),
      userId,
    );

    const sent = await postLead(server, { thread_id: "cthr_photos", reason: "idle" });
    expect(sent.body.lead_reason).toBe("sent");
    const [file] = outboxFiles(server);
    const mail = await parseEmail(server.outboxDir, String(file));
    expect(mail.subject).toMatch(/Maria Lopez/);
    expect(mail.subject).toMatch(/2 photos/);
    const inline = mail.attachments.filter((att) => att.contentDisposition === "inline" && att.cid);
    expect(inline).toHaveLength(2);
    for (const att of inline) expect(String(mail.html)).toContain(`cid:${att.cid}`);
    // The small photo goes as it is; the large one is downscaled to a 1600 px long edge.
    expect(inline.some((att) => att.content.equals(photo))).toBe(true);
    expect(inline.every((att) => att.size < 3_000_000)).toBe(true);
  });
});

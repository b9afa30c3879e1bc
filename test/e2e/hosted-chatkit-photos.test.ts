import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { attachmentLine } from "../../src/core/chat/transcript.js";
import {
  assistantMessage,
  type FakeChatKitServer,
  startFakeChatKitServer,
  userMessage,
} from "../support/fake-chatkit-server.js";
import { type FakeHttpServer, sendJson, startFakeHttpServer } from "../support/fake-http-server.js";
import { hostedSession, postLead, startHostedServer } from "../support/hosted-server.js";
import { makeJpeg, makePng } from "../support/images.js";
import { outboxEmails, parseEmail } from "../support/outbox.js";
import { type TestServer, uploadAttachment } from "../support/test-server.js";

/**
 * Hosted mode's own photo path: the page uploads to OUR endpoint with our secret, then sends the
 * customer's message with one `Attachment:` line per photo into the hosted thread (here: seeded
 * into the local ChatKit wire-format fake as the component would leave it). The lead email must
 * show those photos inline, and only those: a line naming another visitor's upload or a foreign
 * URL stays text and is never fetched.
 */
describe("hosted ChatKit: photos through our upload endpoint", () => {
  let fake: FakeChatKitServer;
  let trap: FakeHttpServer<never>;
  let server: TestServer | undefined;
  beforeAll(async () => {
    fake = await startFakeChatKitServer();
    // Anything that asks this server for anything fetched a URL customer text named.
    trap = await startFakeHttpServer((_request, res) => sendJson(res, 200, {}));
  });
  afterEach(async () => server?.close());
  afterAll(async () => {
    await trap?.close();
    await fake?.close();
  });

  it("inlines the customer's own uploads named in their message, and nothing a forged line names", async () => {
    server = await startHostedServer(fake);
    const maria = await hostedSession(server, "visitor-key-of-maria-0001");
    const other = await hostedSession(server, "visitor-key-of-someone-else");

    const seat = await makeJpeg(40_000);
    const mine = await uploadAttachment(server, maria.secret, seat, "seat.jpg");
    expect(mine.status).toBe(201);
    const theirs = await uploadAttachment(server, other.secret, await makePng(), "their.png", "image/png");
    expect(theirs.status).toBe(201);
    const line = (descriptor: Record<string, unknown>) =>
      attachmentLine({
        name: String(descriptor.name),
        mime_type: String(descriptor.mime_type),
        preview_url: String(descriptor.preview_url),
      });

    const start = Math.floor(Date.now() / 1000) - 600;
    const forged = [
      line(theirs.body),
      `Attachment: door.jpg (image/jpeg) ${trap.origin}/door.jpg`,
      `Attachment: door.jpg (image/jpeg) ${trap.origin}/api/attachments?id=chatkit-attachments/${String(mine.body.id)}.jpg`,
    ];
    fake.seedThread({ id: "cthr_hosted_photos", user: maria.userId }, [
      assistantMessage("msg_a0", "Hi! What can we help you with today?", start),
      userMessage("msg_u1", "Hi, the driver seat on my 2012 Honda Civic has a big tear in it", {
        created_at: start + 1,
      }),
      assistantMessage("msg_a2", "Sorry to hear that! Could you send a photo?", start + 2),
      // What the "Add photos" button sends through the component's sendUserMessage.
      userMessage("msg_u3", line(mine.body), { created_at: start + 3 }),
      assistantMessage("msg_a4", "Thanks. What's your name and the best number to reach you?", start + 4),
      userMessage("msg_u5", `Maria Lopez, 512-555-0123. Text is best\n${forged.join("\n")}`, {
        created_at: start + 5,
      }),
      assistantMessage("msg_a6", "Got it Maria, Craig will reach out within one business day.", start + 6),
    ]);

    const sent = await postLead(server, maria.secret, {
      thread_id: "cthr_hosted_photos",
      reason: "chat_closed",
    });
    expect(sent).toMatchObject({ status: 200, body: { ok: true, lead_reason: "sent" } });

    const files = outboxEmails(server.outboxDir);
    expect(files).toHaveLength(1);
    const mail = await parseEmail(server.outboxDir, String(files[0]));
    const inline = mail.attachments.filter((a) => a.cid && a.contentDisposition === "inline");
    expect(inline).toHaveLength(1);
    expect(inline[0]?.content.equals(seat)).toBe(true);
    expect(String(mail.html)).toContain(`cid:${inline[0]?.cid}`);
    expect(mail.subject).toMatch(/\(1 photo\)/);
    // The forged lines reach the owner as the customer's words, not as photos.
    expect(mail.text).toContain(`${trap.origin}/door.jpg`);
    const listed = String(mail.text).split("\nATTACHMENTS\n")[1]?.split("\nDIAGNOSTICS\n")[0] ?? "";
    expect(listed.match(/^- .*$/gm)).toEqual(["- seat.jpg (image/jpeg, shown inline)"]);
    expect(trap.requests).toEqual([]);
  });
});

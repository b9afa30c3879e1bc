import { readFileSync } from "node:fs";
import { join } from "node:path";
import { simpleParser } from "mailparser";
import { afterEach, describe, expect, it } from "vitest";
import { createFakeClock, type FakeClock } from "../support/fake-clock.js";
import { makeJpeg } from "../support/images.js";
import { startTestSmtpServer, type TestSmtpServer } from "../support/smtp.js";
import { startTestServer, type TestServer } from "../support/test-server.js";
import { createVisitor } from "../support/visitor.js";
import { visitorUploads } from "../support/visitor-uploads.js";

// "Nothing said after the email is lost": the customer keeps chatting after the lead went out.
// What the owner needs comes as ONE threaded follow-up per quiet period; small talk sends nothing.

const IDLE = 5 * 60_000;

describe("follow-ups after the lead email", () => {
  let smtp: TestSmtpServer | undefined;
  let server: TestServer | undefined;
  let clock: FakeClock;
  afterEach(async () => {
    await server?.close();
    await smtp?.close();
    server = smtp = undefined;
  });

  async function start() {
    smtp = await startTestSmtpServer("accept");
    clock = createFakeClock();
    server = await startTestServer({ MAILER: "smtp", SMTP_URL: smtp.url }, { clock });
    const srv = server;
    // The visitor comes back over days: a fresh session each time, the same visitor key.
    const visitor = createVisitor(srv.baseUrl);
    const threadId = await visitor.start("Hi! The driver seat on my 2012 Honda Civic is torn");
    const say = (text: string) => visitor.say(threadId, text);
    /** The customer goes quiet; the sweeper passes. */
    const quietAndSweep = async () => {
      clock.advance(IDLE + 1_000);
      return srv.services.sweeper.runOnce();
    };
    return { smtp, say, quietAndSweep, threadId };
  }

  const parse = (raw: Buffer | undefined) => simpleParser(raw ?? Buffer.alloc(0), { skipImageLinks: true });

  it("small talk sends nothing; new facts send one threaded follow-up with only what changed", async () => {
    const { smtp, say, quietAndSweep } = await start();
    await say("I'm Maria Lopez, 512-555-0123, text is best");
    await quietAndSweep();
    expect(smtp.accepted).toHaveLength(1);
    const first = await parse(smtp.accepted[0]);

    await say("thanks so much!");
    await quietAndSweep();
    expect(smtp.accepted).toHaveLength(1);

    await say("Oh, and I need it done before May 20. You can also email me at maria.lopez@example.com");
    clock.advance(60_000);
    await srv().services.sweeper.runOnce(); // not quiet long enough yet
    expect(smtp.accepted).toHaveLength(1);
    await quietAndSweep();
    await quietAndSweep();
    expect(smtp.accepted).toHaveLength(2);
    const followUp = await parse(smtp.accepted[1]);
    expect(followUp.subject).toBe(`Re: ${first.subject}`);
    expect(followUp.inReplyTo).toBe(first.messageId);
    expect([followUp.references].flat()).toContain(first.messageId);
    expect(followUp.messageId).not.toBe(first.messageId);
    expect(followUp.text).toContain("maria.lopez@example.com");
    expect(followUp.text).toMatch(/May 20/);
    // Only what changed: the first email's facts and turns are not repeated.
    expect(followUp.text).not.toContain("512-555-0123");
    expect(followUp.text).not.toContain("driver seat on my 2012 Honda Civic is torn");

    // A second quiet period with something new: a second follow-up, its own Message-ID.
    await say("Actually please call me instead, after 5pm");
    await quietAndSweep();
    expect(smtp.accepted).toHaveLength(3);
    const second = await parse(smtp.accepted[2]);
    expect(second.inReplyTo).toBe(first.messageId);
    expect(new Set([first.messageId, followUp.messageId, second.messageId]).size).toBe(3);
    await quietAndSweep();
    expect(smtp.accepted).toHaveLength(3);
  });

  it("a refused follow-up is retried as the same message, and counted once", async () => {
    const { smtp, say, quietAndSweep } = await start();
    await say("I'm Maria Lopez, 512-555-0123");
    await quietAndSweep();
    await say("you can also email me at maria.lopez@example.com");
    smtp.behave("refuse-4xx");
    await quietAndSweep();
    expect(smtp.accepted).toHaveLength(1);
    smtp.behave("accept");
    await quietAndSweep(); // the 5-minute cool-down has passed
    expect(smtp.accepted).toHaveLength(2);
    expect(smtp.received.at(-1)?.equals(smtp.received.at(-2) ?? Buffer.alloc(0))).toBe(true);
    await quietAndSweep();
    expect(smtp.accepted).toHaveLength(2);
  });

  it("a photo sent after the lead email goes out inline in one follow-up; the first email keeps its own", async () => {
    const { smtp, say, quietAndSweep, threadId } = await start();
    // The same visitor (same visitor key) as the one start() chats as.
    const files = visitorUploads(srv().baseUrl, createVisitor(srv().baseUrl));
    const images = (mail: Awaited<ReturnType<typeof parse>>) =>
      mail.attachments.filter((a) => a.contentType.startsWith("image/"));

    // The first email, with the one photo sent before it.
    const seat = await makeJpeg(30_000, 1);
    await files.sayWith(threadId, "here's the seat", [await files.upload(seat, "seat.jpg", "image/jpeg")]);
    await say("I'm Maria Lopez, 512-555-0123, text is best");
    await quietAndSweep();
    expect(smtp.accepted).toHaveLength(1);
    const first = await parse(smtp.accepted[0]);
    expect(first.subject).toMatch(/\(1 photo\)/);
    expect(images(first)).toHaveLength(1);
    expect(images(first)[0]?.content.equals(seat)).toBe(true);

    // After it, a new photo in a message of its own, without words: the photo is the only news.
    const side = await makeJpeg(30_000, 2);
    const reply = await files.sayWith(threadId, "", [await files.upload(side, "side.jpg", "image/jpeg")]);
    expect(reply.some((event) => event.type === "error")).toBe(false);
    await quietAndSweep();
    expect(smtp.accepted).toHaveLength(2);
    const followUp = await parse(smtp.accepted[1]);
    expect(followUp.subject).toBe(`Re: ${first.subject}`);
    expect(followUp.inReplyTo).toBe(first.messageId);

    // The new photo, and only it, inline: a cid part the HTML shows.
    const inline = images(followUp);
    expect(inline).toHaveLength(1);
    const photo = inline[0];
    expect(photo?.contentDisposition).toBe("inline");
    expect(photo?.cid).toBeTruthy();
    expect(photo?.content.equals(side)).toBe(true);
    expect(String(followUp.html)).toContain(`cid:${photo?.cid}`);
    // The owner reads what is new: one new photo; the first email's photo is not counted again.
    expect(followUp.text).toMatch(/New: photos: 1 new \(shown below\)\./);
    expect(followUp.text).toMatch(/^Photos:\s+1 \(1 shown below\)$/m);
    expect(followUp.text).toMatch(/^PHOTOS \(1\)$/m);
    expect(followUp.text).not.toContain("seat.jpg");

    // The first email is as it went out: its kept bytes (for a resend) were not replaced.
    const keptFirst = readFileSync(join(srv().dataDir, "blobs", "lead-emails", `${threadId}.eml`));
    expect(keptFirst.equals(smtp.accepted[0] as Buffer)).toBe(true);
    expect(images(await parse(keptFirst))).toHaveLength(1);

    await quietAndSweep();
    expect(smtp.accepted).toHaveLength(2);
  });

  function srv(): TestServer {
    if (!server) throw new Error("server not started");
    return server;
  }
});

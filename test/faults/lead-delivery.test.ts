import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createCaptureLogger } from "../support/capture-logger.js";
import { createFakeClock, type FakeClock } from "../support/fake-clock.js";
import { type SmtpBehaviour, startTestSmtpServer, type TestSmtpServer } from "../support/smtp.js";
import { startTestServer, type TestServer } from "../support/test-server.js";
import { mountTmpfs, type Tmpfs } from "../support/tmpfs.js";
import { createVisitor } from "../support/visitor.js";

// The promise (one email, none lost, nothing half-written) under the faults an operator meets:
// a real SMTP server made to refuse, go silent or drop the line, a full disk, triggers that never
// come. The owner's inbox is what the SMTP server answered 250 to.

const MINUTE = 60_000;
const IDLE = 5 * MINUTE;

describe("exactly one lead email under faults", () => {
  let smtp: TestSmtpServer | undefined;
  let server: TestServer | undefined;
  let disk: Tmpfs | undefined;
  let clock: FakeClock;
  const logger = createCaptureLogger();
  afterEach(async () => {
    await server?.close();
    await smtp?.close();
    disk?.unmount();
    server = smtp = disk = undefined;
    logger.lines.length = 0;
  });

  async function start(behaviour: SmtpBehaviour, env: Record<string, string> = {}) {
    smtp = await startTestSmtpServer(behaviour);
    clock = createFakeClock();
    server = await startTestServer(
      { MAILER: "smtp", SMTP_URL: smtp.url, LEAD_SEND_TIMEOUT_SECONDS: "2", ...env },
      { clock },
      logger,
    );
    return { smtp, server };
  }

  /** A visitor chats to handoff-ready over the real API (so the sweeper knows the thread). */
  async function chatToReady(srv: TestServer): Promise<{ threadId: string; secret: string }> {
    const visitor = createVisitor(srv.baseUrl);
    const threadId = await visitor.start("Hi! The driver seat on my 2012 Honda Civic is torn");
    await visitor.say(threadId, "I'm Maria Lopez, 512-555-0123, text is best");
    return { threadId, secret: await visitor.secret() };
  }

  async function trigger(
    srv: TestServer,
    lead: { threadId: string; secret: string },
    reason = "chat_closed",
  ) {
    const response = await fetch(`${srv.baseUrl}/lead`, {
      method: "POST",
      headers: { authorization: `Bearer ${lead.secret}`, "content-type": "application/json" },
      body: JSON.stringify({ thread_id: lead.threadId, reason }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  const distinct = (messages: Buffer[]) => new Set(messages.map((m) => m.toString("base64"))).size;

  it("a trigger that never comes: the sweeper sends the lead once the customer has been quiet", async () => {
    const { smtp, server } = await start("accept");
    await chatToReady(server);
    clock.advance(IDLE - 1_000);
    await server.services.sweeper.runOnce();
    expect(smtp.accepted).toHaveLength(0);
    clock.advance(1_000);
    const pass = await server.services.sweeper.runOnce();
    expect(pass).toMatchObject({ looked: 1, sent: 1, failed: 0 });
    expect(smtp.accepted).toHaveLength(1);
    clock.advance(60 * MINUTE);
    await server.services.sweeper.runOnce();
    expect(smtp.accepted).toHaveLength(1);
  });

  it("a refused send is retried by the sweeper after its cool-down, as the very same message", async () => {
    const { smtp, server } = await start("refuse-4xx");
    const lead = await chatToReady(server);
    expect((await trigger(server, lead)).body).toMatchObject({ lead_reason: "error" });
    smtp.behave("accept");
    clock.advance(IDLE - 1_000);
    await server.services.sweeper.runOnce();
    expect(smtp.accepted).toHaveLength(0); // still cooling down (5 minutes)
    clock.advance(2_000);
    await server.services.sweeper.runOnce();
    expect(smtp.accepted).toHaveLength(1);
    expect(distinct(smtp.received)).toBe(1); // the retry is byte-identical to the refused attempt
    expect((await trigger(server, lead)).body).toMatchObject({ lead_reason: "already_sent" });
  });

  it.each<SmtpBehaviour>(["silent-after-data", "drop-after-data"])(
    "an unclear outcome (%s) answers quickly and the resend is the same message",
    async (behaviour) => {
      const { smtp, server } = await start(behaviour);
      const lead = await chatToReady(server);
      const started = Date.now();
      const first = await trigger(server, lead);
      // Bounded: LEAD_SEND_TIMEOUT_SECONDS=2, never nodemailer's minutes.
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(first.body.lead_reason).toMatch(/^(error|in_progress)$/);
      smtp.behave("accept");
      clock.advance(10 * MINUTE);
      await server.services.sweeper.runOnce();
      expect(smtp.accepted).toHaveLength(1);
      // The owner may hold two copies (the server kept the first), but they are one message.
      expect(smtp.received.length).toBeGreaterThanOrEqual(2);
      expect(distinct(smtp.received)).toBe(1);
    },
  );

  it("a permanent refusal (550) stops retrying, shows in /healthz, and is logged once as an error", async () => {
    const { smtp, server } = await start("refuse-5xx");
    const lead = await chatToReady(server);
    expect((await trigger(server, lead)).body).toMatchObject({ ok: false, lead_reason: "failed" });
    for (let i = 0; i < 5; i++) {
      clock.advance(60 * MINUTE);
      await server.services.sweeper.runOnce();
      // The session of an hour ago has expired: ask as the server itself would.
      const again = await server.services.leads.handle({ threadId: lead.threadId, reason: "manual" });
      expect(again).toMatchObject({ lead_reason: "failed" });
    }
    expect(smtp.received).toHaveLength(1);
    const health = await fetch(`${server.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true, status: "degraded", failed_leads: 1 });
    const errors = logger.lines.filter((l) => l.level === "error" && l.fields.lead_reason === "failed");
    expect(errors).toHaveLength(1);
    expect(errors[0]?.fields).toMatchObject({ thread_id: lead.threadId });
  });

  it("a full disk: no email without its lease on disk, a clear error, and the lead goes once space is back", async () => {
    disk = mountTmpfs("8m");
    const { smtp, server } = await start("accept", { DATA_DIR: join(disk.dir, "data") });
    const lead = await chatToReady(server);
    clock.advance(IDLE);
    disk.fill();
    const answers = await Promise.all(Array.from({ length: 55 }, () => trigger(server as TestServer, lead)));
    expect(smtp.accepted.length).toBeLessThanOrEqual(1);
    for (const answer of answers.filter((a) => a.body.lead_reason !== "already_sent")) {
      expect(answer.status).toBeGreaterThanOrEqual(500);
      expect(answer.body).toMatchObject({ error: { code: expect.stringMatching(/^storage_/) } });
    }
    disk.unfill();
    clock.advance(10 * MINUTE);
    await server.services.sweeper.runOnce();
    const after = await server.services.leads.handle({ threadId: lead.threadId, reason: "manual" });
    expect(after).toMatchObject({ lead_reason: "already_sent" });
    expect(smtp.accepted).toHaveLength(1);
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  assistantMessage,
  type FakeChatKitServer,
  type SeedItem,
  startFakeChatKitServer,
  userMessage,
} from "../support/fake-chatkit-server.js";
import { createFakeClock, type FakeClock } from "../support/fake-clock.js";
import { hostedSession, postLead, startHostedServer } from "../support/hosted-server.js";
import { outboxEmails } from "../support/outbox.js";
import type { TestServer } from "../support/test-server.js";
import { readyConversation } from "../support/threads.js";

const IDLE_SECONDS = 120;

/**
 * Hosted threads on the sweeper's due list: our server never sees a hosted message, so the page
 * reports the customer's activity (`POST /lead {reason: "activity"}`) and the sweeper then hands
 * the lead over even though the browser's trigger never arrives.
 */
describe("hosted ChatKit: the sweeper sends the lead when no trigger arrives", () => {
  let fake: FakeChatKitServer;
  let server: TestServer | undefined;
  let clock: FakeClock;
  beforeAll(async () => {
    fake = await startFakeChatKitServer();
  });
  afterEach(async () => server?.close());
  afterAll(async () => fake?.close());

  async function start() {
    clock = createFakeClock();
    server = await startHostedServer(fake, { LEAD_IDLE_DELAY_SECONDS: String(IDLE_SECONDS) }, { clock });
    return server;
  }

  /** The ready conversation as hosted items, its last customer message at the clock's now. */
  const hostedItems = (): SeedItem[] =>
    readyConversation(clock.now() - 6000).map((turn, i) =>
      turn.role === "user"
        ? userMessage(`msg_u${i}`, turn.text, { created_at: Math.floor(turn.at / 1000) })
        : assistantMessage(`msg_a${i}`, turn.text, Math.floor(turn.at / 1000)),
    );

  it("puts the reported thread on the due list and sends exactly one email once it is due", async () => {
    const srv = await start();
    const maria = await hostedSession(srv, "visitor-key-of-maria-0002");
    fake.seedThread({ id: "cthr_hosted_swept", user: maria.userId }, hostedItems());

    const reported = await postLead(srv, maria.secret, {
      thread_id: "cthr_hosted_swept",
      reason: "activity",
    });
    expect(reported).toEqual({
      status: 200,
      body: {
        ok: true,
        thread_id: "cthr_hosted_swept",
        due_at: new Date(clock.now() + IDLE_SECONDS * 1000).toISOString(),
      },
    });
    // Reporting never summarizes or sends.
    expect(outboxEmails(srv.outboxDir)).toHaveLength(0);

    // Not due yet: the sweeper does not even look.
    clock.advance(IDLE_SECONDS * 1000 - 1000);
    expect(await srv.services.sweeper.runOnce()).toMatchObject({ looked: 0, sent: 0 });

    clock.advance(1000);
    expect(await srv.services.sweeper.runOnce()).toMatchObject({ looked: 1, sent: 1, failed: 0 });
    expect(outboxEmails(srv.outboxDir)).toHaveLength(1);

    // Off the list once sent; a late trigger finds it sent.
    clock.advance(IDLE_SECONDS * 1000);
    expect(await srv.services.sweeper.runOnce()).toMatchObject({ looked: 0 });
    const late = await postLead(srv, maria.secret, { thread_id: "cthr_hosted_swept", reason: "pagehide" });
    expect(late.body).toMatchObject({ lead_reason: "already_sent" });
    expect(outboxEmails(srv.outboxDir)).toHaveLength(1);
  });

  it("refuses another visitor's thread and unknown threads, and lists neither", async () => {
    const srv = await start();
    const maria = await hostedSession(srv, "visitor-key-of-maria-0003");
    fake.seedThread({ id: "cthr_hosted_not_hers", user: "someone_else" }, hostedItems());

    for (const threadId of ["cthr_hosted_not_hers", "cthr_hosted_nowhere"]) {
      const refused = await postLead(srv, maria.secret, { thread_id: threadId, reason: "activity" });
      expect(refused).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
    }

    clock.advance(IDLE_SECONDS * 1000 * 10);
    expect(await srv.services.sweeper.runOnce()).toMatchObject({ looked: 0, sent: 0 });
    expect(outboxEmails(srv.outboxDir)).toHaveLength(0);
  });

  it("answers bad input 400 and a missing secret 401, in the error envelope", async () => {
    const srv = await start();
    const maria = await hostedSession(srv, "visitor-key-of-maria-0004");
    const bad = await postLead(srv, maria.secret, { thread_id: "../etc", reason: "activity" });
    expect(bad).toMatchObject({
      status: 400,
      body: { error: { code: expect.any(String), message: expect.any(String) } },
    });
    const unknownReason = await postLead(srv, maria.secret, { thread_id: "cthr_x", reason: "activities" });
    expect(unknownReason.status).toBe(400);
    const anonymous = await fetch(`${srv.baseUrl}/lead`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ thread_id: "cthr_x", reason: "activity" }),
    });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: "unauthorized" } });
  });

  it("keeps a thread where the customer said nothing off the list", async () => {
    const srv = await start();
    const maria = await hostedSession(srv, "visitor-key-of-maria-0005");
    fake.seedThread({ id: "cthr_hosted_silent", user: maria.userId }, [
      assistantMessage("msg_hi", "Hi! What can we help you with?", Math.floor(clock.now() / 1000)),
    ]);
    const reported = await postLead(srv, maria.secret, {
      thread_id: "cthr_hosted_silent",
      reason: "activity",
    });
    expect(reported.body).toEqual({ ok: true, thread_id: "cthr_hosted_silent", due_at: null });
    clock.advance(IDLE_SECONDS * 1000 * 10);
    expect(await srv.services.sweeper.runOnce()).toMatchObject({ looked: 0 });
  });
});

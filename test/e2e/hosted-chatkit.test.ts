import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  assistantMessage,
  type FakeChatKitServer,
  type SeedItem,
  startFakeChatKitServer,
  userMessage,
} from "../support/fake-chatkit-server.js";
import { outboxEmails, parseEmail } from "../support/outbox.js";
import { startTestServer, type TestServer } from "../support/test-server.js";
import { readyConversation, seedThread } from "../support/threads.js";

const KEY = "sk-test-hosted-0123456789abcdef";
const VISITOR = { visitor_key: "visitor-key-of-a-hosted-customer" };

/**
 * `CHAT_RUNTIME=chatkit`: sessions come from a hosted ChatKit workflow and the lead email is built
 * from the thread kept at OpenAI, here a local server speaking ChatKit's REST wire format with the
 * real openai SDK pointed at it (OPENAI_BASE_URL).
 */
describe("hosted OpenAI ChatKit as the chat runtime", () => {
  let fake: FakeChatKitServer;
  const servers: TestServer[] = [];
  beforeAll(async () => {
    fake = await startFakeChatKitServer();
  });
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close();
  });
  afterAll(async () => fake?.close());

  async function hostedServer(env: Record<string, string> = {}) {
    const server = await startTestServer({
      CHAT_RUNTIME: "chatkit",
      CHATKIT_WORKFLOW_ID: "wf_craigs_intake",
      OPENAI_API_KEY: KEY,
      OPENAI_BASE_URL: fake.baseUrl,
      ...env,
    });
    servers.push(server);
    return server;
  }

  async function session(server: TestServer) {
    const response = await fetch(`${server.baseUrl}/api/chatkit/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(VISITOR),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  const lead = (server: TestServer, secret: string, threadId: string) =>
    fetch(`${server.baseUrl}/lead`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      body: JSON.stringify({ thread_id: threadId, reason: "chat_closed" }),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));

  /** The ready conversation as hosted items (unix seconds). */
  const hostedItems = (start: number): SeedItem[] =>
    readyConversation(start).map((turn, i) =>
      turn.role === "user"
        ? userMessage(`msg_u${i}`, turn.text, { created_at: Math.floor(turn.at / 1000) })
        : assistantMessage(`msg_a${i}`, turn.text, Math.floor(turn.at / 1000)),
    );

  /** The email without what differs by nature between two sends (ids, links, dates). */
  const normalized = (text: string) =>
    text
      .replace(/cthr_[\w-]+/g, "<thread>")
      .replace(/\/sms\/[\w-]+/g, "/sms/<token>")
      .replace(/<[^>\s]+@[^>\s]+>/g, "<id>")
      .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, "<time>");

  it("sends the same lead email as the self-hosted runtime for the same conversation", async () => {
    const server = await hostedServer();
    const created = await session(server);
    expect(created.status).toBe(200);
    // The component's secret is the workflow's; ours (for /lead and uploads) comes beside it.
    expect(created.body.client_secret).toMatch(/^ek_/);
    expect(created.body.lead_secret).toEqual(expect.any(String));
    const { userId } = await server.services.sessions.authenticate(String(created.body.lead_secret));
    const sessionRequest = fake.requests.find((r) => r.path.endsWith("/chatkit/sessions"));
    expect(sessionRequest?.body).toMatchObject({ user: userId, workflow: { id: "wf_craigs_intake" } });
    expect(JSON.stringify(created.body)).not.toContain(KEY);

    const start = Date.now() - 600_000;
    fake.seedThread({ id: "cthr_hosted_maria", user: userId }, hostedItems(start));
    const sent = await lead(server, String(created.body.lead_secret), "cthr_hosted_maria");
    expect(sent).toMatchObject({ status: 200, body: { ok: true, lead_reason: "sent" } });
    const [file] = outboxEmails(server.outboxDir);
    const hostedMail = await parseEmail(server.outboxDir, String(file));

    // The same conversation on the self-hosted runtime.
    const self = await startTestServer();
    servers.push(self);
    const own = await self.session();
    await seedThread(self.services.threads, "cthr_self_maria", readyConversation(start), own.userId);
    expect((await lead(self, own.secret, "cthr_self_maria")).body).toMatchObject({ lead_reason: "sent" });
    const [selfFile] = outboxEmails(self.outboxDir);
    const selfMail = await parseEmail(self.outboxDir, String(selfFile));

    expect(hostedMail.subject).toBe(selfMail.subject);
    expect(hostedMail.subject).toMatch(/Maria Lopez - 2012 Honda Civic/);
    expect(normalized(String(hostedMail.text))).toBe(normalized(String(selfMail.text)));
  });

  it("refuses another user's thread and unknown threads, and turns the self-hosted chat endpoint off", async () => {
    const server = await hostedServer();
    const secret = String((await session(server)).body.lead_secret);
    fake.seedThread({ id: "cthr_hosted_other", user: "someone_else" }, hostedItems(Date.now() - 600_000));
    expect((await lead(server, secret, "cthr_hosted_other")).status).toBe(404);
    expect((await lead(server, secret, "cthr_hosted_nowhere")).status).toBe(404);
    expect(outboxEmails(server.outboxDir)).toHaveLength(0);
    const chat = await fetch(`${server.baseUrl}/api/chatkit`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      body: JSON.stringify({ type: "threads.list", params: {} }),
    });
    expect(chat.status).toBe(404);
    expect(await chat.json()).toMatchObject({ error: { code: "chat_runtime_hosted" } });
  });

  it("a slow upstream answers lead_reason error with a cool-down and records nothing", async () => {
    const server = await hostedServer({ LEAD_SEND_TIMEOUT_SECONDS: "2" });
    const secret = String((await session(server)).body.lead_secret);
    const { userId } = await server.services.sessions.authenticate(secret);
    fake.seedThread({ id: "cthr_hosted_slow", user: userId }, hostedItems(Date.now() - 600_000));
    fake.setDelayMs(3_000);
    try {
      const answer = await lead(server, secret, "cthr_hosted_slow");
      expect(answer).toMatchObject({ status: 200, body: { ok: false, lead_reason: "error" } });
      expect(Date.parse(String(answer.body.retry_after))).toBeGreaterThan(Date.now());
    } finally {
      fake.setDelayMs(0);
    }
    expect(await server.services.leads.sweep("cthr_hosted_slow")).toMatchObject({
      result: { lead_reason: "sent" },
    });
    expect(outboxEmails(server.outboxDir)).toHaveLength(1);
  });

  it("passes an upstream 401 (an expired key) through without the key", async () => {
    const server = await hostedServer({ OPENAI_API_KEY: "sk-test-expired-fedcba9876543210" });
    fake.expireKey("sk-test-expired-fedcba9876543210");
    const refused = await session(server);
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ error: { code: "upstream_error" } });
    expect(JSON.stringify(refused.body)).not.toContain("fedcba9876543210");
  });

  it("stops the start with one line when the workflow is missing", async () => {
    await expect(startTestServer({ CHAT_RUNTIME: "chatkit", OPENAI_API_KEY: KEY })).rejects.toThrow(
      "CHATKIT_WORKFLOW_ID is required when CHAT_RUNTIME=chatkit",
    );
  });
});

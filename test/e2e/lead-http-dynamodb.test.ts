import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { awsEnv, startDynalite, type TestDynamoDb } from "../support/aws-emulators.js";
import { createFakeClock } from "../support/fake-clock.js";
import { outboxEmails } from "../support/outbox.js";
import { startTestServer, type TestServer } from "../support/test-server.js";
import { readyConversation, seedThread } from "../support/threads.js";

const MINUTE = 60_000;

/**
 * The send lease on DynamoDB, as two Lambdas would share it: two servers over one dynalite (each
 * with its own outbox), triggers split between them. Only the table's conditional write can keep
 * it to one email.
 */
describe("POST /lead on the DynamoDB store, across two servers", () => {
  let dynamodb: TestDynamoDb;
  const servers: TestServer[] = [];
  beforeAll(async () => {
    dynamodb = await startDynalite();
    // The SDK reads its endpoint and credentials from the environment, as it does on Lambda.
    Object.assign(process.env, awsEnv({ dynamodb: dynamodb.endpoint }));
  });
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close();
  });
  afterAll(async () => dynamodb?.close());

  it("sends exactly one email for 50 concurrent triggers", async () => {
    const clock = createFakeClock();
    const env = { STORE: "dynamodb", SESSION_SECRET: "one-secret-for-both-servers-32-chars-long" };
    servers.push(await startTestServer(env, { clock }), await startTestServer(env, { clock }));
    const [a, b] = servers as [TestServer, TestServer];
    const { secret, userId } = await a.session();
    await seedThread(a.services.threads, "cthr_race", readyConversation(clock.now() - 10 * MINUTE), userId);
    const reasons = ["idle", "pagehide", "chat_closed", "manual"] as const;
    const results = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const response = await fetch(`${(i % 2 ? b : a).baseUrl}/lead`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
          body: JSON.stringify({ thread_id: "cthr_race", reason: reasons[i % 4] }),
        });
        return { status: response.status, body: (await response.json()) as { lead_reason: string } };
      }),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    const byReason = results.map((r) => r.body.lead_reason);
    expect(byReason.filter((r) => r === "sent")).toHaveLength(1);
    expect(byReason.every((r) => ["sent", "already_sent", "in_progress"].includes(r))).toBe(true);
    expect(outboxEmails(a.outboxDir).length + outboxEmails(b.outboxDir).length).toBe(1);
    expect((await b.services.leads.sweep("cthr_race")).result).toMatchObject({ lead_reason: "already_sent" });
  });
});

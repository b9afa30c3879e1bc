import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createFakeClock } from "../support/fake-clock.js";
import { outboxEmails, parseEmail } from "../support/outbox.js";
import { makeTempDir } from "../support/temp-dir.js";
import { startTestServer, type TestServer } from "../support/test-server.js";
import { createVisitor } from "../support/visitor.js";

/**
 * The weekly digest (OWNER_DIGEST=weekly) on a real server over SQLite and the outbox mailer,
 * driven by a controllable clock: one email on Monday from 08:00 in the shop's time zone about
 * the week before, never before, never twice (concurrent passes, later passes, a restart).
 */

const servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

const HOUR = 3_600_000;
// Wednesday 2026-11-25, noon in Chicago (CST, UTC-6).
const WEDNESDAY = Date.parse("2026-11-25T18:00:00Z");
// Monday 2026-11-30, 08:00 in Chicago: 14:00 UTC.
const MONDAY_8AM = Date.parse("2026-11-30T14:00:00Z");

/** The digests in an outbox folder: file names and subjects. */
async function digestsIn(outboxDir: string): Promise<{ name: string; subject: string }[]> {
  const names = outboxEmails(outboxDir);
  const mails = await Promise.all(
    names.map(async (name) => ({ name, mail: await parseEmail(outboxDir, name) })),
  );
  return mails
    .map(({ name, mail }) => ({ name, subject: mail.subject ?? "" }))
    .filter((m) => m.subject.startsWith("Weekly leads"));
}

describe("weekly digest", () => {
  it("goes out once on Monday at 08:00 shop time, about the week before, with its figures", async () => {
    const clock = createFakeClock(WEDNESDAY);
    const dataDir = makeTempDir();
    const env = { OWNER_DIGEST: "weekly", SHOP_TIME_ZONE: "America/Chicago", DATA_DIR: dataDir.dir };
    const outboxDir = join(dataDir.dir, "outbox");
    const subjects = async () => (await digestsIn(outboxDir)).map((d) => d.subject);
    const server = await startTestServer(env, { clock });
    servers.push(server);

    // The week: one lead sent (after the quiet window), one without contact, one won for $650.
    const ready = createVisitor(server.baseUrl, "visitor-digest-000001");
    const sentId = await ready.start("Torn driver seat on my 2015 Ford F-150, I'm Jo Baker 512-555-0123");
    clock.advance(10 * 60_000);
    await server.services.sweeper.runOnce();
    const shy = createVisitor(server.baseUrl, "visitor-digest-000002");
    await shy.start("How much for a boat seat?");
    const journal = server.services.console?.service;
    expect(journal).toBeDefined();
    await journal?.recordOutcome({
      threadId: sentId,
      actor: "owner",
      outcome: { outcome: "won", value: "650.00", currency: "USD" },
    });
    // The sweeps on Wednesday sent no digest: last week's was due Monday, and more than two days
    // late it is skipped (a server started mid-week does not report a week it did not see).
    expect(await subjects()).toEqual([]);

    // Sunday night and Monday 07:59 in Chicago: not yet (13:59 UTC is 07:59 CST).
    for (const at of [Date.parse("2026-11-30T05:59:00Z"), MONDAY_8AM - 60_000]) {
      clock.set(at);
      await server.services.sweeper.runOnce();
      expect(await subjects()).toEqual([]);
    }

    // 08:00: exactly one, even with passes running side by side and more passes later.
    clock.set(MONDAY_8AM);
    await Promise.all([server.services.sweeper.runOnce(), server.services.sweeper.runOnce()]);
    clock.advance(HOUR);
    await server.services.sweeper.runOnce();
    const sent = await subjects();
    expect(sent).toEqual(["Weekly leads: 2026-11-23 to 2026-11-29, 2 conversations, 1 sent"]);

    const [digest] = await digestsIn(outboxDir);
    const mail = await parseEmail(outboxDir, digest?.name as string);
    expect(mail.text).toContain("Conversations: 2");
    expect(mail.text).toContain("Lead emails sent: 1");
    expect(mail.text).toContain("Sent after the customer went quiet: 10 min (median)");
    expect(mail.text).toContain("Outcomes recorded: Won 1");
    expect(mail.text).toContain("Won: 650.00 USD");
    expect(mail.text).toMatch(/Needs attention:|Nothing needs attention\./);
    expect(mail.text).toContain("http://127.0.0.1:8787/owner");
    expect(mail.html).toContain("weekly leads");

    // A restart on the same data: still one for this week.
    await server.close();
    servers.splice(0);
    const again = await startTestServer(env, { clock });
    servers.push(again);
    await again.services.sweeper.runOnce();
    expect(await subjects()).toHaveLength(1);

    // The next Monday: the next week's digest, one more.
    clock.set(MONDAY_8AM + 7 * 24 * HOUR);
    await again.services.sweeper.runOnce();
    await again.services.sweeper.runOnce();
    expect((await subjects()).sort()).toEqual([
      "Weekly leads: 2026-11-23 to 2026-11-29, 2 conversations, 1 sent",
      "Weekly leads: 2026-11-30 to 2026-12-06, 0 conversations, 0 sent",
    ]);
    dataDir.remove();
  });

  it("sends nothing when OWNER_DIGEST is off (the default)", async () => {
    const clock = createFakeClock(MONDAY_8AM + HOUR);
    const server = await startTestServer({ SHOP_TIME_ZONE: "America/Chicago" }, { clock });
    servers.push(server);
    await server.services.sweeper.runOnce();
    expect(await digestsIn(server.outboxDir)).toEqual([]);
  });
});

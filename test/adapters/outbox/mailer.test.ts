import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createOutboxMailer,
  outboxTimestamp,
  sanitizeMessageId,
} from "../../../src/adapters/outbox/mailer.js";
import {
  isOutboxId,
  listOutbox,
  readOutboxMessage,
  readOutboxRaw,
} from "../../../src/adapters/outbox/outbox-reader.js";
import { composeLeadEmail } from "../../../src/core/email/compose.js";
import { buildMime } from "../../../src/services/mime.js";
import { runMailerContract } from "../../contracts/mailer.contract.js";
import { sampleEmailInput } from "../../support/lead-email.js";

/** A clock that moves 1 ms per reading, so file order is send order. */
function steppingClock(start = Date.UTC(2025, 0, 2, 3, 4, 5)) {
  let now = start;
  return () => now++;
}

runMailerContract("outbox", async () => {
  const root = mkdtempSync(join(tmpdir(), "outbox-"));
  const dir = join(root, "nested", "outbox"); // the mailer creates it
  return {
    mailer: createOutboxMailer({ dir, now: steppingClock() }),
    async received() {
      const names = readdirSync(dir)
        .filter((n) => n.endsWith(".eml"))
        .sort();
      return names.map((n) => readFileSync(join(dir, n)));
    },
    async teardown() {
      rmSync(root, { recursive: true, force: true });
    },
  };
});

async function sample(threadId = "cthr_abc123") {
  const email = composeLeadEmail(sampleEmailInput({ threadId }));
  return { raw: await buildMime(email), from: email.from, to: email.to, messageId: email.messageId };
}

describe("outbox mailer", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "outbox-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("names files <timestamp>-<message id>.eml and leaves no temporary files", async () => {
    const mailer = createOutboxMailer({ dir, now: () => Date.UTC(2025, 0, 2, 3, 4, 5, 678) });
    await mailer.send(await sample());
    expect(readdirSync(dir)).toEqual(["20250102T030405678Z-lead-cthr_abc123@craigs-upholstery.example.eml"]);
  });

  it("never overwrites a message sent in the same millisecond", async () => {
    const mailer = createOutboxMailer({ dir, now: () => 0 });
    const mail = await sample();
    await Promise.all([mailer.send(mail), mailer.send(mail), mailer.send(mail)]);
    const names = readdirSync(dir).sort();
    expect(names).toHaveLength(3);
    expect(names.every((n) => isOutboxId(n.replace(/\.eml$/, "")))).toBe(true);
  });

  it("sanitizes message ids into safe file names", () => {
    expect(sanitizeMessageId("<a/../b c@d>")).toBe("a_.._b_c@d");
    expect(sanitizeMessageId("<..>")).toBe("message");
    expect(outboxTimestamp(0)).toBe("19700101T000000000Z");
  });
});

describe("outbox reader", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "outbox-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("lists newest first with subject, addresses, date and size", async () => {
    const mailer = createOutboxMailer({ dir, now: steppingClock() });
    await mailer.send(await sample("cthr_old"));
    await mailer.send(await sample("cthr_new"));
    writeFileSync(join(dir, "notes.txt"), "ignored");
    writeFileSync(join(dir, "not-an-id.eml"), "ignored");
    const entries = await listOutbox(dir);
    expect(entries.map((e) => e.id)).toEqual([
      "20250102T030405001Z-lead-cthr_new@craigs-upholstery.example",
      "20250102T030405000Z-lead-cthr_old@craigs-upholstery.example",
    ]);
    const [first] = entries;
    expect(first?.subject).toBe("New lead: Maria Lopez - 2012 Honda Civic, seat repair (2 photos)");
    expect(first?.from).toBe("leads@craigs-upholstery.example");
    expect(first?.to).toEqual(["owner@craigs-upholstery.example"]);
    expect(first?.date).toBeInstanceOf(Date);
    expect(first?.size).toBeGreaterThan(1000);
  });

  it("is empty for a folder that does not exist yet", async () => {
    expect(await listOutbox(join(dir, "missing"))).toEqual([]);
  });

  it("reads a message with cid images as data: URIs, and the raw bytes", async () => {
    await createOutboxMailer({ dir }).send(await sample());
    const [entry] = await listOutbox(dir);
    const mail = await readOutboxMessage(dir, entry?.id ?? "");
    expect(mail?.html).toContain('src="data:image/jpeg;base64,');
    expect(mail?.html).not.toContain("cid:");
    expect((await readOutboxRaw(dir, entry?.id ?? ""))?.subarray(0, 20).toString()).toMatch(/^[A-Za-z-]+: /);
  });

  it("refuses ids that could leave the folder", async () => {
    const outbox = join(dir, "outbox");
    mkdirSync(outbox);
    writeFileSync(join(dir, "secret.eml"), "Subject: secret\r\n\r\nsecret");
    for (const id of ["../secret", "..", "/etc/passwd", "a/b", "20250102T030405000Z-x/../../secret", ""]) {
      expect(isOutboxId(id)).toBe(false);
      expect(await readOutboxMessage(outbox, id)).toBeNull();
      expect(await readOutboxRaw(outbox, id)).toBeNull();
    }
    expect(await readOutboxRaw(outbox, "20250102T030405000Z-unknown")).toBeNull();
  });
});

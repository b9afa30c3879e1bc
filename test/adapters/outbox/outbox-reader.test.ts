import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createOutboxMailer } from "../../../src/adapters/outbox/mailer.js";
import {
  createOutboxReader,
  isOutboxId,
  listOutbox,
  readOutboxMessage,
  readOutboxRaw,
} from "../../../src/adapters/outbox/outbox-reader.js";
import { sampleOutgoingMail as sample, steppingClock } from "../../support/outbox.js";
import { useTempDir } from "../../support/use-temp-dir.js";

describe("outbox reader", () => {
  const temp = useTempDir("outbox-");

  it("lists newest first with subject, addresses, date and size", async () => {
    const mailer = createOutboxMailer({ dir: temp.dir, now: steppingClock() });
    await mailer.send(await sample("cthr_old"));
    await mailer.send(await sample("cthr_new"));
    writeFileSync(join(temp.dir, "notes.txt"), "ignored");
    writeFileSync(join(temp.dir, "not-an-id.eml"), "ignored");
    const entries = await listOutbox(temp.dir);
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
    expect(await listOutbox(join(temp.dir, "missing"))).toEqual([]);
  });

  it("reads a message with cid images as data: URIs, and the raw bytes", async () => {
    await createOutboxMailer({ dir: temp.dir }).send(await sample());
    const [entry] = await listOutbox(temp.dir);
    const mail = await readOutboxMessage(temp.dir, entry?.id ?? "");
    expect(mail?.html).toContain('src="data:image/jpeg;base64,');
    expect(mail?.html).not.toContain("cid:");
    expect((await readOutboxRaw(temp.dir, entry?.id ?? ""))?.subarray(0, 20).toString()).toMatch(
      /^[A-Za-z-]+: /,
    );
  });

  it("refuses ids that could leave the folder", async () => {
    const outbox = join(temp.dir, "outbox");
    mkdirSync(outbox);
    writeFileSync(join(temp.dir, "secret.eml"), "Subject: secret\r\n\r\nsecret");
    for (const id of ["../secret", "..", "/etc/passwd", "a/b", "20250102T030405000Z-x/../../secret", ""]) {
      expect(isOutboxId(id)).toBe(false);
      expect(await readOutboxMessage(outbox, id)).toBeNull();
      expect(await readOutboxRaw(outbox, id)).toBeNull();
    }
    expect(await readOutboxRaw(outbox, "20250102T030405000Z-unknown")).toBeNull();
  });
});

describe("createOutboxReader", () => {
  const temp = useTempDir("outbox-");

  it("lists, reads decoded headers with ready-to-show HTML, and returns the raw bytes", async () => {
    await createOutboxMailer({ dir: temp.dir }).send(await sample("cthr_reader"));
    const reader = createOutboxReader({ dir: temp.dir });
    const [entry] = await reader.list();
    const id = entry?.id ?? "";
    const message = await reader.read(id);
    expect(message?.subject).toBe("New lead: Maria Lopez - 2012 Honda Civic, seat repair (2 photos)");
    expect(message?.from).toContain("leads@craigs-upholstery.example");
    expect(message?.to).toContain("owner@craigs-upholstery.example");
    expect(message?.date).toBeInstanceOf(Date);
    expect(message?.html).toContain('src="data:image/jpeg;base64,');
    expect(message?.text).toContain("Maria");
    expect(Buffer.from((await reader.readRaw(id)) ?? []).toString()).toContain(
      "Message-ID: <lead-cthr_reader@",
    );
    expect(await reader.read("../secret")).toBeNull();
    expect(await reader.readRaw("../secret")).toBeNull();
  });
});

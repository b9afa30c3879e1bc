import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  createOutboxMailer,
  outboxTimestamp,
  sanitizeMessageId,
} from "../../../src/adapters/outbox/mailer.js";
import { isOutboxId } from "../../../src/adapters/outbox/outbox-reader.js";
import { runMailerContract } from "../../contracts/mailer.contract.js";
import { sampleOutgoingMail as sample, steppingClock } from "../../support/outbox.js";
import { makeTempDir } from "../../support/temp-dir.js";
import { useTempDir } from "../../support/use-temp-dir.js";

/** The outbox mailer over a fresh folder (which it creates), its messages read back in order. */
function outboxFixture(fsync: boolean) {
  return async () => {
    const root = makeTempDir("outbox-");
    const dir = join(root.dir, "nested", "outbox");
    return {
      mailer: createOutboxMailer({ dir, now: steppingClock(), fsync }),
      async received() {
        const names = readdirSync(dir)
          .filter((n) => n.endsWith(".eml"))
          .sort();
        return names.map((n) => readFileSync(join(dir, n)));
      },
      async teardown() {
        root.remove();
      },
    };
  };
}

runMailerContract("outbox", outboxFixture(false));
runMailerContract("outbox with fsync", outboxFixture(true));

describe("outbox mailer", () => {
  const temp = useTempDir("outbox-");

  it("names files <timestamp>-<message id>.eml and leaves no temporary files", async () => {
    const mailer = createOutboxMailer({ dir: temp.dir, now: () => Date.UTC(2025, 0, 2, 3, 4, 5, 678) });
    await mailer.send(await sample());
    expect(readdirSync(temp.dir)).toEqual([
      "20250102T030405678Z-lead-cthr_abc123@craigs-upholstery.example.eml",
    ]);
  });

  it("with fsync, leaves the same single file and no temporary one", async () => {
    const mailer = createOutboxMailer({ dir: temp.dir, now: () => 0, fsync: true });
    const mail = await sample();
    await Promise.all([mailer.send(mail), mailer.send(mail)]);
    const names = readdirSync(temp.dir).sort();
    expect(names).toHaveLength(2);
    expect(names.every((n) => n.endsWith(".eml") && !n.startsWith("."))).toBe(true);
    expect(readFileSync(join(temp.dir, names[0] as string)).equals(Buffer.from(mail.raw))).toBe(true);
  });

  it("publishes the prepared copy by a hard link: its bytes are written once", async () => {
    const mail = await sample();
    const outbox = join(temp.dir, "outbox");
    const prepared = join(temp.dir, "prepared.eml");
    writeFileSync(prepared, mail.raw);
    for (const fsync of [false, true]) {
      await createOutboxMailer({ dir: outbox, now: () => (fsync ? 1 : 0), fsync }).send({
        ...mail,
        localPath: prepared,
      });
    }
    const names = readdirSync(outbox).sort();
    expect(names).toHaveLength(2);
    for (const name of names) expect(statSync(join(outbox, name)).ino).toBe(statSync(prepared).ino);
  });

  it("never overwrites a message sent in the same millisecond", async () => {
    const mailer = createOutboxMailer({ dir: temp.dir, now: () => 0 });
    const mail = await sample();
    await Promise.all([mailer.send(mail), mailer.send(mail), mailer.send(mail)]);
    const names = readdirSync(temp.dir).sort();
    expect(names).toHaveLength(3);
    expect(names.every((n) => isOutboxId(n.replace(/\.eml$/, "")))).toBe(true);
  });

  it("sanitizes message ids into safe file names", () => {
    expect(sanitizeMessageId("<a/../b c@d>")).toBe("a_.._b_c@d");
    expect(sanitizeMessageId("<..>")).toBe("message");
    expect(outboxTimestamp(0)).toBe("19700101T000000000Z");
  });
});

import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { simpleParser } from "mailparser";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { composeLeadEmail } from "../../src/core/email/compose.js";
import type { Mailer } from "../../src/ports/mailer.js";
import { buildMime } from "../../src/services/mime.js";
import { sampleEmailInput, sampleSummary } from "../support/lead-email.js";
import { makeTempDir } from "../support/temp-dir.js";

/** What a Mailer contract run needs from an adapter. */
export interface MailerFixture {
  mailer: Mailer;
  /** Every message delivered so far, as the bytes the receiving side got, in delivery order. */
  received(): Promise<Buffer[]>;
  /** The transport replaces the Message-ID header with its own (SES): `send` answers that one. */
  assignsMessageId?: boolean;
  teardown(): Promise<void>;
}

async function leadMail(threadId = "cthr_contract") {
  const email = composeLeadEmail(sampleEmailInput({ threadId }));
  const raw = await buildMime(email);
  return { email, raw, mail: { raw, from: email.from, to: email.to, messageId: email.messageId } };
}

/** The Mailer contract: every adapter must deliver the composed bytes intact. */
export function runMailerContract(name: string, setup: () => Promise<MailerFixture>): void {
  describe(`Mailer contract: ${name}`, () => {
    let fixture: MailerFixture;
    beforeEach(async () => {
      fixture = await setup();
    });
    afterEach(async () => fixture.teardown());

    it("delivers a lead email that parses back to the same message", async () => {
      const { email, mail } = await leadMail();
      const result = await fixture.mailer.send(mail);
      // The Message-ID the recipients will see: the composed one, unless the transport puts its
      // own (SES), whose adapter test checks it is SES's.
      if (fixture.assignsMessageId) expect(result.messageId).toMatch(/^<[^<>\s@]+@[^<>\s@]+>$/);
      else expect(result.messageId).toBe(email.messageId);

      const delivered = await fixture.received();
      expect(delivered).toHaveLength(1);
      const parsed = await simpleParser(delivered[0] ?? Buffer.alloc(0), { skipImageLinks: true });
      expect(parsed.subject).toBe(email.subject);
      expect(parsed.messageId).toBe(email.messageId);
      expect(parsed.from?.value[0]?.address).toBe("leads@craigs-upholstery.example");
      expect([parsed.to ?? []].flat().flatMap((a) => a.value.map((v) => v.address))).toEqual(email.to);
      expect(parsed.replyTo?.value[0]?.address).toBe("maria@example.com");
      expect(parsed.headers.get("auto-submitted")).toBe("auto-generated");
      expect(parsed.text).toContain("Text Maria");
      for (const photo of email.inline) {
        expect(parsed.html).toContain(`cid:${photo.cid}`);
        const part = parsed.attachments.find((a) => a.cid === photo.cid);
        expect(part?.contentDisposition).toBe("inline");
        expect(part && Buffer.from(photo.bytes).equals(part.content)).toBe(true);
      }
    });

    it("delivers each message once, in order", async () => {
      const first = await leadMail("cthr_one");
      const second = await leadMail("cthr_two");
      await fixture.mailer.send(first.mail);
      await fixture.mailer.send(second.mail);
      const delivered = await fixture.received();
      expect(delivered).toHaveLength(2);
      const ids = await Promise.all(delivered.map(async (raw) => (await simpleParser(raw)).messageId));
      expect(ids).toEqual([first.email.messageId, second.email.messageId]);
    });

    it("keeps two sends of the same message apart", async () => {
      const { mail } = await leadMail();
      await fixture.mailer.send(mail);
      await fixture.mailer.send(mail);
      expect(await fixture.received()).toHaveLength(2);
    });

    it("delivers the bytes when localPath names a file holding them, and after that file is gone", async () => {
      const { mail } = await leadMail();
      const temp = makeTempDir("mailer-contract-");
      try {
        const localPath = join(temp.dir, "prepared.eml");
        writeFileSync(localPath, mail.raw);
        await fixture.mailer.send({ ...mail, localPath });
        rmSync(localPath);
        const [delivered] = await fixture.received();
        expect(delivered?.equals(mail.raw)).toBe(true);
      } finally {
        temp.remove();
      }
    });

    it("delivers raw, not the file, when localPath is missing or holds something else", async () => {
      const { mail } = await leadMail();
      const temp = makeTempDir("mailer-contract-");
      try {
        const other = join(temp.dir, "other.eml");
        writeFileSync(other, "Subject: not this one\r\n\r\nshort\r\n");
        await fixture.mailer.send({ ...mail, localPath: join(temp.dir, "gone.eml") });
        await fixture.mailer.send({ ...mail, localPath: other });
        const delivered = await fixture.received();
        expect(delivered.map((d) => d.equals(mail.raw))).toEqual([true, true]);
      } finally {
        temp.remove();
      }
    });

    it("delivers non-ASCII text intact", async () => {
      const email = composeLeadEmail(
        sampleEmailInput({
          summary: sampleSummary({ customer_name: "José Núñez 😀", summary: "Reparación — ¡sí!" }),
        }),
      );
      const raw = await buildMime(email);
      await fixture.mailer.send({ raw, from: email.from, to: email.to, messageId: email.messageId });
      const [delivered] = await fixture.received();
      const parsed = await simpleParser(delivered ?? Buffer.alloc(0));
      expect(parsed.subject).toContain("José Núñez 😀");
      expect(parsed.text).toContain("Reparación — ¡sí!");
    });
  });
}

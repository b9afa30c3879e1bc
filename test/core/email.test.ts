import { simpleParser } from "mailparser";
import { describe, expect, it } from "vitest";
import { composeLeadEmail, leadMessageId } from "../../src/core/email/compose.js";
import { buildMime } from "../../src/services/mime.js";
import { sampleEmailInput, samplePhoto, sampleSummary } from "../support/lead-email.js";

describe("lead email subject", () => {
  it("names the customer, the vehicle, the service and the photos", () => {
    const email = composeLeadEmail(sampleEmailInput());
    expect(email.subject).toBe("New lead: Maria Lopez - 2012 Honda Civic, seat repair (2 photos)");
  });

  it("says 1 photo, uses the item type without a vehicle, and drops unknown parts", () => {
    const boat = sampleEmailInput({
      summary: sampleSummary({ item_type: "boat", vehicle: null, service_category: "cushions_covers" }),
      attachments: [
        { name: "a.jpg", mimeType: "image/jpeg", url: "https://x.example/a", inline: null, note: null },
      ],
    });
    expect(composeLeadEmail(boat).subject).toBe("New lead: Maria Lopez - boat, cushions covers (1 photo)");

    const bare = sampleEmailInput({
      summary: sampleSummary({
        customer_name: null,
        vehicle: null,
        item_type: null,
        service_category: null,
        photo_count: 0,
      }),
      attachments: [],
    });
    expect(composeLeadEmail(bare).subject).toBe("New lead");
  });

  it("keeps a hostile name on one line, without control characters, and caps the length", () => {
    const name = `Eve\r\nBcc: evil@x.example\u0000\u0007 ${"A".repeat(300)}`;
    const email = composeLeadEmail(sampleEmailInput({ summary: sampleSummary({ customer_name: name }) }));
    expect([...email.subject].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f)).toBe(false);
    expect(email.subject.startsWith("New lead: Eve Bcc: evil@x.example A")).toBe(true);
    expect(Array.from(email.subject).length).toBeLessThanOrEqual(120);
    expect(email.subject.endsWith("…")).toBe(true);
  });
});

describe("lead email headers", () => {
  it("is auto-generated, carries the thread id and replies to the customer", () => {
    const email = composeLeadEmail(sampleEmailInput());
    expect(email.headers["Auto-Submitted"]).toBe("auto-generated");
    expect(email.headers["X-Lead-Thread-Id"]).toBe("cthr_abc123");
    expect(email.replyTo).toBe("maria@example.com");
  });

  it("drops a Reply-To that is not plainly an email address", () => {
    for (const bad of ["maria@example.com\r\nBcc: x@y.z", "not an email", "a@b", "<a@b.com>"]) {
      const email = composeLeadEmail(sampleEmailInput({ summary: sampleSummary({ email: bad }) }));
      expect(email.replyTo).toBeNull();
    }
  });

  it("has a deterministic Message-ID from the thread id and the sender's domain", () => {
    expect(composeLeadEmail(sampleEmailInput()).messageId).toBe(
      "<lead-cthr_abc123@craigs-upholstery.example>",
    );
    expect(leadMessageId("cthr_1", "leads@shop.example")).toBe("<lead-cthr_1@shop.example>");
    expect(leadMessageId("th/../x y<>@z", "Shop <a@shop.example>")).toBe("<lead-th_.._x_y___z@shop.example>");
    expect(leadMessageId("t", "no-domain")).toBe("<lead-t@lead-handoff.local>");
  });
});

describe("lead email HTML", () => {
  it("escapes customer text everywhere, attributes included", () => {
    const input = sampleEmailInput({
      summary: sampleSummary({
        customer_name: `<script>alert(1)</script> "Bob"`,
        service_details: `<img src=x onerror=alert(1)>`,
        summary: `Summary with <b>tags</b> & "quotes"`,
      }),
      diagnostics: { "<k>": "<v>" },
    });
    const first = input.attachments[0];
    if (first?.inline) first.inline.filename = `"><script>x</script>.jpg`;
    const html = composeLeadEmail(input).html;
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<img src=x");
    expect(html).not.toContain("<b>tags</b>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(html).toContain("&lt;k&gt;");
    expect(html).not.toMatch(/alt="[^"]*"><script/);
  });

  it("offers tel:, mailto: and a Text button for the customer's first name", () => {
    const html = composeLeadEmail(sampleEmailInput()).html;
    expect(html).toContain('href="tel:+15125550123"');
    expect(html).toContain('href="mailto:maria@example.com"');
    expect(html).toMatch(/<a href="http:\/\/localhost:8787\/sms\/tok_123"[^>]*>Text Maria<\/a>/);
    const anonymous = composeLeadEmail(sampleEmailInput({ summary: sampleSummary({ customer_name: null }) }));
    expect(anonymous.html).toContain(">Text the customer</a>");
  });

  it("only lets http(s) URLs become links", () => {
    const input = sampleEmailInput({
      smsLinkUrl: "javascript:alert(1)",
      attachments: [
        { name: "x.jpg", mimeType: "image/jpeg", url: "javascript:alert(2)", inline: null, note: "n" },
      ],
    });
    const html = composeLeadEmail(input).html;
    expect(html).not.toContain("javascript:");
    expect(html).not.toContain("Text Maria");
  });

  it("shows every inline photo by cid, the transcript, attachments and diagnostics", () => {
    const input = sampleEmailInput({ diagnostics: { utm_source: "google" } });
    const email = composeLeadEmail(input);
    expect(email.inline.map((p) => p.cid)).toEqual(["photo-1@lead-handoff", "photo-2@lead-handoff"]);
    for (const photo of email.inline) expect(email.html).toContain(`src="cid:${photo.cid}"`);
    expect(email.html).toContain('alt="Customer photo 1: seat-1.jpg"');
    expect(email.html).toContain(
      "Customer:</strong> My 2012 Honda Civic driver seat is torn.<br>Can you fix it?",
    );
    expect(email.html).toContain("Assistant:</strong>");
    expect(email.html).toContain(
      'href="http://localhost:8787/api/attachments?id=chatkit-attachments/att_3.pdf"',
    );
    expect(email.html).toContain("cthr_abc123");
    expect(email.html).toContain("utm_source");
    expect(email.html).toMatch(/Budget<\/td><td[^>]*><span[^>]*>missing<\/span>/);
  });
});

describe("lead email text part", () => {
  it("carries the same facts in plain text", () => {
    const text = composeLeadEmail(sampleEmailInput()).text;
    expect(text).toContain("Text Maria: http://localhost:8787/sms/tok_123");
    expect(text).toContain("Call: (512) 555-0123 (tel:+15125550123)");
    expect(text).toMatch(/Budget:\s+MISSING/);
    expect(text).toContain("Customer: My 2012 Honda Civic driver seat is torn.\n  Can you fix it?");
    expect(text).toContain("Trigger: idle");
  });
});

describe("lead email MIME", () => {
  it("parses back with subject, ids, headers, both parts and every inline photo", async () => {
    const email = composeLeadEmail(sampleEmailInput());
    const raw = await buildMime(email);
    const mail = await simpleParser(raw, { skipImageLinks: true });
    expect(mail.subject).toBe(email.subject);
    expect(mail.messageId).toBe("<lead-cthr_abc123@craigs-upholstery.example>");
    expect(mail.replyTo?.value[0]?.address).toBe("maria@example.com");
    expect(mail.headers.get("auto-submitted")).toBe("auto-generated");
    expect(mail.headers.get("x-lead-thread-id")).toBe("cthr_abc123");
    expect(mail.text).toContain("Text Maria");
    expect(mail.html).toContain('src="cid:photo-1@lead-handoff"');
    const parts = mail.attachments.map((a) => [a.cid, a.contentDisposition, a.contentType, a.related]);
    expect(parts).toEqual([
      ["photo-1@lead-handoff", "inline", "image/jpeg", true],
      ["photo-2@lead-handoff", "inline", "image/jpeg", true],
    ]);
    expect(
      Buffer.compare(mail.attachments[0]?.content ?? Buffer.alloc(0), Buffer.from(samplePhoto(1).bytes)),
    ).toBe(0);
  });

  it("nests text and the related HTML + photos in multipart/alternative", async () => {
    const raw = (await buildMime(composeLeadEmail(sampleEmailInput()))).toString("latin1");
    const types = [...raw.matchAll(/^Content-Type: ([a-z]+\/[a-z]+)/gim)].map((m) => m[1]);
    expect(types).toEqual([
      "multipart/alternative",
      "text/plain",
      "multipart/related",
      "text/html",
      "image/jpeg",
      "image/jpeg",
    ]);
    expect(raw.split("\r\n").every((line) => line.length <= 998)).toBe(true);
    expect(raw).not.toMatch(/[^\r]\n|\r[^\n]/); // CRLF only, as SMTP requires
  });

  it("encodes photos exactly as nodemailer's own encoder does", async () => {
    const sizes = [0, 1, 2, 57, 58, 76, 4000, 100_003];
    const input = sampleEmailInput({
      attachments: sizes.map((size, i) => {
        const inline = { ...samplePhoto(i), bytes: samplePhoto(i, size).bytes.subarray(0, size) };
        return {
          name: inline.filename,
          mimeType: "image/jpeg",
          url: "https://x.example/p",
          inline,
          note: null,
        };
      }),
    });
    const email = composeLeadEmail(input);
    const options = { date: new Date("2025-01-02T03:04:05Z"), baseBoundary: "fixed" };
    const fast = await buildMime(email, options);
    const reference = await buildMime(email, { ...options, fastBase64: false });
    expect(fast.equals(reference)).toBe(true);
  });
});

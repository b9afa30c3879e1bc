import { describe, expect, it } from "vitest";
import {
  detectPlatform,
  isSmsLinkTokenShape,
  newSmsLinkExpiry,
  type SmsLinkRecord,
  smsDraftBody,
  smsUri,
} from "../../src/core/sms-draft.js";
import { renderSmsErrorPage, renderSmsPage, SMS_PAGE_SCRIPT } from "../../src/core/sms-page.js";

const UA = {
  iphone:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
  ipad: "Mozilla/5.0 (iPad; CPU OS 16_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
  android:
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36",
  mac: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
  windows:
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
};

function record(overrides: Partial<SmsLinkRecord> = {}): SmsLinkRecord {
  return {
    token: "AbCdEfGhIjKlMnOpQrStUvWx",
    threadId: "thr_1",
    phone: "+15125550123",
    customerName: "Maria",
    body: "Hi Maria, this is Craig's Auto Upholstery about your seat repair request. ",
    createdAt: Date.UTC(2025, 5, 7),
    expiresAt: Date.UTC(2025, 5, 14),
    ...overrides,
  };
}

describe("smsDraftBody", () => {
  it("greets by first name, names the shop and the service", () => {
    expect(
      smsDraftBody({
        customerName: "Maria Lopez",
        shopName: "Craig's Auto Upholstery",
        service: "seat_repair",
      }),
    ).toBe("Hi Maria, this is Craig's Auto Upholstery about your seat repair request. ");
  });

  it("reads well without a name, shop or service", () => {
    expect(smsDraftBody({ customerName: null })).toBe("Hi, following up on your request. ");
    expect(smsDraftBody({ customerName: "  ", shopName: "Craig's", service: "other" })).toBe(
      "Hi, this is Craig's about your request. ",
    );
    expect(smsDraftBody({ customerName: "Al", shopName: "Craig's", service: "cushions_covers" })).toBe(
      "Hi Al, this is Craig's about your cushion and cover request. ",
    );
  });

  it("strips control characters from customer text", () => {
    expect(smsDraftBody({ customerName: "Ma\u0000ria\nX", shopName: "S" })).toBe(
      "Hi Ma, this is S about your request. ",
    );
  });
});

describe("smsUri", () => {
  it("uses &body= right after the number on iOS and ?body= on Android", () => {
    expect(smsUri("+15125550123", "Hi there", "ios")).toBe("sms:+15125550123&body=Hi%20there");
    expect(smsUri("+15125550123", "Hi there", "android")).toBe("sms:+15125550123?body=Hi%20there");
  });

  it("encodes &, #, ?, + and emoji in the body so they cannot end it early", () => {
    const body = "Seats & carpet #2? +1 🚗👍";
    const uri = smsUri("+15125550123", body, "ios");
    expect(uri).toBe(`sms:+15125550123&body=${encodeURIComponent(body)}`);
    const encoded = uri.slice("sms:+15125550123&body=".length);
    expect(encoded).not.toMatch(/[&#?+ ]/);
    expect(decodeURIComponent(encoded)).toBe(body);
  });

  it("keeps only + and digits of the number", () => {
    expect(smsUri("+1 (512) 555-0123&body=x", "b", "android")).toBe("sms:+15125550123?body=b");
  });
});

describe("detectPlatform", () => {
  it.each([
    [UA.iphone, "ios"],
    [UA.ipad, "ios"],
    [UA.android, "android"],
    [UA.mac, "desktop"],
    [UA.windows, "desktop"],
    ["", "desktop"],
    [undefined, "desktop"],
  ] as const)("%s -> %s", (ua, expected) => {
    expect(detectPlatform(ua)).toBe(expected);
  });
});

describe("token shape and expiry", () => {
  it("accepts base64url of 128+ bits and rejects the rest", () => {
    expect(isSmsLinkTokenShape("AbCdEfGhIjKlMnOpQrStUvWx")).toBe(true);
    expect(isSmsLinkTokenShape("Ab-_EfGhIjKlMnOpQrStUv")).toBe(true);
    expect(isSmsLinkTokenShape("short")).toBe(false);
    expect(isSmsLinkTokenShape("../x")).toBe(false);
    expect(isSmsLinkTokenShape("AbCdEfGhIjKlMnOpQrStUvW=")).toBe(false);
    expect(isSmsLinkTokenShape("A".repeat(65))).toBe(false);
  });

  it("adds whole days", () => {
    expect(newSmsLinkExpiry(1_000, 7)).toBe(1_000 + 7 * 86_400_000);
  });
});

describe("renderSmsPage", () => {
  const evil = "<img src=x onerror=alert(1)>";

  it("escapes a hostile name and body everywhere", () => {
    for (const platform of ["ios", "android", "desktop"] as const) {
      const html = renderSmsPage({
        record: record({ customerName: evil, body: `Hi ${evil} "q"` }),
        platform,
      });
      expect(html).not.toContain("<img");
      expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
      expect(html).not.toContain('"q"');
    }
  });

  it("gives phones an Open Messages link, a tel: link and an auto-open", () => {
    const html = renderSmsPage({ record: record(), platform: "ios" });
    expect(html).toContain('id="open-sms" href="sms:+15125550123&amp;body=Hi%20Maria%2C');
    expect(html).toContain('href="tel:+15125550123"');
    expect(html).toContain("+1 512-555-0123");
    expect(html).toContain('<body data-auto-open="1">');
    expect(html).toContain("Craig&#39;s Auto Upholstery");
    const android = renderSmsPage({ record: record(), platform: "android" });
    expect(android).toContain('href="sms:+15125550123?body=Hi%20Maria');
  });

  it("gives desktops the number, the message and copy buttons, without auto-open", () => {
    const html = renderSmsPage({ record: record(), platform: "desktop" });
    expect(html).toContain('id="sms-phone"');
    expect(html).toContain('data-copy="sms-phone"');
    expect(html).toContain('data-copy="sms-body"');
    expect(html).toContain('href="tel:+15125550123"');
    expect(html).toContain("<body>");
    // Kept for an iPad that says it is a Mac; the script reveals it.
    expect(html).toMatch(/id="open-sms" href="sms:[^"]+" hidden>/);
  });

  it("ships a script that parses", () => {
    expect(() => new Function(SMS_PAGE_SCRIPT)).not.toThrow();
  });

  it("loads nothing from elsewhere", () => {
    const html = renderSmsPage({ record: record(), platform: "desktop" });
    expect(html).not.toMatch(/\b(src|href)="(https?:)?\/\//);
    expect(html).not.toMatch(/ style="/);
  });
});

describe("renderSmsErrorPage", () => {
  it("explains an expired link and points to the lead email", () => {
    const html = renderSmsErrorPage("expired", { ttlDays: 7 });
    expect(html).toContain("This link has expired");
    expect(html).toContain("7 days");
    expect(html).toContain("lead email has the customer&#39;s number");
    expect(html).not.toContain("<script");
  });

  it("explains an unknown link", () => {
    expect(renderSmsErrorPage("not_found")).toContain("This link does not work");
  });
});

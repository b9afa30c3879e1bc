import { createHash } from "node:crypto";
import { Hono } from "hono";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSqliteDatabase, type SqliteDatabase } from "../../src/adapters/sqlite/database.js";
import { createSqliteTokenStore } from "../../src/adapters/sqlite/token-store.js";
import { createSmsRoutes } from "../../src/http/routes/sms.js";
import { createSmsLinkService, type SmsLinkService } from "../../src/services/sms-links.js";
import { createFakeClock, type FakeClock } from "../support/fake-clock.js";

const UA = {
  iphone:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
  android:
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36",
  desktop:
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
};
const DAY = 86_400_000;

/** Decodes the few entities the renderer emits inside attributes. */
function unescapeAttr(value: string): string {
  return value
    .replace(/&amp;/g, "&")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");
}

function smsHref(html: string): string {
  const match = /id="open-sms" href="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error("no Open Messages link");
  return unescapeAttr(match[1]);
}

describe("GET /sms/:token", () => {
  let db: SqliteDatabase;
  let clock: FakeClock;
  let smsLinks: SmsLinkService;
  let app: Hono;
  let path: string;

  beforeEach(async () => {
    db = openSqliteDatabase({ path: ":memory:" });
    clock = createFakeClock(Date.UTC(2025, 5, 7, 15, 0, 0));
    smsLinks = createSmsLinkService({
      tokenStore: createSqliteTokenStore({ db }),
      clock,
      publicBaseUrl: "https://chat.example.com/",
      ttlDays: 7,
      shopName: "Craig's Auto Upholstery",
    });
    app = new Hono().route("/sms", createSmsRoutes({ smsLinks }));
    const url = await smsLinks.create({
      threadId: "thr_1",
      phone: "+15125550123",
      customerName: "Maria & <b>Co</b>",
      service: "seat_repair",
    });
    path = new URL(url).pathname;
  });
  afterEach(() => db.close());

  const get = (p: string, ua = UA.iphone, method = "GET") =>
    app.request(p, { method, headers: { "User-Agent": ua } });

  it("issues an opaque link with 128+ random bits and no phone in it", async () => {
    expect(path).toMatch(/^\/sms\/[A-Za-z0-9_-]{24}$/);
    expect(path).not.toContain("5550123");
    const other = await smsLinks.create({
      threadId: "t2",
      phone: "+15125550123",
      customerName: null,
      service: null,
    });
    expect(other).toMatch(/^https:\/\/chat\.example\.com\/sms\//);
    expect(new URL(other).pathname).not.toBe(path);
  });

  it("rejects a phone that is not E.164", async () => {
    await expect(
      smsLinks.create({ threadId: "t", phone: "512-555-0123", customerName: null, service: null }),
    ).rejects.toMatchObject({ code: "invalid_phone" });
  });

  it("serves iPhones the &body= link and a tel: link, with safe headers", async () => {
    const res = await get(path, UA.iphone);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    expect(res.headers.get("Referrer-Policy")).toBe("no-referrer");
    expect(res.headers.get("X-Robots-Tag")).toContain("noindex");
    const csp = res.headers.get("Content-Security-Policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toContain("unsafe-inline");

    const html = await res.text();
    const href = smsHref(html);
    expect(href.startsWith("sms:+15125550123&body=")).toBe(true);
    expect(decodeURIComponent(href.split("&body=")[1] ?? "")).toBe(
      "Hi Maria, this is Craig's Auto Upholstery about your seat repair request. ",
    );
    expect(html).toContain('href="tel:+15125550123"');
    expect(html).toContain("Maria &amp; &lt;b&gt;Co&lt;/b&gt;");
    expect(html).not.toContain("<b>Co");
  });

  it("allows exactly the inline script and style it serves, by hash", async () => {
    const res = await get(path, UA.desktop);
    const csp = res.headers.get("Content-Security-Policy") ?? "";
    const html = await res.text();
    const hash = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1];
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1];
    expect(script && style).toBeTruthy();
    expect(csp).toContain(`script-src ${hash(script ?? "")}`);
    expect(csp).toContain(`style-src ${hash(style ?? "")}`);
  });

  it("serves Android the ?body= form", async () => {
    const html = await (await get(path, UA.android)).text();
    expect(smsHref(html)).toMatch(/^sms:\+15125550123\?body=Hi%20Maria/);
  });

  it("shows desktops the number and copy buttons", async () => {
    const res = await get(path, UA.desktop);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("+1 512-555-0123");
    expect(html).toMatch(/<button[^>]*data-copy="sms-phone"/);
    expect(html).toMatch(/<button[^>]*data-copy="sms-body"/);
    expect(html).toContain('href="tel:+15125550123"');
  });

  it("answers HEAD with 200 and no body", async () => {
    const res = await get(path, UA.iphone, "HEAD");
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    expect(await res.text()).toBe("");
  });

  it("is prefetch-safe: GET and HEAD change nothing", async () => {
    const rows = () => db.prepare("SELECT * FROM sms_link_tokens ORDER BY token").all();
    const before = rows();
    await get(path, UA.desktop, "HEAD");
    const first = await (await get(path)).text();
    const second = await (await get(path)).text();
    expect(second).toBe(first);
    expect(rows()).toEqual(before);
    expect(before).toHaveLength(1);
  });

  it("answers 404 for an unknown token", async () => {
    const res = await get("/sms/AbCdEfGhIjKlMnOpQrStUvWx");
    expect(res.status).toBe(404);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    expect(await res.text()).toContain("This link does not work");
  });

  it("answers 404 for malformed tokens without reading the store", async () => {
    let reads = 0;
    const counting = createSmsLinkService({
      tokenStore: {
        put: async () => {},
        get: async () => {
          reads += 1;
          return null;
        },
        prune: async () => 0,
      },
      clock,
      publicBaseUrl: "https://chat.example.com",
      ttlDays: 7,
      shopName: "S",
    });
    const probe = new Hono().route("/sms", createSmsRoutes({ smsLinks: counting }));
    for (const bad of [
      "/sms/..%2Fx",
      "/sms/short",
      `/sms/${"A".repeat(200)}`,
      "/sms/AbCdEfGhIjKl%00nOpQrStUvWx",
    ]) {
      const res = await probe.request(bad);
      expect(res.status, bad).toBe(404);
    }
    expect((await app.request("/sms/../x")).status).toBe(404);
    expect(reads).toBe(0);
  });

  it("answers 410 once the link is older than the TTL, and 200 just before", async () => {
    clock.advance(7 * DAY - 1);
    expect((await get(path)).status).toBe(200);
    clock.advance(1);
    const res = await get(path);
    expect(res.status).toBe(410);
    const html = await res.text();
    expect(html).toContain("This link has expired");
    expect(html).toContain("7 days");
    expect(html).not.toContain("5550123");
  });
});

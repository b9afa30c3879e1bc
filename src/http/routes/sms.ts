import { createHash } from "node:crypto";
import { Hono } from "hono";
import { detectPlatform } from "../../core/sms-draft.js";
import { renderSmsErrorPage, renderSmsPage, SMS_PAGE_SCRIPT, SMS_PAGE_STYLE } from "../../core/sms-page.js";
import type { SmsLinkService } from "../../services/sms-links.js";

/** Options of {@link createSmsRoutes}. */
export interface SmsRoutesOptions {
  /** From `createSmsLinkService`. */
  smsLinks: SmsLinkService;
}

function cspHash(source: string): string {
  return `'sha256-${createHash("sha256").update(source, "utf8").digest("base64")}'`;
}

/**
 * The page's inline style and script are static, so their hashes are too: the CSP allows exactly
 * them and nothing else (no network, no frames, no forms).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src ${cspHash(SMS_PAGE_STYLE)}`,
  `script-src ${cspHash(SMS_PAGE_SCRIPT)}`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const HEADERS: Record<string, string> = {
  // The page holds a customer's number: no shared caches, no back-forward cache copies.
  "Cache-Control": "no-store",
  // The token is in the URL; never send it on to anyone.
  "Referrer-Policy": "no-referrer",
  "X-Robots-Tag": "noindex, nofollow",
  "X-Content-Type-Options": "nosniff",
  "Content-Security-Policy": CONTENT_SECURITY_POLICY,
  // The layout depends on the device.
  Vary: "User-Agent",
};

/**
 * `GET /sms/:token` (mount at `/sms`): the click-safe "text the customer back" page. Read-only
 * by design: mail scanners prefetch links with GET and HEAD (Hono answers HEAD by running this
 * handler and dropping the body), so nothing here may change state.
 */
export function createSmsRoutes(options: SmsRoutesOptions): Hono {
  const { smsLinks } = options;
  const app = new Hono();

  app.get("/:token", async (c) => {
    const result = await smsLinks.open(c.req.param("token"));
    for (const [name, value] of Object.entries(HEADERS)) c.header(name, value);
    if (result.status === 200) {
      const platform = detectPlatform(c.req.header("User-Agent"));
      return c.html(renderSmsPage({ record: result.record, platform }), 200);
    }
    const kind = result.status === 410 ? "expired" : "not_found";
    return c.html(renderSmsErrorPage(kind, { ttlDays: smsLinks.ttlDays }), result.status);
  });

  return app;
}

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, BrowserContext, BrowserContextOptions, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SmsLinkRecord, type SmsPlatform, smsUri } from "../../src/core/sms-draft.js";
import { renderSmsPage } from "../../src/core/sms-page.js";
import { CONTENT_SECURITY_POLICY } from "../../src/http/routes/sms.js";
import { launchBrowser, waitUntil } from "../support/browser.js";

/**
 * The text-back page's inline script, run for real: Chromium loads the page as `renderSmsPage`
 * renders it, under the same hash-based CSP the `/sms/:token` route sends, from a tiny HTTP
 * server. The script is checked for what it does (reveal, copy, auto-open, iPad fix), not only
 * that it parses.
 */

const UA = {
  iphone:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
  android:
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36",
  mac: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
  windows:
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
};

const PHONE = "+15125550123";
const SHOWN_PHONE = "+1 512-555-0123";
/** Characters HTML and URIs care about, so a copy or link that mangles them shows. */
const BODY = `Hi Maria, this is Craig's Auto Upholstery about your seat & carpet request <b>"2"</b> #1 🚗 `;

const RECORD: SmsLinkRecord = {
  token: "AbCdEfGhIjKlMnOpQrStUvWx",
  threadId: "cthr_sms",
  phone: PHONE,
  customerName: "Maria Lopez",
  body: BODY,
  createdAt: Date.UTC(2025, 5, 7),
  expiresAt: Date.UTC(2025, 5, 14),
};

/** A host name that is not a secure origin; the browser reaches it through our server as a proxy. */
const INSECURE_HOST = "sms-page.test";

/** Serves `/sms/<platform>` (also as a plain HTTP proxy target for INSECURE_HOST). */
function startPageServer(): Promise<{ server: Server; origin: string }> {
  const server = createServer((request, response) => {
    // Proxied requests carry an absolute URL; direct ones a path.
    const path = new URL(request.url ?? "/", "http://placeholder").pathname;
    const platform = /^\/sms\/(ios|android|desktop)$/.exec(path)?.[1] as SmsPlatform | undefined;
    if (!platform) {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    response
      .writeHead(200, {
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-store",
        "content-security-policy": CONTENT_SECURITY_POLICY,
      })
      .end(renderSmsPage({ record: RECORD, platform }));
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, origin: `http://127.0.0.1:${port}` });
    });
  });
}

/** Makes the page see `maxTouchPoints` (an iPad reports 5; Chromium's desktop default is 0). */
const touchPointsScript = (points: number) =>
  `Object.defineProperty(Navigator.prototype, "maxTouchPoints", { get: () => ${points}, configurable: true });`;

/** Records which copy path the page took: `navigator.clipboard.writeText` or `execCommand`. */
const RECORD_COPY_CALLS = `(() => {
  window.__writes = [];
  window.__execCommands = [];
  const clipboard = navigator.clipboard;
  if (clipboard) {
    const writeText = clipboard.writeText.bind(clipboard);
    clipboard.writeText = (text) => { window.__writes.push(text); return writeText(text); };
  }
  const execCommand = document.execCommand.bind(document);
  document.execCommand = (command, ...rest) => { window.__execCommands.push(command); return execCommand(command, ...rest); };
})();`;

interface Opened {
  context: BrowserContext;
  page: Page;
  /** Every `sms:` navigation the page asked for. */
  smsRequests: string[];
  /** Console errors (a CSP refusal shows here) and uncaught page errors. */
  errors: string[];
}

describe("SMS page script in Chromium", () => {
  let browser: Browser;
  let server: Server;
  let origin: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    ({ server, origin } = await startPageServer());
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  async function open(
    url: string,
    options: BrowserContextOptions & { initScripts?: string[]; clipboard?: boolean } = {},
  ): Promise<Opened> {
    const { initScripts = [], clipboard = false, ...contextOptions } = options;
    const context = await browser.newContext(contextOptions);
    contexts.push(context);
    if (clipboard) await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin });
    for (const script of initScripts) await context.addInitScript(script);
    const page = await context.newPage();
    // Fail fast (a hidden button would otherwise be waited for until the test times out).
    page.setDefaultTimeout(5_000);
    const smsRequests: string[] = [];
    const errors: string[] = [];
    page.on("request", (request) => {
      if (request.url().startsWith("sms:")) smsRequests.push(request.url());
    });
    page.on("console", (message) => {
      // Chromium lets a page launch an external app (sms:) without a user gesture only once in a
      // while, and logs this when it throttles one; the attempt itself is what the tests check.
      if (message.type() === "error" && !message.text().startsWith("Not allowed to launch 'sms:")) {
        errors.push(message.text());
      }
    });
    page.on("pageerror", (error) => errors.push(String(error)));
    // "commit": a phone page navigates away to sms: while it loads, so "load" may never come.
    await page.goto(url, { waitUntil: "commit" });
    await page.locator("#copy-status").waitFor({ state: "attached" });
    await page.waitForFunction(() => document.readyState !== "loading");
    return { context, page, smsRequests, errors };
  }

  /** A page on the secure origin that may read the (browser-wide) clipboard. */
  async function clipboardReader(): Promise<{ read(): Promise<string>; write(text: string): Promise<void> }> {
    const context = await browser.newContext();
    contexts.push(context);
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin });
    const page = await context.newPage();
    await page.goto(`${origin}/sms/desktop`);
    return {
      async read() {
        await page.bringToFront();
        return page.evaluate(() => navigator.clipboard.readText());
      },
      async write(text) {
        await page.bringToFront();
        await page.evaluate((t) => navigator.clipboard.writeText(t), text);
      },
    };
  }

  const status = (page: Page) => page.locator("#copy-status");
  const copyNumber = (page: Page) => page.getByRole("button", { name: "Copy number" });
  const copyMessage = (page: Page) => page.getByRole("button", { name: "Copy message" });
  const openMessages = (page: Page) => page.locator("#open-sms");

  async function expectStatus(page: Page, text: string): Promise<void> {
    await waitUntil(async () => (await status(page).textContent()) === text, `status "${text}"`);
    expect(await status(page).textContent()).toBe(text);
  }

  /** Gives a would-be navigation time to be reported; the script runs while the page parses. */
  const settle = (page: Page) => page.waitForTimeout(300);

  it("desktop: reveals the copy buttons and copies number and message with the clipboard API", async () => {
    const { page, smsRequests, errors } = await open(`${origin}/sms/desktop`, {
      userAgent: UA.windows,
      clipboard: true,
      initScripts: [RECORD_COPY_CALLS],
    });
    expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
    // The server sends them hidden (useless without script); the script reveals them.
    expect(
      await page
        .locator("button[data-copy]")
        .evaluateAll((bs) => bs.map((b) => (b as HTMLButtonElement).hidden)),
    ).toEqual([false, false]);
    expect(await copyNumber(page).isVisible()).toBe(true);
    expect(await copyMessage(page).isVisible()).toBe(true);
    expect(await status(page).textContent()).toBe("");

    await copyNumber(page).click();
    await expectStatus(page, "Number copied.");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(SHOWN_PHONE);

    await copyMessage(page).click();
    await expectStatus(page, "Message copied.");
    // The exact drafted text: entities decoded, trailing space kept.
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(BODY);

    expect(await page.evaluate(() => (window as unknown as { __writes: string[] }).__writes)).toEqual([
      SHOWN_PHONE,
      BODY,
    ]);
    expect(
      await page.evaluate(() => (window as unknown as { __execCommands: string[] }).__execCommands),
    ).toEqual([]);

    // Desktop: no auto-open and no Messages button for a plain desktop browser.
    await settle(page);
    expect(await openMessages(page).isHidden()).toBe(true);
    expect(smsRequests).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("falls back to a textarea and execCommand on an insecure origin, which has no clipboard API", async () => {
    const reader = await clipboardReader();
    await reader.write("before");
    const { page, errors } = await open(`http://${INSECURE_HOST}/sms/desktop`, {
      proxy: { server: origin },
      initScripts: [RECORD_COPY_CALLS],
    });
    // A real insecure context: the clipboard API does not exist here.
    expect(await page.evaluate(() => [window.isSecureContext, typeof navigator.clipboard])).toEqual([
      false,
      "undefined",
    ]);
    expect(await copyNumber(page).isVisible()).toBe(true);

    await page.bringToFront();
    await copyNumber(page).click();
    await expectStatus(page, "Number copied.");
    expect(await reader.read()).toBe(SHOWN_PHONE);

    await page.bringToFront();
    await copyMessage(page).click();
    await expectStatus(page, "Message copied.");
    expect(await reader.read()).toBe(BODY);

    expect(
      await page.evaluate(() => (window as unknown as { __execCommands: string[] }).__execCommands),
    ).toEqual(["copy", "copy"]);
    // The helper textarea is gone again.
    expect(await page.locator("textarea").count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it("falls back to execCommand when the clipboard API refuses", async () => {
    const refuse = `navigator.clipboard.writeText = () => Promise.reject(new DOMException("denied", "NotAllowedError"));`;
    const { page } = await open(`${origin}/sms/desktop`, {
      clipboard: true,
      initScripts: [refuse, RECORD_COPY_CALLS],
    });
    await copyMessage(page).click();
    await expectStatus(page, "Message copied.");
    expect(await page.evaluate(() => (window as unknown as { __writes: string[] }).__writes)).toEqual([BODY]);
    expect(
      await page.evaluate(() => (window as unknown as { __execCommands: string[] }).__execCommands),
    ).toEqual(["copy"]);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(BODY);
  });

  it.each([
    ["execCommand answers false", "document.execCommand = () => false;"],
    ["execCommand throws", "document.execCommand = () => { throw new Error('copy is not allowed'); };"],
  ])("tells the owner to copy by hand when nothing can copy (%s)", async (_name, breakExec) => {
    const { page, errors } = await open(`http://${INSECURE_HOST}/sms/desktop`, {
      proxy: { server: origin },
      initScripts: [breakExec],
    });
    await copyNumber(page).click();
    await expectStatus(page, "Copy did not work; select the text and copy it.");
    expect(await page.locator("textarea").count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it.each([
    ["ios", UA.iphone, `sms:${PHONE}&body=`],
    ["android", UA.android, `sms:${PHONE}?body=`],
  ] as const)("%s: opens Messages with the drafted reply by itself", async (platform, userAgent, prefix) => {
    const { page, smsRequests, errors } = await open(`${origin}/sms/${platform}`, {
      userAgent,
      hasTouch: true,
      isMobile: true,
    });
    await waitUntil(() => smsRequests.length > 0, "the sms: navigation");
    await settle(page);
    expect(smsRequests).toHaveLength(1);
    const [requested = ""] = smsRequests;
    expect(requested.startsWith(prefix), requested).toBe(true);
    // Chromium may re-encode a character or two; the decoded text must be the exact draft.
    expect(decodeURIComponent(requested)).toBe(decodeURIComponent(smsUri(PHONE, BODY, platform)));
    expect(decodeURIComponent(requested.slice(prefix.length))).toBe(BODY);
    // The page itself stays, with its button for a second try.
    expect(await openMessages(page).isVisible()).toBe(true);
    expect(await openMessages(page).getAttribute("href")).toBe(smsUri(PHONE, BODY, platform));
    expect(await copyNumber(page).isVisible()).toBe(true);
    expect(errors).toEqual([]);
  });

  it("desktop: shows Open Messages to an iPad posing as a Mac, without auto-opening", async () => {
    const { page, smsRequests, errors } = await open(`${origin}/sms/desktop`, {
      userAgent: UA.mac,
      hasTouch: true,
      initScripts: [touchPointsScript(5)],
    });
    expect(await page.evaluate(() => navigator.maxTouchPoints)).toBe(5);
    expect(await openMessages(page).isVisible()).toBe(true);
    await settle(page);
    expect(smsRequests).toEqual([]);
    // The revealed button uses the iOS form and works.
    await openMessages(page).click({ noWaitAfter: true });
    await waitUntil(() => smsRequests.length > 0, "the sms: navigation after the click");
    expect(smsRequests[0]?.startsWith(`sms:${PHONE}&body=`)).toBe(true);
    expect(errors).toEqual([]);
  });

  it.each([
    ["a plain Mac", UA.mac, 0],
    ["a Mac with one touch point", UA.mac, 1],
    ["a touch-screen Windows laptop", UA.windows, 10],
  ] as const)("desktop: keeps Open Messages hidden on %s", async (_name, userAgent, points) => {
    const { page, smsRequests, errors } = await open(`${origin}/sms/desktop`, {
      userAgent,
      initScripts: [touchPointsScript(points)],
    });
    expect(await page.evaluate(() => navigator.maxTouchPoints)).toBe(points);
    // The script did run (it revealed the copy buttons), yet left this one hidden.
    expect(await copyNumber(page).isVisible()).toBe(true);
    expect(await openMessages(page).isHidden()).toBe(true);
    expect(await openMessages(page).evaluate((a) => (a as HTMLAnchorElement).hidden)).toBe(true);
    await settle(page);
    expect(smsRequests).toEqual([]);
    expect(errors).toEqual([]);
  });
});

import { createServer as createNetServer } from "node:net";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { build } from "esbuild";
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { loadConfig } from "../../src/config.js";
import { createServices, type ServiceOverrides, type Services } from "../../src/entry/compose.js";
import { createApp } from "../../src/http/app.js";
import { silentLogger } from "../../src/ports/logger.js";
import { assertConformingResponse, type RequestType } from "./chatkit-conformance.js";
import { makeTempDir } from "./temp-dir.js";

/** Chromium flags for CI machines (no GPU, no sandbox, no background traffic). */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Debian's chromium unless CHROMIUM_PATH says otherwise. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Where screenshots go (gitignored). */
export const ARTIFACTS_DIR = "test-artifacts";

/** The widget bundle as the server would serve it: esbuild, one minified IIFE. */
export async function buildWidget(): Promise<string> {
  const result = await build({
    entryPoints: ["web/widget/index.ts"],
    bundle: true,
    minify: true,
    format: "iife",
    target: "es2020",
    write: false,
  });
  return result.outputFiles[0]?.text ?? "";
}

/** The test page: some host content, then the one-line embed snippet (same origin, like the demo). */
export const TEST_PAGE_PATH = "/__widget-test/page.html";
const TEST_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>Craig's Auto Upholstery</title>
<style>body{font:16px Georgia,serif;margin:0;padding:40px;background:#fafafa} *{box-sizing:content-box;color:green}</style>
</head><body><h1>Craig's Auto Upholstery</h1><p>Seats, headliners, convertible tops.</p>
<script src="/__widget-test/widget.js" data-api="" data-title="Craig's Auto Upholstery" async></script>
</body></html>`;

/** One call of POST /lead as the server saw it. */
export interface LeadCall {
  reason: string;
  lead_reason: string;
}

/** The real product on a known port, plus the test page and widget at the same origin. */
export interface BrowserTestServer {
  baseUrl: string;
  /** A hostile host page (its CSS tries to leak into the widget) with the test bundle. */
  pageUrl: string;
  /** The demo shop at `/`, embedding the real `/widget.js` the server builds. */
  demoUrl: string;
  outboxDir: string;
  services: Services;
  /** Every POST /lead answered so far, in order. */
  leadCalls: LeadCall[];
  /**
   * Every `POST /api/chatkit` answer (stream frames and JSON bodies) that did not match the official
   * protocol's schemas; suites fail a test that leaves any (see useBrowserSuite).
   */
  protocolViolations: string[];
  close(): Promise<void>;
}

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const address = probe.address();
  const port = typeof address === "object" && address ? address.port : 0;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

let widgetSource: Promise<string> | undefined;

/**
 * Starts the product like `npm start` on a port known up front, so PUBLIC_BASE_URL (and the
 * `upload_url`s it yields) point at this very server, and serves the test page and bundle from it.
 */
export async function startBrowserServer(
  env: Record<string, string> = {},
  overrides: ServiceOverrides = {},
): Promise<BrowserTestServer> {
  widgetSource ??= buildWidget();
  const widget = await widgetSource;
  const temp = makeTempDir();
  // A port chosen by the test (env PORT) lets it name this server in other settings up front.
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const config = loadConfig({ DATA_DIR: temp.dir, PORT: String(port), PUBLIC_BASE_URL: baseUrl, ...env });
  const services = await createServices(config, silentLogger, overrides);
  const app = createApp(services);
  const leadCalls: LeadCall[] = [];
  const protocolViolations: string[] = [];
  /** Checks one ChatKit answer against the official schemas, off the response's path. */
  const checkProtocol = async (type: string, response: Response) => {
    try {
      const text = await response.text();
      if (response.status !== 200) return;
      const streamed = (response.headers.get("content-type") ?? "").includes("text/event-stream");
      assertConformingResponse(type as RequestType, streamed ? text : JSON.parse(text));
    } catch (error) {
      protocolViolations.push(`${type}: ${(error as Error).message}`);
    }
  };
  const server = serve({
    port,
    hostname: "127.0.0.1",
    fetch: async (request: Request) => {
      const path = new URL(request.url).pathname;
      if (path === TEST_PAGE_PATH)
        return new Response(TEST_PAGE, { headers: { "content-type": "text/html" } });
      if (path === "/__widget-test/widget.js")
        return new Response(widget, { headers: { "content-type": "text/javascript" } });
      if (path === "/api/chatkit" && request.method === "POST") {
        const type = String(
          (
            (await request
              .clone()
              .json()
              .catch(() => ({}))) as { type?: string }
          ).type,
        );
        const response = await app.fetch(request);
        void checkProtocol(type, response.clone());
        return response;
      }
      if (path !== "/lead" || request.method !== "POST") return app.fetch(request);
      const body = await request.clone().text();
      const response = await app.fetch(request);
      const answer = (await response.clone().json()) as { lead_reason?: string };
      let reason = "?";
      try {
        reason = String((JSON.parse(body) as { reason?: string }).reason);
      } catch {}
      leadCalls.push({ reason, lead_reason: answer.lead_reason ?? `http_${response.status}` });
      return response;
    },
  });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  return {
    baseUrl,
    pageUrl: `${baseUrl}${TEST_PAGE_PATH}`,
    demoUrl: `${baseUrl}/`,
    outboxDir: join(temp.dir, "outbox"),
    services,
    leadCalls,
    protocolViolations,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await services.close();
      temp.remove();
    },
  };
}

/** Launches Debian chromium headless; `launch` gives every browser a fresh temporary profile. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/** What `useBrowserSuite` hands a suite: the shared browser and servers that close after each test. */
export interface BrowserSuite {
  /** The suite's browser, launched in `beforeAll` (reading it earlier throws). */
  readonly browser: Browser;
  /** Starts the product (see `startBrowserServer`); it is closed after the current test. */
  start(env?: Record<string, string>, overrides?: ServiceOverrides): Promise<BrowserTestServer>;
}

/**
 * Registers the hooks every browser suite repeats: one chromium per suite (launched in `beforeAll`,
 * closed in `afterAll`) and every server a test starts closed in `afterEach`. Call it inside `describe`.
 */
export function useBrowserSuite(): BrowserSuite {
  let browser: Browser | undefined;
  const servers: BrowserTestServer[] = [];
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => browser?.close());
  afterEach(async () => {
    const violations = servers.flatMap((server) => server.protocolViolations);
    for (const server of servers.splice(0)) await server.close();
    // Every frame the widget received in the test must be what the official protocol allows.
    expect(violations).toEqual([]);
  });
  return {
    get browser() {
      if (!browser) throw new Error("the browser is launched in beforeAll; use it inside a test");
      return browser;
    },
    async start(env = {}, overrides = {}) {
      const server = await startBrowserServer(env, overrides);
      servers.push(server);
      return server;
    },
  };
}

/** A fresh context (own storage) and page that records console output. */
export async function openPage(
  browser: Browser,
  viewport = { width: 1280, height: 800 },
): Promise<{ context: BrowserContext; page: Page; logs: string[] }> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const logs: string[] = [];
  page.on("console", (message) => logs.push(message.text()));
  return { context, page, logs };
}

/** Locators into the widget's shadow DOM (Playwright's CSS pierces open shadow roots). */
export function widget(page: Page) {
  const root = page.locator("lead-chat");
  return {
    launcher: root.locator(".launcher"),
    panel: root.locator(".panel"),
    input: root.locator("textarea"),
    file: root.locator("input[type=file]"),
    alert: root.locator(".error"),
    thumbs: root.locator(".thumb"),
    replies: root.locator("li.assistant:not(.greeting):not(.typing)"),
    userMessages: root.locator("li.user"),
    newConversation: root.getByRole("button", { name: "New conversation" }),
    close: root.getByRole("button", { name: "Close chat" }),
  };
}

async function waitForCount(locator: Locator, atLeast: number, timeout = 10_000): Promise<void> {
  const until = Date.now() + timeout;
  while ((await locator.count()) < atLeast) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${atLeast} of ${locator}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Types a message, presses Enter and waits until the assistant's reply is complete. */
export async function say(page: Page, text: string): Promise<string> {
  const w = widget(page);
  const before = await w.replies.count();
  await w.input.fill(text);
  await w.input.press("Enter");
  await waitForCount(w.replies, before + 1);
  const reply = w.replies.nth(before);
  await page.locator("lead-chat li[aria-busy]").waitFor({ state: "detached" });
  return (await reply.textContent()) ?? "";
}

/** Waits until `predicate` holds (polling), or fails with `what`. */
export async function waitUntil(predicate: () => boolean | Promise<boolean>, what: string, timeout = 10_000) {
  const until = Date.now() + timeout;
  while (!(await predicate())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The outbox helpers, here too for the browser suites. */
export { outboxEmails, parseEmail } from "./outbox.js";

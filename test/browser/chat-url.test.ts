import { describe, expect, it } from "vitest";
import {
  freePort,
  openPage,
  outboxEmails,
  say,
  useBrowserSuite,
  waitUntil,
  widget,
} from "../support/browser.js";

/**
 * On AWS the chat streams from a Function URL of its own, another origin than the API: the page's
 * snippet names it with `data-chat-url` (the server writes it from CHAT_URL). Here the other origin
 * is the same server under `localhost` while the page is on `127.0.0.1`.
 */
describe("widget: a chat endpoint on another origin (data-chat-url)", () => {
  const suite = useBrowserSuite();

  it("sends ChatKit requests there and everything else to data-api, and the lead still goes out", async () => {
    const port = await freePort();
    const chatOrigin = `http://localhost:${port}`;
    const srv = await suite.start({
      PORT: String(port),
      CHAT_URL: chatOrigin,
      ALLOWED_ORIGINS: `http://127.0.0.1:${port},${chatOrigin}`,
    });
    const { page, context } = await openPage(suite.browser);
    const requests: string[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST") requests.push(request.url());
    });
    await page.goto(srv.demoUrl);
    expect(await page.locator("script[data-chat-url]").getAttribute("data-chat-url")).toBe(chatOrigin);

    await widget(page).launcher.click();
    expect(await say(page, "Hi, the driver seat on my 2012 Honda Civic is torn")).not.toBe("");
    await say(page, "I'm Maria Lopez, 512-555-0123");
    await widget(page).close.click();
    await waitUntil(() => srv.leadCalls.length > 0, "the chat_closed trigger");

    const chat = requests.filter((url) => new URL(url).pathname === "/api/chatkit");
    expect(chat.length).toBeGreaterThan(0);
    expect(chat.every((url) => url.startsWith(`${chatOrigin}/`))).toBe(true);
    const others = requests.filter((url) => new URL(url).pathname !== "/api/chatkit");
    expect(others.some((url) => new URL(url).pathname === "/api/chatkit/session")).toBe(true);
    expect(others.every((url) => url.startsWith(`http://127.0.0.1:${port}/`))).toBe(true);
    expect(srv.leadCalls).toEqual([{ reason: "chat_closed", lead_reason: "sent" }]);
    expect(outboxEmails(srv.outboxDir)).toHaveLength(1);
    await context.close();
  });
});

import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import {
  type BrowserTestServer,
  openPage,
  outboxEmails,
  say,
  useBrowserSuite,
  waitUntil,
  widget,
} from "../support/browser.js";
import { createFakeClock, type FakeClock } from "../support/fake-clock.js";

/** Enough for a handoff-ready lead with the local assistant (no photo, to stay quick). */
async function chatToReady(page: Page): Promise<void> {
  await widget(page).launcher.click();
  await say(page, "Hi, the driver seat on my 2012 Honda Civic is torn");
  await say(page, "I'm Maria Lopez, 512-555-0123");
}

/** Gives a trigger that should not happen the time to show up anyway. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 400));

describe("widget: lead triggers", () => {
  const suite = useBrowserSuite();
  let clock: FakeClock;

  function start(): Promise<BrowserTestServer> {
    clock = createFakeClock();
    return suite.start({}, { clock });
  }

  it("sends nothing at 4:59 of quiet, and activity at 4:00 restarts the window", async () => {
    const srv = await start();
    const { page, logs, context } = await openPage(suite.browser);
    await page.clock.install();
    await page.goto(srv.pageUrl);
    await chatToReady(page);

    clock.advance(240_000);
    await page.clock.fastForward("04:00");
    await settle();
    expect(srv.leadCalls).toEqual([]);
    await say(page, "Also the passenger seat has a small crack");

    // 4:59 after that activity (8:59 after the first quiet began): still nothing.
    clock.advance(299_000);
    await page.clock.fastForward("04:59");
    await settle();
    expect(srv.leadCalls).toEqual([]);
    expect(outboxEmails(srv.outboxDir)).toHaveLength(0);
    expect(logs.filter((l) => l.includes("lead-chat trigger"))).toEqual([]);

    clock.advance(1_000);
    await page.clock.fastForward("00:01");
    await waitUntil(() => srv.leadCalls.length === 1, "the idle trigger");
    expect(srv.leadCalls).toEqual([{ reason: "idle", lead_reason: "sent" }]);
    expect(outboxEmails(srv.outboxDir)).toHaveLength(1);
    await context.close();
  });

  it("fires no trigger before the customer has said anything", async () => {
    const srv = await start();
    const { page, context } = await openPage(suite.browser);
    await page.clock.install();
    await page.goto(srv.pageUrl);
    await widget(page).launcher.click();
    await page.clock.fastForward("06:00");
    await page.keyboard.press("Escape");
    await page.goto("about:blank");
    await settle();
    expect(srv.leadCalls).toEqual([]);
    await context.close();
  });

  it("sends the pagehide beacon when the visitor navigates away, and the email arrives once", async () => {
    const srv = await start();
    const { page, context } = await openPage(suite.browser);
    await page.goto(srv.pageUrl);
    await chatToReady(page);
    expect(srv.leadCalls).toEqual([]);

    await page.goto(`${srv.baseUrl}/healthz`);
    await waitUntil(() => srv.leadCalls.length >= 1, "the beacon");
    expect(srv.leadCalls[0]).toEqual({ reason: "pagehide", lead_reason: "sent" });
    await waitUntil(() => outboxEmails(srv.outboxDir).length === 1, "the email");
    await settle();
    // visibilitychange and pagehide both fire on navigation: one beacon for the same activity.
    expect(srv.leadCalls).toHaveLength(1);
    expect(outboxEmails(srv.outboxDir)).toHaveLength(1);
    await context.close();
  });

  it("chat_closed, then pagehide again on a later page, still gives one email", async () => {
    const srv = await start();
    const { page, logs, context } = await openPage(suite.browser);
    await page.goto(srv.pageUrl);
    await chatToReady(page);

    await widget(page).close.click();
    await waitUntil(() => srv.leadCalls.length === 1, "the chat_closed trigger");
    expect(srv.leadCalls[0]).toEqual({ reason: "chat_closed", lead_reason: "sent" });
    await waitUntil(
      () => logs.some((l) => l === "lead-chat trigger reason chat_closed lead_reason sent"),
      "log",
    );

    // Reopen, say one more thing, leave: the beacon goes, the server refuses to send twice.
    await widget(page).launcher.click();
    await say(page, "Thanks, talk soon");
    await page.goto(`${srv.baseUrl}/healthz`);
    await waitUntil(() => srv.leadCalls.length === 2, "the beacon");
    expect(srv.leadCalls[1]).toEqual({ reason: "pagehide", lead_reason: "already_sent" });
    expect(outboxEmails(srv.outboxDir)).toHaveLength(1);
    await context.close();
  });

  it("a reload resumes the thread; New conversation starts another", async () => {
    const srv = await start();
    const { page, context } = await openPage(suite.browser);
    const api: string[] = [];
    page.on("request", (request) => {
      if (request.url().includes("/api/")) api.push(request.url());
    });
    await page.goto(`${srv.pageUrl}?utm_source=google`);
    const w = widget(page);
    // Lazy: no panel and no API call until the visitor opens the chat.
    await page.locator("lead-chat .launcher").waitFor();
    expect(await w.panel.count()).toBe(0);
    expect(api).toEqual([]);
    await w.launcher.click();
    const reply = await say(page, "Hi, the driver seat on my 2012 Honda Civic is torn");
    const threadId = await page.evaluate(() => localStorage.getItem("lead-chat:thread-id"));

    await page.reload();
    // The panel was open: it stays open on the next page, with the conversation rendered again.
    await expect.poll(() => w.panel.isVisible()).toBe(true);
    await expect.poll(() => w.userMessages.count()).toBe(1);
    expect(await w.userMessages.first().textContent()).toBe(
      "Hi, the driver seat on my 2012 Honda Civic is torn",
    );
    expect(await w.replies.first().textContent()).toBe(reply);
    expect(await page.evaluate(() => localStorage.getItem("lead-chat:thread-id"))).toBe(threadId);

    // Continuing after the reload adds to the same thread.
    await say(page, "It's a cloth seat");
    expect(await page.evaluate(() => localStorage.getItem("lead-chat:thread-id"))).toBe(threadId);
    expect(await srv.services.threads.countItems(String(threadId))).toBe(4);

    // First touch wins: a later landing with other tags does not replace it (kept 90 days).
    await page.goto(`${srv.pageUrl}?utm_source=bing&gclid=later`);
    const stored = await page.evaluate(() => localStorage.getItem("lead-chat:attribution"));
    expect(JSON.parse(String(stored)).data).toMatchObject({ utm_source: "google" });
    expect(String(stored)).not.toContain("bing");
    await expect.poll(() => w.userMessages.count()).toBe(2);

    await w.newConversation.click();
    expect(await w.userMessages.count()).toBe(0);
    expect(await page.evaluate(() => localStorage.getItem("lead-chat:thread-id"))).toBeNull();
    await say(page, "Hello again, my headliner is sagging");
    const second = await page.evaluate(() => localStorage.getItem("lead-chat:thread-id"));
    expect(second).toMatch(/^cthr_/);
    expect(second).not.toBe(threadId);
    await context.close();
  });
});

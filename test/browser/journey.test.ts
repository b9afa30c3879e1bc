import { describe, expect, it } from "vitest";
import {
  openPage,
  outboxEmails,
  parseEmail,
  say,
  useBrowserSuite,
  waitUntil,
  widget,
} from "../support/browser.js";
import { createFakeClock } from "../support/fake-clock.js";
import { makeJpeg } from "../support/images.js";

/** The full journey in a real browser: chat, photo, quiet for 5 minutes, one email. */
describe("widget: full journey", () => {
  const suite = useBrowserSuite();

  it("chats to handoff-ready, attaches a JPEG and sends exactly one email after 5 quiet minutes", async () => {
    const clock = createFakeClock();
    const server = await suite.start({}, { clock });
    const { page, logs, context } = await openPage(suite.browser);
    await page.clock.install();
    await page.goto(`${server.demoUrl}?utm_source=google&utm_campaign=seats&gclid=Cj0-browser&utm_id=7#top`);
    const w = widget(page);

    // Lazy: nothing but the launcher until the first open.
    expect(await w.panel.count()).toBe(0);
    await w.launcher.click();
    await expect.poll(() => w.panel.isVisible()).toBe(true);
    expect(await w.panel.getAttribute("role")).toBe("dialog");
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe("LEAD-CHAT");
    expect(await w.input.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true);

    const first = await say(page, "Hi, the driver seat on my 2012 Honda Civic is torn");
    expect(first.length).toBeGreaterThan(0);
    const threadId = await page.evaluate(() => localStorage.getItem("lead-chat:thread-id"));
    expect(threadId).toMatch(/^cthr_/);

    const photo = await makeJpeg(150_000);
    await w.file.setInputFiles({ name: "seat.jpg", mimeType: "image/jpeg", buffer: photo });
    await expect.poll(() => w.thumbs.count()).toBe(1);
    await page.locator("lead-chat .thumb progress").waitFor({ state: "detached" });
    expect(await page.locator("lead-chat .thumb.failed").count()).toBe(0);

    await say(page, "I'm Maria Lopez, 512-555-0123");
    expect(await w.userMessages.nth(1).locator("img").count()).toBe(1);

    // No trigger yet: the customer is still typing as far as anyone knows.
    expect(server.leadCalls).toEqual([]);

    clock.advance(300_000);
    await page.clock.fastForward("05:00");
    await waitUntil(() => server.leadCalls.length === 1, "the idle trigger");
    expect(server.leadCalls[0]).toEqual({ reason: "idle", lead_reason: "sent" });
    await waitUntil(
      () => logs.some((l) => l.includes("lead-chat trigger reason idle lead_reason sent")),
      "log",
    );

    const files = outboxEmails(server.outboxDir);
    expect(files).toHaveLength(1);
    const mail = await parseEmail(server.outboxDir, String(files[0]));
    expect(mail.subject).toMatch(/Maria Lopez/);
    const inline = mail.attachments.filter((a) => a.cid && a.contentDisposition === "inline");
    expect(inline).toHaveLength(1);
    expect(inline[0]?.contentType).toBe("image/jpeg");
    expect(String(mail.html)).toContain(`cid:${inline[0]?.cid}`);
    // First-touch attribution travelled with threads.create (the unknown utm_id was dropped).
    expect(String(mail.html)).toContain("Cj0-browser");
    expect(mail.text).toMatch(/UTM source\W+google/i);
    expect(mail.text).toMatch(/Landing page\W+http:\/\/127\.0\.0\.1:\d+\/\?utm_source/);

    // Closing afterwards is a second trigger; the server answers already_sent and nothing new goes out.
    await page.keyboard.press("Escape");
    await expect.poll(() => w.panel.isVisible()).toBe(false);
    expect(await w.launcher.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(
      true,
    );
    await waitUntil(() => server.leadCalls.length === 2, "the chat_closed trigger");
    expect(server.leadCalls[1]).toEqual({ reason: "chat_closed", lead_reason: "already_sent" });
    expect(outboxEmails(server.outboxDir)).toHaveLength(1);
    await context.close();
  });
});

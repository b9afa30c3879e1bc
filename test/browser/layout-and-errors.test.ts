import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import type { Assistant } from "../../src/ports/assistant.js";
import { THREAD_KEY } from "../../web/widget/storage.js";
import { ARTIFACTS_DIR, buildWidget, openPage, say, useBrowserSuite, widget } from "../support/browser.js";
import { makeJpeg } from "../support/images.js";

describe("widget: layout, errors and budget", () => {
  const suite = useBrowserSuite();
  beforeAll(() => {
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
  });

  it("stays within 30 KB gzipped and pulls no server code", async () => {
    const bundle = await buildWidget();
    const gzipped = gzipSync(bundle, { level: 9 }).byteLength;
    writeFileSync(
      join(ARTIFACTS_DIR, "widget-size.txt"),
      `${bundle.length} bytes minified, ${gzipped} gzipped\n`,
    );
    expect(gzipped).toBeLessThan(30 * 1024);
    expect(bundle).not.toMatch(/zod|node:/);
  });

  for (const [name, viewport] of [
    ["375", { width: 375, height: 740 }],
    ["desktop", { width: 1280, height: 800 }],
  ] as const) {
    it(`looks right at ${name} (screenshot in ${ARTIFACTS_DIR}/)`, async () => {
      const server = await suite.start();
      const { page, context } = await openPage(suite.browser, viewport);
      await page.goto(server.pageUrl);
      const w = widget(page);
      await page.screenshot({ path: join(ARTIFACTS_DIR, `widget-${name}-closed.png`) });
      await w.launcher.click();
      await say(page, "Hi, the driver seat on my 2012 Honda Civic is torn");
      await w.file.setInputFiles({
        name: "seat.jpg",
        mimeType: "image/jpeg",
        buffer: await makeJpeg(40_000),
      });
      await page.locator("lead-chat .thumb progress").waitFor({ state: "detached" });
      await w.input.fill("Here is a photo of the tear");
      await page.screenshot({ path: join(ARTIFACTS_DIR, `widget-${name}.png`) });

      const box = await w.panel.boundingBox();
      expect(box).not.toBeNull();
      if (!box) return;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
      expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
      if (viewport.width < 480)
        expect(box.width).toBe(viewport.width); // full screen on phones
      else expect(box.width).toBeLessThan(500);
      // Host-page CSS (`* { color: green }`) does not leak into the shadow DOM.
      const color = await w.replies.first().evaluate((el) => getComputedStyle(el).color);
      expect(color).not.toBe("rgb(0, 128, 0)");
      await context.close();
    });
  }

  it("says a photo is too large when the server refuses it with 413", async () => {
    const server = await suite.start({ ATTACHMENT_MAX_BYTES: "20000" });
    const { page, context } = await openPage(suite.browser, { width: 375, height: 740 });
    await page.goto(server.pageUrl);
    const w = widget(page);
    await w.launcher.click();
    await w.file.setInputFiles({ name: "big.jpg", mimeType: "image/jpeg", buffer: await makeJpeg(120_000) });
    await expect.poll(() => w.alert.isVisible()).toBe(true);
    expect(await w.alert.textContent()).toMatch(/That photo is too large \(max 20 KB\)/);
    expect(await page.locator("lead-chat .thumb.failed").count()).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS_DIR, "widget-375-too-large.png") });
    await context.close();
  });

  it("says only photos or PDFs can be sent for a text file named .jpg (415)", async () => {
    const server = await suite.start();
    const { page, context } = await openPage(suite.browser);
    await page.goto(server.pageUrl);
    const w = widget(page);
    await w.launcher.click();
    const text = Buffer.from("this is not a photo, just some text\n".repeat(20));
    await w.file.setInputFiles({ name: "notes.jpg", mimeType: "image/jpeg", buffer: text });
    await expect.poll(() => w.alert.isVisible()).toBe(true);
    expect(await w.alert.textContent()).toContain("Only photos or PDFs can be sent");
    // The failed file is not sent along with the next message.
    await page.locator("lead-chat .thumb button").click();
    await say(page, "Hi, my headliner is sagging");
    expect(await w.userMessages.first().locator("img").count()).toBe(0);
    await context.close();
  });

  it("says when the visitor is offline, and the message goes through once back online", async () => {
    const server = await suite.start();
    const { page, context } = await openPage(suite.browser);
    await page.goto(server.pageUrl);
    const w = widget(page);
    await w.launcher.click();
    await context.setOffline(true);
    await w.input.fill("Hi, the driver seat on my 2012 Honda Civic is torn");
    await w.input.press("Enter");
    await expect.poll(() => w.alert.isVisible()).toBe(true);
    expect(await w.alert.textContent()).toMatch(/offline/i);
    await context.setOffline(false);
    await w.alert.getByRole("button", { name: "Retry" }).click();
    await expect.poll(() => w.replies.count()).toBe(1);
    await context.close();
  });

  it("shows a server error with a Retry button that resends the message", async () => {
    const server = await suite.start();
    const { page, context } = await openPage(suite.browser);
    await page.goto(server.pageUrl);
    const w = widget(page);
    await w.launcher.click();
    let failures = 1;
    await page.route("**/api/chatkit", async (route) => {
      if (failures-- > 0) await route.fulfill({ status: 503, body: "{}" });
      else await route.continue();
    });
    await w.input.fill("Hi, the driver seat on my 2012 Honda Civic is torn");
    await w.input.press("Enter");
    await expect.poll(() => w.alert.isVisible()).toBe(true);
    expect(await w.alert.textContent()).toContain("Something went wrong");
    await w.alert.getByRole("button", { name: "Retry" }).click();
    await expect.poll(() => w.replies.count()).toBe(1);
    expect(await w.alert.isVisible()).toBe(false);
    await context.close();
  });

  it("retries a failed reply with threads.retry_after_item: the message is stored once, the reply arrives", async () => {
    let calls = 0;
    const flaky: Assistant = {
      name: "flaky",
      async *reply() {
        if (calls++ === 0) throw new Error("model down");
        yield "Thanks! What's the best number to reach you?";
      },
    };
    const server = await suite.start({}, { assistant: flaky });
    const { page, context } = await openPage(suite.browser);
    const types: string[] = [];
    page.on("request", (request) => {
      if (request.url().endsWith("/api/chatkit"))
        types.push(String((JSON.parse(request.postData() ?? "{}") as { type?: string }).type));
    });
    await page.goto(server.pageUrl);
    const w = widget(page);
    await w.launcher.click();
    await w.input.fill("Hi, the driver seat on my 2012 Honda Civic is torn");
    await w.input.press("Enter");
    await expect.poll(() => w.alert.isVisible()).toBe(true);
    await w.alert.getByRole("button", { name: "Retry" }).click();
    await expect.poll(() => w.replies.count()).toBe(1);
    expect(await w.replies.first().textContent()).toContain("best number");
    expect(types.filter((t) => t !== "threads.list" && t !== "items.list")).toEqual([
      "threads.create",
      "threads.retry_after_item",
    ]);
    expect(await w.userMessages.count()).toBe(1);
    // On the server too: one customer message, one reply (the failed turn saved nothing else).
    const threadId = await page.evaluate((key) => localStorage.getItem(key), THREAD_KEY);
    const items = await server.services.threads.listItems(String(threadId));
    expect(items.map((item) => item.type)).toEqual(["user_message", "assistant_message"]);
    await context.close();
  });

  it("refreshes an expired session silently (401 -> new secret -> one retry)", async () => {
    const server = await suite.start();
    const { page, context } = await openPage(suite.browser);
    await page.goto(server.pageUrl);
    const w = widget(page);
    await w.launcher.click();
    await say(page, "Hi, the driver seat on my 2012 Honda Civic is torn");
    let sessions = 0;
    page.on("request", (request) => {
      if (request.url().endsWith("/api/chatkit/session")) sessions++;
    });
    let expired = 1;
    await page.route("**/api/chatkit", async (route) => {
      if (expired-- > 0)
        await route.fulfill({ status: 401, body: '{"error":{"code":"unauthorized","message":"x"}}' });
      else await route.continue();
    });
    await say(page, "It's a cloth seat");
    expect(sessions).toBe(1);
    expect(await w.alert.isVisible()).toBe(false);
    expect(await w.replies.count()).toBe(2);
    await context.close();
  });
});

import { readdirSync } from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { createOutboxMailer } from "../../src/adapters/outbox/mailer.js";
import { composeLeadEmail } from "../../src/core/email/compose.js";
import { buildMime } from "../../src/services/mime.js";
import { openPage, useBrowserSuite } from "../support/browser.js";
import { sampleEmailInput, sampleSummary } from "../support/lead-email.js";

/**
 * The owner's login in Chromium, on a phone (375 px) and a desktop: the outbox sends the browser
 * to the login form, a wrong password is said so, the right one opens the outbox, and logging out
 * closes it again. The pages run under their own CSP (a style allowed by hash, no script).
 */

const PASSWORD = "correct horse battery staple";

/** Puts Maria's lead email in the outbox folder. */
async function seedLead(outboxDir: string): Promise<void> {
  const at = Date.UTC(2025, 0, 2);
  const email = composeLeadEmail(sampleEmailInput({ threadId: "cthr_owner_ui", summary: sampleSummary() }));
  const raw = await buildMime(email, { date: new Date(at) });
  await createOutboxMailer({ dir: outboxDir, now: () => at }).send({
    raw,
    from: email.from,
    to: email.to,
    messageId: email.messageId,
  });
  expect(readdirSync(outboxDir)).toHaveLength(1);
}

/** Nothing sticks out sideways, and `selector` lies within the viewport's width. */
async function expectFits(page: Page, selectors: string[]): Promise<void> {
  const width = page.viewportSize()?.width ?? 0;
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(scrollWidth).toBeLessThanOrEqual(width);
  for (const selector of selectors) {
    const box = await page.locator(selector).boundingBox();
    expect(box, selector).not.toBeNull();
    expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= width, selector).toBe(true);
  }
}

describe("owner login in the browser", () => {
  const suite = useBrowserSuite();

  it.each([
    { name: "phone", viewport: { width: 375, height: 740 } },
    { name: "desktop", viewport: { width: 1280, height: 800 } },
  ])("logs in, sees the outbox and logs out ($name)", async ({ viewport }) => {
    const server = await suite.start({ OWNER_PASSWORD: PASSWORD });
    await seedLead(server.outboxDir);
    const { context, page, logs } = await openPage(suite.browser, viewport);

    await page.goto(`${server.baseUrl}/outbox`);
    expect(new URL(page.url()).pathname).toBe("/owner/login");
    expect(new URL(page.url()).searchParams.get("next")).toBe("/outbox");
    expect(await page.content()).not.toContain("Maria");
    await expect(page.getByRole("heading", { name: "Owner login" }).isVisible()).resolves.toBe(true);
    const password = page.getByLabel("Password");
    expect(await password.isVisible()).toBe(true);
    // The stylesheet applied (its CSP hash matches): the form is the narrow column, not the raw default.
    expect(
      await page.evaluate(() => getComputedStyle(document.querySelector("main") as Element).maxWidth),
    ).toBe("416px");
    await expectFits(page, ["input#password", "button[type=submit]"]);

    await password.fill("not the password");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForLoadState();
    expect(await page.getByRole("alert").textContent()).toContain("Wrong password");
    expect((await context.cookies()).some((cookie) => cookie.name === "owner_session")).toBe(false);

    await page.getByLabel("Password").fill(PASSWORD);
    await Promise.all([
      page.waitForURL(`${server.baseUrl}/outbox`),
      page.getByRole("button", { name: "Log in" }).click(),
    ]);
    expect(await page.getByRole("heading", { name: "Outbox" }).isVisible()).toBe(true);
    expect(await page.getByRole("link", { name: /New lead: Maria Lopez/ }).isVisible()).toBe(true);
    const session = (await context.cookies()).find((cookie) => cookie.name === "owner_session");
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/" });
    // Script on an owner page could not read it.
    expect(await page.evaluate(() => document.cookie)).not.toContain("owner_session");

    await page.getByRole("link", { name: "Log out" }).click();
    await page.waitForURL(`${server.baseUrl}/owner/logout`);
    await expectFits(page, ["button[type=submit]"]);
    await Promise.all([
      page.waitForURL(`${server.baseUrl}/owner/login?logged_out=1`),
      page.getByRole("button", { name: "Log out" }).click(),
    ]);
    expect(await page.getByRole("status").textContent()).toContain("You are logged out.");
    expect((await context.cookies()).some((cookie) => cookie.name === "owner_session")).toBe(false);

    await page.goto(`${server.baseUrl}/outbox`);
    expect(new URL(page.url()).pathname).toBe("/owner/login");
    expect(await page.content()).not.toContain("Maria");
    expect(logs.filter((line) => /Content Security Policy|Refused to/i.test(line))).toEqual([]);
    await context.close();
  });
});

import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ConversationView } from "../../src/services/lead-console.js";
import { launchBrowser, openPage, outboxEmails } from "../support/browser.js";
import { createFakeClock, type FakeClock } from "../support/fake-clock.js";
import { startTestSmtpServer } from "../support/smtp.js";
import { startTestServer, type TestServer } from "../support/test-server.js";
import { createVisitor } from "../support/visitor.js";

/**
 * The owner's console (/owner) in Chromium, on a phone (375 px) and a desktop, as a new owner
 * uses it: log in with OWNER_PASSWORD, find a conversation with the search box or the state
 * filter, open it, press "Send now", record a won job with its value, and retry a lead the mail
 * server refused. Real parts only: the server over SQLite, the outbox mailer or a real SMTP
 * server on 127.0.0.1, and the pages under their own CSP (no script, a stylesheet by hash).
 */

const PASSWORD = "correct horse battery staple";
/** 12:00 PM in the shop's zone (America/Chicago); the tests move the clock 10 minutes on. */
const NOW = Date.UTC(2026, 11, 2, 18, 0, 0);
const QUIET = 10 * 60_000;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startConsole(clock: FakeClock, env: Record<string, string> = {}): Promise<TestServer> {
  const server = await startTestServer(
    { SHOP_TIME_ZONE: "America/Chicago", OWNER_PASSWORD: PASSWORD, ...env },
    { clock },
  );
  cleanups.push(() => server.close());
  return server;
}

/** Opens the console as a new owner would: the gate sends the browser to the login form. */
async function logIn(viewport: { width: number; height: number }, server: TestServer) {
  const { context, page, logs } = await openPage(browser, viewport);
  cleanups.push(() => context.close());
  await page.goto(`${server.baseUrl}/owner`);
  expect(new URL(page.url()).pathname).toBe("/owner/login");
  await page.getByLabel("Password").fill(PASSWORD);
  await Promise.all([
    page.waitForURL(`${server.baseUrl}/owner`),
    page.getByRole("button", { name: "Log in" }).click(),
  ]);
  expect(await page.getByRole("heading", { name: "Leads" }).isVisible()).toBe(true);
  return { page, logs };
}

/**
 * Nothing sticks out sideways: the page never scrolls horizontally, and nothing in it (a card, a
 * long email address) reaches past the page's own margins.
 */
async function expectNoSideScroll(page: Page): Promise<void> {
  const { scrollWidth, clientWidth, outside } = await page.evaluate(() => {
    const main = document.querySelector("main") as HTMLElement;
    const box = main.getBoundingClientRect();
    const style = getComputedStyle(main);
    const left = box.left + Number.parseFloat(style.paddingLeft);
    const right = box.right - Number.parseFloat(style.paddingRight);
    const outside = Array.from(main.querySelectorAll<HTMLElement>("*"))
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && (r.left < left - 1 || r.right > right + 1);
      })
      .map((el) => `<${el.tagName.toLowerCase()}> ${(el.textContent ?? "").trim().slice(0, 60)}`);
    return {
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
      outside,
    };
  });
  expect(scrollWidth, `${page.url()} scrolls sideways`).toBeLessThanOrEqual(clientWidth);
  expect(outside, `${page.url()} has content past its margins`).toEqual([]);
}

/** Clicks a button that posts a form and waits for the page the server answers with. */
async function press(page: Page, name: string, url: RegExp): Promise<void> {
  await Promise.all([page.waitForURL(url), page.getByRole("button", { name, exact: true }).click()]);
}

/** The conversation as the console's JSON answer has it, read with the browser's own session. */
async function conversationJson(page: Page, server: TestServer, threadId: string) {
  const response = await page.request.get(`${server.baseUrl}/owner/conversations/${threadId}`, {
    headers: { accept: "application/json" },
  });
  expect(response.status()).toBe(200);
  return (await response.json()) as ConversationView;
}

const cspViolations = (logs: string[]) => logs.filter((l) => /Content Security Policy|Refused to/i.test(l));

describe.each([
  { name: "phone", viewport: { width: 375, height: 740 } },
  { name: "desktop", viewport: { width: 1280, height: 800 } },
])("owner console in the browser ($name)", ({ viewport }) => {
  it("finds a ready lead by search, sends it now, refuses a won job without a value, then records Won 650", async () => {
    const clock = createFakeClock(NOW);
    const server = await startConsole(clock);
    const dana = createVisitor(server.baseUrl, "visitor-console-dana-01");
    const threadId = await dana.start("Hi, the driver seat of my 2012 Honda Civic is torn");
    await dana.say(threadId, "I'm Dana Reyes, 512-555-0187");
    // Another customer, with the kind of long email address that must not widen a phone's page.
    const other = createVisitor(server.baseUrl, "visitor-console-chris-1");
    await other.start(
      "Headliner is sagging in my 2015 Ford F-150, I'm Christopher Vandermeulen, christopher.vandermeulen1987@hotmail.com",
    );
    clock.advance(QUIET);

    const { page, logs } = await logIn(viewport, server);
    expect(await page.getByRole("link", { name: "Dana Reyes" }).isVisible()).toBe(true);
    expect(await page.getByRole("link", { name: "Christopher Vandermeulen" }).isVisible()).toBe(true);
    await expectNoSideScroll(page);

    // Search by the phone number written another way, through the filter form.
    await page.getByLabel("Search", { exact: true }).fill("(512) 555-0187");
    await press(page, "Filter", /\/owner\?.*q=/);
    expect(await page.getByLabel("Search", { exact: true }).inputValue()).toBe("(512) 555-0187");
    const leads = page.locator("ul.leads > li");
    expect(await leads.count()).toBe(1);
    expect(await leads.first().textContent()).toContain("ready: goes out on the next sweep");
    await expectNoSideScroll(page);

    await Promise.all([
      page.waitForURL(`${server.baseUrl}/owner/conversations/${threadId}`),
      page.getByRole("link", { name: "Dana Reyes" }).click(),
    ]);
    expect(await page.getByRole("heading", { name: "Dana Reyes", level: 1 }).isVisible()).toBe(true);
    expect(await page.getByRole("region", { name: "Emails" }).textContent()).toContain("No email sent yet.");
    // Every action and field by its accessible name.
    for (const name of ["Send now", "Send anyway", "Save outcome"])
      expect(await page.getByRole("button", { name, exact: true }).isVisible(), name).toBe(true);
    for (const name of ["Booked", "Won", "Lost", "No answer", "Spam"])
      expect(await page.getByRole("radio", { name, exact: true }).isVisible(), name).toBe(true);
    expect(await page.getByRole("group", { name: "Outcome" }).isVisible()).toBe(true);
    expect(await page.getByLabel("Value (for a won job)").isVisible()).toBe(true);
    expect(await page.getByLabel("Currency").inputValue()).toBe("USD");
    await expectNoSideScroll(page);

    // A won job without its value: said so, and nothing recorded.
    await page.getByRole("radio", { name: "Won", exact: true }).check();
    await press(page, "Save outcome", /\/outcome$/);
    const alert = page.getByRole("alert");
    expect(await alert.textContent()).toBe("Enter the job's value (like 650) to mark it won.");
    // What the owner chose is still chosen, and the field with the mistake says so.
    expect(await page.getByRole("radio", { name: "Won", exact: true }).isChecked()).toBe(true);
    const value = page.getByLabel("Value (for a won job)");
    expect(await value.getAttribute("aria-invalid")).toBe("true");
    expect(await value.getAttribute("aria-describedby")).toBe("outcome-error");
    expect(await page.getByRole("region", { name: "Outcome" }).textContent()).toContain(
      "No outcome recorded.",
    );
    const refused = await conversationJson(page, server, threadId);
    expect(refused.row.outcome).toBeNull();
    expect(refused.history.filter((e) => e.kind === "outcome")).toEqual([]);
    // The page still offers everything it did: the lead can be sent and the outcome entered again.
    expect(await page.getByRole("button", { name: "Send now", exact: true }).isVisible()).toBe(true);
    expect(await page.getByLabel("Value (for a won job)").isVisible()).toBe(true);
    expect(await page.getByLabel("Currency").inputValue()).toBe("USD");
    await expectNoSideScroll(page);
    expect(outboxEmails(server.outboxDir)).toHaveLength(0);

    await press(page, "Send now", /\?done=sent$/);
    expect(await page.getByRole("status").textContent()).toBe("The lead email was sent.");
    expect(await page.locator("main > p .badge").textContent()).toBe("Sent");
    const emails = await page.getByRole("region", { name: "Emails" }).textContent();
    expect(emails).toMatch(/Lead email: .*Dana Reyes.*\(sent Dec 2, 2026, 12:10\sPM\)/);
    expect(await page.getByRole("link", { name: /Dana Reyes/ }).count()).toBe(1);
    expect(await page.getByRole("button", { name: "Send now", exact: true }).count()).toBe(0);
    expect(await page.getByRole("region", { name: "History" }).textContent()).toContain(
      "Send now by owner → sent",
    );
    expect(outboxEmails(server.outboxDir)).toHaveLength(1);
    await expectNoSideScroll(page);

    await page.getByRole("radio", { name: "Won", exact: true }).check();
    await page.getByLabel("Value (for a won job)").fill("650");
    await press(page, "Save outcome", /\?done=outcome$/);
    expect(await page.getByRole("status").textContent()).toBe("Outcome saved.");
    expect(await page.getByRole("region", { name: "Outcome" }).textContent()).toMatch(
      /Won 650\.00 USD \(owner, Dec 2, 2026, 12:10\sPM\)/,
    );
    expect(await page.getByRole("radio", { name: "Won", exact: true }).isChecked()).toBe(true);
    expect(await page.getByLabel("Value (for a won job)").inputValue()).toBe("650.00");
    expect(await page.getByRole("region", { name: "History" }).textContent()).toContain(
      "outcome Won 650.00 USD by owner",
    );
    const saved = await conversationJson(page, server, threadId);
    expect(saved.row.outcome).toMatchObject({
      outcome: "won",
      value: "650.00",
      currency: "USD",
      actor: "owner",
    });
    expect(saved.history.filter((e) => e.kind === "outcome")).toHaveLength(1);
    await expectNoSideScroll(page);

    // Back in the list, the lead shows as sent and won; still one email.
    await Promise.all([
      page.waitForURL(`${server.baseUrl}/owner`),
      page.getByRole("link", { name: "← All leads" }).click(),
    ]);
    const card = page.locator("ul.leads > li", { hasText: "Dana Reyes" });
    expect(await card.locator(".badge").textContent()).toBe("Sent");
    expect(await card.textContent()).toContain("Last trigger: Send now → sent");
    expect(await card.textContent()).toContain("Outcome: Won 650.00 USD (owner,");
    expect(outboxEmails(server.outboxDir)).toHaveLength(1);
    expect(cspViolations(logs)).toEqual([]);
  });

  it("finds a lead the mail server refused under the Failed filter, and Retry now delivers it once", async () => {
    const smtp = await startTestSmtpServer("refuse-5xx");
    cleanups.push(() => smtp.close());
    const clock = createFakeClock(NOW);
    const server = await startConsole(clock, { MAILER: "smtp", SMTP_URL: smtp.url });
    const maria = createVisitor(server.baseUrl, "visitor-console-maria-1");
    const threadId = await maria.start("Hi! The driver seat on my 2012 Honda Civic is torn");
    await maria.say(threadId, "I'm Maria Lopez, 512-555-0123, text is best");
    // A customer who left no contact: not ready, so the sweep leaves it alone.
    const other = createVisitor(server.baseUrl, "visitor-console-other-1");
    await other.start("How much to redo a headliner?");
    clock.advance(QUIET);
    expect(await server.services.sweeper.runOnce()).toMatchObject({ sent: 0 });
    expect(smtp.received).toHaveLength(1);
    expect(smtp.accepted).toHaveLength(0);

    const { page, logs } = await logIn(viewport, server);
    expect(await page.locator("ul.leads > li").count()).toBe(2);
    await page.getByLabel("State", { exact: true }).selectOption({ label: "Failed" });
    await press(page, "Filter", /\/owner\?.*state=failed/);
    const leads = page.locator("ul.leads > li");
    expect(await leads.count()).toBe(1);
    expect(await leads.locator(".badge").textContent()).toBe("Failed");
    expect(await leads.textContent()).toContain("No such mailbox");
    await expectNoSideScroll(page);

    await Promise.all([
      page.waitForURL(`${server.baseUrl}/owner/conversations/${threadId}`),
      page.getByRole("link", { name: "Maria Lopez" }).click(),
    ]);
    expect(await page.locator("main > p .badge").textContent()).toBe("Failed");
    expect(await page.getByRole("region", { name: "Emails" }).textContent()).toMatch(
      /Lead email: .*\(failed · .*No such mailbox/,
    );
    expect(await page.getByRole("button", { name: "Send now", exact: true }).count()).toBe(0);
    const retry = page.getByRole("button", { name: "Retry now", exact: true });
    expect(await retry.isVisible()).toBe(true);
    await expectNoSideScroll(page);

    // The mail settings are fixed: the server takes mail again.
    smtp.behave("accept");
    await press(page, "Retry now", /\?done=sent$/);
    expect(await page.getByRole("status").textContent()).toBe("The lead email was sent.");
    expect(await page.locator("main > p .badge").textContent()).toBe("Sent");
    expect(await page.getByRole("region", { name: "Emails" }).textContent()).toMatch(
      /Lead email: .*\(sent Dec 2, 2026, 12:10\sPM · 2 attempts\)/,
    );
    expect(await page.getByRole("region", { name: "History" }).textContent()).toContain(
      "Retry now by owner → sent",
    );
    expect(await retry.count()).toBe(0);
    expect(smtp.accepted).toHaveLength(1);
    expect(smtp.received).toHaveLength(2);
    await expectNoSideScroll(page);

    const view = await conversationJson(page, server, threadId);
    expect(view.row.status.state).toBe("sent");
    expect(cspViolations(logs)).toEqual([]);
  });
});

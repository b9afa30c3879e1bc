import { readdirSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import type { ConsolePage, ConversationView } from "../../src/services/lead-console.js";
import { createFakeClock, type FakeClock } from "../support/fake-clock.js";
import { startTestServer, type TestServer } from "../support/test-server.js";
import { createVisitor } from "../support/visitor.js";

/**
 * The owner's console (/owner) on a real server over SQLite and the outbox mailer: the list with
 * every conversation that has customer text, its state and filters, a conversation page, and the
 * actions (send now, send anyway, retry, outcome) going through the one lease.
 */

const servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

const NOW = Date.UTC(2026, 11, 2, 18, 0, 0);
const JSON_HEADERS = { accept: "application/json" };

async function start(clock: FakeClock = createFakeClock(NOW), env: Record<string, string> = {}) {
  const server = await startTestServer({ SHOP_TIME_ZONE: "America/Chicago", ...env }, { clock });
  servers.push(server);
  return server;
}

/** A (loopback) owner session: its cookie, and the CSRF token read from the console's own form. */
interface Owner {
  cookie: string;
  csrf: string;
}

async function ownerOn(server: TestServer, threadId: string): Promise<Owner> {
  const response = await fetch(`${server.baseUrl}/owner/conversations/${threadId}`);
  const cookie = (response.headers.get("set-cookie") ?? "").split(";")[0] as string;
  const csrf = /name="csrf" value="([^"]+)"/.exec(await response.text())?.[1];
  expect(cookie).toMatch(/^owner_session=/);
  expect(csrf).toBeTruthy();
  return { cookie, csrf: csrf as string };
}

/** A form POST as the console's page sends it (JSON answer when `json`). */
async function post(
  server: TestServer,
  path: string,
  owner: Owner | null,
  fields: Record<string, string>,
  json = false,
) {
  return fetch(`${server.baseUrl}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      origin: server.baseUrl,
      ...(owner ? { cookie: owner.cookie } : {}),
      ...(json ? JSON_HEADERS : {}),
    },
    body: new URLSearchParams({ ...(owner ? { csrf: owner.csrf } : {}), ...fields }).toString(),
  });
}

async function listJson(server: TestServer, query = ""): Promise<ConsolePage> {
  const response = await fetch(`${server.baseUrl}/owner${query}`, { headers: JSON_HEADERS });
  expect(response.status).toBe(200);
  return (await response.json()) as ConsolePage;
}

const outboxFiles = (server: TestServer) => {
  try {
    return readdirSync(server.outboxDir).filter((f) => f.endsWith(".eml"));
  } catch {
    return [];
  }
};

describe("owner console", () => {
  it("lists conversations with customer text, newest first, with state, contact and item", async () => {
    const clock = createFakeClock(NOW);
    const server = await start(clock);
    const ready = createVisitor(server.baseUrl, "visitor-ready-000001");
    const a = await ready.start("Hi, the driver seat of my 2012 Honda Civic is torn");
    await ready.say(a, "I'm Dana Reyes, 512-555-0187");
    clock.advance(60_000);
    const partial = createVisitor(server.baseUrl, "visitor-partial-00001");
    const b = await partial.start("How much to redo a headliner?");
    // A session with no customer text is not a conversation.
    await server.session();

    const page = await listJson(server);
    expect(page.rows.map((r) => r.threadId)).toEqual([b, a]);
    const [first, second] = page.rows;
    expect(first?.status.state).toBe("open");
    expect(second).toMatchObject({
      customerName: "Dana Reyes",
      phone: "+15125550187",
      item: "2012 Honda Civic",
      service: "seat repair",
      photos: 0,
    });

    clock.advance(10 * 60_000);
    const later = await listJson(server);
    const states = Object.fromEntries(later.rows.map((r) => [r.threadId, r.status]));
    expect(states[b]).toMatchObject({ state: "not_ready", why: "missing a phone or email" });
    expect(states[a]?.state).toBe("open");

    const html = await (await fetch(`${server.baseUrl}/owner`)).text();
    expect(html).toContain("Dana Reyes");
    expect(html).toContain(`href="/owner/conversations/${a}"`);
    expect(html).toContain("Times in America/Chicago");
  });

  it("filters by state and date, searches by name, phone and email, and pages", async () => {
    const clock = createFakeClock(NOW);
    const server = await start(clock);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const v = createVisitor(server.baseUrl, `visitor-page-${String(i).padStart(8, "0")}`);
      const contact = i === 2 ? "call me at (512) 555-0199" : `sam${i}@example.com`;
      ids.push(await v.start(`My boat seats need new vinyl, I'm Sam${i} Ortiz, ${contact}`));
      clock.advance(86_400_000);
    }
    const threadIds = (page: ConsolePage) => page.rows.map((r) => r.threadId);
    const newestFirst = [...ids].reverse();

    // Paging: two at a time, nothing lost or repeated.
    const seen: string[] = [];
    let query = "?limit=2";
    for (let pages = 0; pages < 5; pages++) {
      const page = await listJson(server, query);
      seen.push(...threadIds(page));
      if (!page.next) break;
      query = `?limit=2&after=${encodeURIComponent(page.next)}`;
    }
    expect(seen).toEqual(newestFirst);

    // Search: a name word, an email, and a phone written another way.
    expect(threadIds(await listJson(server, "?q=sam3"))).toEqual([ids[3]]);
    expect(threadIds(await listJson(server, "?q=SAM1%40example.com"))).toEqual([ids[1]]);
    expect(threadIds(await listJson(server, "?q=512.555.0199"))).toEqual([ids[2]]);
    expect(threadIds(await listJson(server, "?q=nobody"))).toEqual([]);

    // Dates are the shop's (Chicago): the first thread spoke 2026-12-02 12:00 local time.
    expect(threadIds(await listJson(server, "?from=2026-12-03&to=2026-12-04"))).toEqual([ids[2], ids[1]]);
    expect(threadIds(await listJson(server, "?to=2026-12-02"))).toEqual([ids[0]]);

    // State: all are quiet and ready; one sent by the owner becomes "sent".
    const owner = await ownerOn(server, ids[4] as string);
    const sent = await post(server, `/owner/conversations/${ids[4]}/send`, owner, {}, true);
    expect(((await sent.json()) as { lead_reason: string }).lead_reason).toBe("sent");
    expect(threadIds(await listJson(server, "?state=sent"))).toEqual([ids[4]]);
    expect(threadIds(await listJson(server, "?state=open"))).toEqual(newestFirst.slice(1));

    // Bad filters: a clear 400, never a crash.
    for (const bad of ["?state=maybe", "?from=yesterday", "?limit=0", "?color=red"]) {
      const response = await fetch(`${server.baseUrl}/owner${bad}`, { headers: JSON_HEADERS });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("invalid_request");
    }
  });

  it("shows one conversation: summary, transcript, emails sent and history; unknown ids are a 404 page", async () => {
    const clock = createFakeClock(NOW);
    const server = await start(clock);
    const v = createVisitor(server.baseUrl, "visitor-view-0000001");
    const id = await v.start("The headliner in my 2009 Toyota Camry is sagging <script>alert(1)</script>");
    await v.say(id, "Lee Park here, lee.park@example.com");
    clock.advance(10 * 60_000);
    await server.services.sweeper.runOnce();

    const html = await (await fetch(`${server.baseUrl}/owner/conversations/${id}`)).text();
    expect(html).toContain("<h1>Lee Park</h1>");
    expect(html).toContain('href="mailto:lee.park@example.com"');
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toContain("<script>alert(1)");
    expect(html).toMatch(/Lead email: <a href="\/owner\/conversations\/[^"]+\/emails\/0">/);
    expect(html).toContain("sweep → sent");

    const view = (await (
      await fetch(`${server.baseUrl}/owner/conversations/${id}`, { headers: JSON_HEADERS })
    ).json()) as ConversationView;
    expect(view.row.status.state).toBe("sent");
    expect(view.emails).toHaveLength(1);
    expect(
      view.history.map((e) => (e.kind === "decision" ? `${e.trigger}:${e.leadReason}` : e.kind)),
    ).toEqual(["sweep:sent"]);

    // The email as it was sent, shown like the outbox shows it.
    const email = await fetch(`${server.baseUrl}/owner/conversations/${id}/emails/0`);
    expect(email.status).toBe(200);
    expect(await email.text()).toContain("Lee Park");

    for (const path of ["cthr_doesnotexist", "bad%20id", `${id}/emails/7`]) {
      const missing = await fetch(`${server.baseUrl}/owner/conversations/${path}`);
      expect(missing.status).toBe(404);
      expect(await missing.text()).toMatch(/not found|no conversation|not kept/i);
    }
  });

  it("send now ignores the quiet window; a not-ready lead needs send anyway; every send is one email", async () => {
    const clock = createFakeClock(NOW);
    const server = await start(clock);
    const v = createVisitor(server.baseUrl, "visitor-send-0000001");
    const id = await v.start("Hi, can someone call me back at 512-555-0123?");
    const owner = await ownerOn(server, id);

    // No job and no item yet: the rules say not ready, so plain "send now" does not send (even
    // while the customer is still writing: the owner skips the quiet window).
    const first = await post(server, `/owner/conversations/${id}/send`, owner, {});
    expect(first.status).toBe(303);
    expect(first.headers.get("location")).toBe(`/owner/conversations/${id}?done=not_ready`);
    expect(outboxFiles(server)).toHaveLength(0);
    const page = await (await fetch(`${server.baseUrl}${first.headers.get("location")}`)).text();
    expect(page).toContain("Use Send anyway");
    expect(page).toContain('name="anyway" value="1"');

    // Send anyway, twice at once: one email.
    const [x, y] = await Promise.all([
      post(server, `/owner/conversations/${id}/send`, owner, { anyway: "1" }, true),
      post(server, `/owner/conversations/${id}/send`, owner, { anyway: "1" }, true),
    ]);
    const reasons = [
      ((await x.json()) as { lead_reason: string }).lead_reason,
      ((await y.json()) as { lead_reason: string }).lead_reason,
    ].sort();
    expect(reasons).toContain("sent");
    expect(reasons.filter((r) => r === "sent")).toHaveLength(1);
    expect(outboxFiles(server)).toHaveLength(1);

    // The history says who and what.
    const view = (await (
      await fetch(`${server.baseUrl}/owner/conversations/${id}`, { headers: JSON_HEADERS })
    ).json()) as ConversationView;
    const decisions = view.history.filter((e) => e.kind === "decision");
    expect(decisions[0]).toMatchObject({
      trigger: "owner",
      leadReason: "not_ready",
      actor: "owner (this computer)",
    });
    expect(
      decisions.some((e) => e.kind === "decision" && e.trigger === "owner_anyway" && e.leadReason === "sent"),
    ).toBe(true);
  });

  it("records an outcome with a value and currency, and refuses a won job without one", async () => {
    const server = await start();
    const v = createVisitor(server.baseUrl, "visitor-outcome-00001");
    const id = await v.start("Motorcycle seat recover, I'm Ana Cruz 512-555-0123");
    const owner = await ownerOn(server, id);

    const bad = await post(server, `/owner/conversations/${id}/outcome`, owner, {
      outcome: "won",
      currency: "USD",
    });
    expect(bad.status).toBe(400);
    const refusedPage = await bad.text();
    expect(refusedPage).toContain("Enter the job&#39;s value (like 650) to mark it won.");
    // The form comes back with what was entered.
    expect(refusedPage).toMatch(/value="won" checked/);

    const badJson = await post(
      server,
      `/owner/conversations/${id}/outcome`,
      owner,
      { outcome: "won", value: "abc" },
      true,
    );
    expect(badJson.status).toBe(400);

    const saved = await post(server, `/owner/conversations/${id}/outcome`, owner, {
      outcome: "won",
      value: "$1,250.5",
      currency: "usd",
    });
    expect(saved.status).toBe(303);
    const view = (await (
      await fetch(`${server.baseUrl}/owner/conversations/${id}`, { headers: JSON_HEADERS })
    ).json()) as ConversationView;
    expect(view.row.outcome).toMatchObject({
      outcome: "won",
      value: "1250.50",
      currency: "USD",
      actor: "owner (this computer)",
    });

    // A later outcome replaces it; a non-won outcome carries no value.
    await post(server, `/owner/conversations/${id}/outcome`, owner, { outcome: "lost", value: "99" });
    const after = (await (
      await fetch(`${server.baseUrl}/owner/conversations/${id}`, { headers: JSON_HEADERS })
    ).json()) as ConversationView;
    expect(after.row.outcome).toMatchObject({ outcome: "lost", value: null, currency: null });
    expect(after.history.filter((e) => e.kind === "outcome")).toHaveLength(2);
  });

  it("refuses every action without the CSRF token, and changes nothing", async () => {
    const server = await start();
    const v = createVisitor(server.baseUrl, "visitor-csrf-0000001");
    const id = await v.start("Boat seats, Kim Lo, 512-555-0123");
    for (const action of ["send", "retry", "outcome"]) {
      const response = await post(server, `/owner/conversations/${id}/${action}`, null, {
        outcome: "spam",
        anyway: "1",
      });
      expect(response.status).toBe(403);
    }
    expect(outboxFiles(server)).toHaveLength(0);
    const view = (await (
      await fetch(`${server.baseUrl}/owner/conversations/${id}`, { headers: JSON_HEADERS })
    ).json()) as ConversationView;
    expect(view.history).toEqual([]);
  });
});

describe("owner console to Google Ads", () => {
  it("a lead sent and won for $650 downloads as two click conversions", async () => {
    const clock = createFakeClock(NOW);
    const server = await start(clock);
    const v = createVisitor(server.baseUrl, "visitor-ads-00000001");
    const id = await v.start("Headliner for my 2011 Jeep Wrangler please, Rosa Diaz 512-555-0123");
    await server.services.attribution.put({
      threadId: id,
      attribution: { gclid: "CjwKCAwonGclid650", utm_source: "google", utm_campaign: "upholstery" },
      createdAt: NOW - 60_000,
      leadSentAt: null,
      ttl: NOW + 180 * 86_400_000,
    });
    const owner = await ownerOn(server, id);
    const sent = await post(server, `/owner/conversations/${id}/send`, owner, {}, true);
    expect(((await sent.json()) as { lead_reason: string }).lead_reason).toBe("sent");
    clock.advance(3_600_000);
    await post(server, `/owner/conversations/${id}/outcome`, owner, {
      outcome: "won",
      value: "650",
      currency: "USD",
    });

    const row = (await listJson(server)).rows[0];
    expect(row).toMatchObject({ source: "google", campaign: "upholstery", clickId: true });
    const csv = await (
      await fetch(`${server.baseUrl}/owner/exports/download?kind=clicks&since=2026-12-01`)
    ).text();
    // Sent at 12:00 and won at 13:00 in Chicago (CST, UTC-6).
    expect(csv.trim().split(/\r?\n/)).toEqual([
      "Parameters:TimeZone=America/Chicago",
      "Google Click ID,Conversion Name,Conversion Time,Conversion Value,Conversion Currency",
      "CjwKCAwonGclid650,Website chat lead,2026-12-02 12:00:00-0600,,",
      "CjwKCAwonGclid650,Website chat job won,2026-12-02 13:00:00-0600,650.00,USD",
    ]);
  });
});

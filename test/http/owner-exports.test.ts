import { afterEach, describe, expect, it } from "vitest";
import { createFakeClock } from "../support/fake-clock.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

/**
 * The owner's Google Ads downloads (/owner/exports) on a real server: behind the owner gate like
 * every owner page, a CSV attachment in Google's click-conversion layout, bad input a 400.
 */

const servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

const NOW = Date.UTC(2026, 11, 2, 18, 0, 0);
const DAY = 86_400_000;

async function start(env: Record<string, string> = {}): Promise<TestServer> {
  const server = await startTestServer(
    { SHOP_TIME_ZONE: "America/Chicago", ...env },
    {
      clock: createFakeClock(NOW),
    },
  );
  servers.push(server);
  return server;
}

/** A thread whose lead went out yesterday, first seen from an ad click (gclid). */
async function seedSentLead(server: TestServer, threadId: string, gclid: string) {
  const { attribution } = server.services;
  await attribution.put({
    threadId,
    attribution: { gclid, utm_source: "google", first_seen_at: new Date(NOW - 2 * DAY).toISOString() },
    createdAt: NOW - 2 * DAY,
    leadSentAt: null,
    ttl: NOW + 180 * DAY,
  });
  await attribution.markLeadSent(threadId, NOW - DAY);
}

describe("owner exports", () => {
  it("shows the form and downloads the click conversions as a CSV attachment", async () => {
    const server = await start();
    await seedSentLead(server, "cthr_exp1", "CjwKCAexportGclid1");
    const page = await fetch(`${server.baseUrl}/owner/exports`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('action="/owner/exports/download"');
    expect(html).toContain('value="2026-12-01"');
    expect(html).toContain("America/Chicago");

    const download = await fetch(`${server.baseUrl}/owner/exports/download?kind=clicks&since=2026-11-01`);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(download.headers.get("content-disposition")).toBe(
      'attachment; filename="google-ads-clicks-since-2026-11-01.csv"',
    );
    const lines = (await download.text()).trim().split(/\r?\n/);
    expect(lines[0]).toBe("Parameters:TimeZone=America/Chicago");
    expect(lines[1]).toBe(
      "Google Click ID,Conversion Name,Conversion Time,Conversion Value,Conversion Currency",
    );
    // Sent 2026-12-01 18:00 UTC, which is noon in Chicago (CST, UTC-6); a lead has no value yet.
    expect(lines.slice(2)).toEqual(["CjwKCAexportGclid1,Website chat lead,2026-12-01 12:00:00-0600,,"]);
  });

  it("answers 400 with a clear error for a bad kind or date", async () => {
    const server = await start();
    for (const query of ["kind=pdf&since=2026-11-01", "kind=clicks&since=yesterday", "kind=clicks"]) {
      const response = await fetch(`${server.baseUrl}/owner/exports/download?${query}`);
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("invalid_request");
      expect(body.error.message.length).toBeGreaterThan(0);
    }
  });

  it("is behind the owner gate: a remote client gets no CSV and no click ids", async () => {
    const server = await start({ TRUST_PROXY: "1" });
    await seedSentLead(server, "cthr_exp2", "CjwKCAsecretGclid2");
    const remote = { "x-forwarded-for": "203.0.113.9" };
    for (const path of ["/owner/exports", "/owner/exports/download?kind=clicks&since=2026-11-01"]) {
      const response = await fetch(`${server.baseUrl}${path}`, { headers: remote, redirect: "manual" });
      expect(response.status).toBe(403);
      expect(await response.text()).not.toContain("CjwKCAsecretGclid2");
    }
  });

  it("with a password, sends a stranger to the login page instead of the file", async () => {
    const server = await start({ OWNER_PASSWORD: "correct horse battery staple" });
    const response = await fetch(`${server.baseUrl}/owner/exports/download?kind=enhanced&since=2026-11-01`, {
      redirect: "manual",
    });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toMatch(/^\/owner\/login\?next=/);
  });
});

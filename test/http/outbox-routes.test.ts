import { readdirSync } from "node:fs";
import { join } from "node:path";
import { Hono } from "hono";
import { simpleParser } from "mailparser";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createOutboxMailer } from "../../src/adapters/outbox/mailer.js";
import { createOutboxReader } from "../../src/adapters/outbox/outbox-reader.js";
import { composeLeadEmail } from "../../src/core/email/compose.js";
import { createOutboxRoutes } from "../../src/http/routes/outbox.js";
import { buildMime } from "../../src/services/mime.js";
import { sampleEmailInput, sampleSummary } from "../support/lead-email.js";
import { makeTempDir, type TempDir } from "../support/temp-dir.js";

describe("outbox routes", () => {
  let root: TempDir;
  let dir: string;
  let app: Hono;

  beforeEach(() => {
    root = makeTempDir("outbox-routes-");
    dir = join(root.dir, "outbox");
    app = new Hono().route("/outbox", createOutboxRoutes({ reader: createOutboxReader({ dir }) }));
  });
  afterEach(() => root.remove());

  async function send(
    threadId: string,
    customerName = "Maria Lopez",
    at = Date.UTC(2025, 0, 2),
  ): Promise<string> {
    const email = composeLeadEmail(
      sampleEmailInput({ threadId, summary: sampleSummary({ customer_name: customerName }) }),
    );
    const raw = await buildMime(email, { date: new Date(at) });
    await createOutboxMailer({ dir, now: () => at }).send({
      raw,
      from: email.from,
      to: email.to,
      messageId: email.messageId,
    });
    const name = readdirSync(dir).find((n) => n.includes(threadId));
    return (name ?? "").replace(/\.eml$/, "");
  }

  it("shows a friendly empty state before anything was sent", async () => {
    const res = await app.request("/outbox");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("No messages yet");
  });

  it("lists messages newest first with links, subject, recipient and date", async () => {
    const older = await send("cthr_older", "Ann Old", Date.UTC(2025, 0, 1));
    const newer = await send("cthr_newer", "Ned New", Date.UTC(2025, 0, 3));
    const res = await app.request("/outbox");
    const html = await res.text();
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(html.indexOf(`href="/outbox/${newer}"`)).toBeGreaterThan(0);
    expect(html.indexOf(`href="/outbox/${newer}"`)).toBeLessThan(html.indexOf(`href="/outbox/${older}"`));
    expect(html).toContain("New lead: Ned New - 2012 Honda Civic, seat repair (2 photos)");
    expect(html).toContain("owner@craigs-upholstery.example");
    expect(html).toContain("2025-01-03");
  });

  it("links to the logout page only when given one (owner password set)", async () => {
    expect(await (await app.request("/outbox")).text()).not.toContain("Log out");
    const withLogout = new Hono().route(
      "/outbox",
      createOutboxRoutes({ reader: createOutboxReader({ dir }), logoutPath: "/owner/logout" }),
    );
    const html = await (await withLogout.request("/outbox")).text();
    expect(html).toMatch(/<a href="\/owner\/logout"[^>]*>Log out<\/a>/);
    // The outbox pages themselves still submit no form: the logout form lives on that page.
    expect((await withLogout.request("/outbox")).headers.get("content-security-policy")).toContain(
      "form-action 'none'",
    );
  });

  it("escapes customer text in the listing", async () => {
    await send("cthr_evil", "<script>alert(1)</script>");
    const html = await (await app.request("/outbox")).text();
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;");
  });

  it("renders a message with its photos as data: URIs, a raw link and a strict CSP", async () => {
    const id = await send("cthr_view");
    const res = await app.request(`/outbox/${id}`);
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("img-src data: https: http:");
    expect(csp).toContain("style-src 'unsafe-inline'");
    expect(csp).not.toContain("script-src");
    const html = await res.text();
    expect(html).toContain("Text Maria");
    expect(html).not.toContain('src="cid:');
    expect(html.match(/<img src="data:image\/jpeg;base64,/g)).toHaveLength(2);
    expect(html).toContain(`href="/outbox/${id}/raw"`);
  });

  it("serves the raw .eml as message/rfc822", async () => {
    const id = await send("cthr_raw");
    const res = await app.request(`/outbox/${id}/raw`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("message/rfc822");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="${id}.eml"`);
    const parsed = await simpleParser(Buffer.from(await res.arrayBuffer()));
    expect(parsed.messageId).toBe("<lead-cthr_raw@craigs-upholstery.example>");
  });

  it.each([
    "/outbox/20250102T000000000Z-missing",
    "/outbox/..%2Fsecret",
    "/outbox/..%2F..%2Fetc%2Fpasswd/raw",
    "/outbox/not-an-id",
  ])("answers %s with a friendly 404 page", async (path) => {
    await send("cthr_exists");
    const res = await app.request(path);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(await res.text()).toContain("Message not found");
  });

  it("never serves a file outside the folder for a dot-dot path", async () => {
    // The URL parser resolves `%2E%2E` before routing, so this never reaches the outbox routes.
    expect((await app.request("/outbox/%2E%2E")).status).toBe(404);
    expect((await app.request("/outbox/%2E%2E/raw")).status).toBe(404);
  });
});

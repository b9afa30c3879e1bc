import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createOutboxMailer } from "../../src/adapters/outbox/mailer.js";
import { composeLeadEmail } from "../../src/core/email/compose.js";
import { parsePasswordHash } from "../../src/core/password-hash.js";
import { buildMime } from "../../src/services/mime.js";
import { createFakeClock } from "../support/fake-clock.js";
import { sampleEmailInput, sampleSummary } from "../support/lead-email.js";
import { startServerProcess } from "../support/server-process.js";
import { makeTempDir } from "../support/temp-dir.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

/**
 * Owner login (issue 12): every owner page and API behind OWNER_PASSWORD / OWNER_PASSWORD_HASH,
 * or loopback-only when neither is set. A real server on 127.0.0.1; a remote client is simulated
 * with TRUST_PROXY=1 and X-Forwarded-For, as test/e2e/client-ip-limits.test.ts does.
 */

const PASSWORD = "correct horse battery staple";
const BIN = join(import.meta.dirname, "../../bin/lead-handoff.js");
/** What an owner page must never show a stranger: the lead's name, subject and contact. */
const LEAD_DATA = ["Maria", "New lead", "5125550123", "maria@example.com"];

/** A tiny cookie jar: name -> value, from Set-Cookie headers. */
class Jar {
  readonly cookies = new Map<string, string>();
  take(response: Response): string[] {
    const lines = response.headers.getSetCookie();
    for (const line of lines) {
      const [pair = ""] = line.split(";");
      const at = pair.indexOf("=");
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (/max-age=0/i.test(line) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return lines;
  }
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}

const servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function start(env: Record<string, string> = {}, clock = createFakeClock()): Promise<TestServer> {
  const server = await startTestServer(env, { clock });
  servers.push(server);
  return server;
}

/** Puts one lead email (Maria's) in the server's outbox; its id. */
async function seedLead(server: TestServer): Promise<string> {
  const at = Date.UTC(2025, 0, 2);
  const email = composeLeadEmail(sampleEmailInput({ threadId: "cthr_owner", summary: sampleSummary() }));
  const raw = await buildMime(email, { date: new Date(at) });
  await createOutboxMailer({ dir: server.outboxDir, now: () => at }).send({
    raw,
    from: email.from,
    to: email.to,
    messageId: email.messageId,
  });
  const name = readdirSync(server.outboxDir).find((n) => n.includes("cthr_owner")) ?? "";
  return name.replace(/\.eml$/, "");
}

function get(server: TestServer, path: string, jar?: Jar, headers: Record<string, string> = {}) {
  return fetch(`${server.baseUrl}${path}`, {
    redirect: "manual",
    headers: { ...(jar?.cookies.size ? { cookie: jar.header() } : {}), ...headers },
  });
}

function post(
  server: TestServer,
  path: string,
  form: Record<string, string>,
  jar?: Jar,
  headers: Record<string, string> = {},
) {
  return fetch(`${server.baseUrl}${path}`, {
    method: "POST",
    redirect: "manual",
    body: new URLSearchParams(form),
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      accept: "text/html",
      ...(jar?.cookies.size ? { cookie: jar.header() } : {}),
      ...headers,
    },
  });
}

/** Opens the login page: the form's CSRF token (its nonce cookie goes into the jar). */
async function openLogin(
  server: TestServer,
  jar: Jar,
  headers: Record<string, string> = {},
): Promise<string> {
  const page = await get(server, "/owner/login", jar, headers);
  expect(page.status).toBe(200);
  jar.take(page);
  const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  expect(csrf).toBeDefined();
  return String(csrf);
}

/** Logs in through the form; the jar then holds `owner_session`. */
async function logIn(
  server: TestServer,
  jar = new Jar(),
  next?: string,
): Promise<{ jar: Jar; response: Response }> {
  const csrf = await openLogin(server, jar);
  const response = await post(
    server,
    "/owner/login",
    { password: PASSWORD, csrf, ...(next ? { next } : {}) },
    jar,
  );
  jar.take(response);
  return { jar, response };
}

/** The session's CSRF token, as owner scripts read it. */
async function sessionCsrf(server: TestServer, jar: Jar): Promise<string> {
  const response = await get(server, "/owner/session", jar, { accept: "application/json" });
  expect(response.status).toBe(200);
  jar.take(response);
  return ((await response.json()) as { csrf: string }).csrf;
}

function expectNoLeadData(body: string): void {
  for (const text of LEAD_DATA) expect(body).not.toContain(text);
}

describe("owner pages with OWNER_PASSWORD", () => {
  it("sends a browser without a session to the login page, with next, and shows no lead data", async () => {
    const server = await start({ OWNER_PASSWORD: PASSWORD });
    const id = await seedLead(server);
    for (const path of [
      "/outbox",
      `/outbox/${id}`,
      `/outbox/${id}/raw`,
      "/owner",
      "/owner/session",
      "/owner/exports",
      "/owner/conversations/cthr_any",
      "/owner/conversations/cthr_any/emails/0",
      "/owner/conversations/cthr_any/photos/0",
    ]) {
      const response = await get(server, path, undefined, { accept: "text/html" });
      expect(response.status, path).toBe(303);
      expect(response.headers.get("location")).toBe(`/owner/login?next=${encodeURIComponent(path)}`);
      expectNoLeadData(await response.text());
    }
  });

  it("answers API clients and writes without a session 401 owner_login_required, with no data", async () => {
    const server = await start({ OWNER_PASSWORD: PASSWORD });
    const id = await seedLead(server);
    for (const path of [
      "/outbox",
      `/outbox/${id}`,
      "/owner/session",
      "/owner",
      "/owner/conversations/cthr_any",
    ]) {
      const response = await get(server, path, undefined, { accept: "application/json" });
      expect(response.status, path).toBe(401);
      const text = await response.text();
      expectNoLeadData(text);
      expect(JSON.parse(text)).toMatchObject({ error: { code: "owner_login_required" } });
    }
    for (const path of [
      "/owner/logout",
      ...["send", "retry", "outcome"].map((a) => `/owner/conversations/cthr_any/${a}`),
    ]) {
      const write = await post(server, path, { outcome: "spam", anyway: "1" });
      expect(write.status, path).toBe(401);
      expect(await write.json()).toMatchObject({ error: { code: "owner_login_required" } });
    }
  });

  it("refuses a forged, foreign or expired session cookie", async () => {
    const clock = createFakeClock();
    const server = await start({ OWNER_PASSWORD: PASSWORD, SESSION_SECRET: "s".repeat(40) }, clock);
    const other = await start({ OWNER_PASSWORD: "another password", SESSION_SECRET: "s".repeat(40) }, clock);
    const { jar } = await logIn(server);
    const token = String(jar.cookies.get("owner_session"));
    const forged = new Jar();
    forged.cookies.set("owner_session", `${token.slice(0, -4)}AAAA`);
    expect((await get(server, "/outbox", forged)).status).toBe(303);
    // Same key, other password: a session is bound to the password it was granted under.
    expect((await get(other, "/outbox", jar)).status).toBe(303);
    expect((await get(server, "/outbox", jar)).status).toBe(200);
    clock.advance(12 * 60 * 60 * 1000);
    expect((await get(server, "/outbox", jar)).status).toBe(303);
  });

  it("shows an accessible login form with strict headers", async () => {
    const server = await start({ OWNER_PASSWORD: PASSWORD });
    const response = await get(server, "/owner/login?next=%2Foutbox");
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("referrer-policy")).toBe("same-origin");
    const csp = String(response.headers.get("content-security-policy"));
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("script-src");
    const html = await response.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain('<form method="post" action="/owner/login">');
    expect(html).toContain('<label for="password">Password</label>');
    expect(html).toContain('id="password" name="password" type="password" autocomplete="current-password"');
    expect(html).toContain('<input type="hidden" name="next" value="/outbox">');
    const nonce = response.headers.getSetCookie().find((line) => line.startsWith("owner_login="));
    expect(nonce).toMatch(/; Path=\/owner\/login/);
    expect(nonce).toMatch(/; HttpOnly/);
    expect(nonce).toMatch(/; SameSite=Strict/);
  });

  it("answers a wrong password 401 with the form again, and sets no session", async () => {
    const server = await start({ OWNER_PASSWORD: PASSWORD });
    const jar = new Jar();
    const csrf = await openLogin(server, jar);
    const response = await post(server, "/owner/login", { password: "wrong password", csrf }, jar);
    expect(response.status).toBe(401);
    expect(response.headers.getSetCookie().some((line) => line.startsWith("owner_session="))).toBe(false);
    const html = await response.text();
    expect(html).toContain('role="alert">Wrong password. Try again.');
    expect(html).toContain('name="csrf"');
    const json = await post(server, "/owner/login", { password: "wrong password", csrf }, jar, {
      accept: "application/json",
    });
    expect(json.status).toBe(401);
    expect(await json.json()).toEqual({ error: { code: "owner_login_failed", message: "Wrong password." } });
  });

  it("logs in: an HttpOnly SameSite=Strict cookie for 12 h, 303 to next, and the outbox opens", async () => {
    const server = await start({ OWNER_PASSWORD: PASSWORD });
    const id = await seedLead(server);
    const { jar, response } = await logIn(server, new Jar(), `/outbox/${id}`);
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`/outbox/${id}`);
    const cookie = response.headers.getSetCookie().find((line) => line.startsWith("owner_session="));
    expect(cookie).toMatch(/^owner_session=ows_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+;/);
    expect(cookie).toContain("; Max-Age=43200");
    expect(cookie).toContain("; Path=/");
    expect(cookie).toContain("; HttpOnly");
    expect(cookie).toContain("; SameSite=Strict");
    expect(cookie).not.toContain("Secure");
    const list = await get(server, "/outbox", jar);
    expect(list.status).toBe(200);
    const html = await list.text();
    expect(html).toContain("New lead: Maria Lopez");
    expect(html).toMatch(/<a href="\/owner\/logout"[^>]*>Log out<\/a>/);
    const message = await get(server, `/outbox/${id}`, jar);
    expect(message.status).toBe(200);
    expect(await message.text()).toContain("Text Maria");
    // The console opens with the same session.
    const leadsPage = await get(server, "/owner", jar);
    expect(leadsPage.status).toBe(200);
    expect(await leadsPage.text()).toContain("<h1>Leads</h1>");
    // A logged-in owner opening the login page goes straight on.
    const again = await get(server, "/owner/login?next=%2Foutbox", jar);
    expect(again.status).toBe(303);
    expect(again.headers.get("location")).toBe("/outbox");
  });

  it("marks the cookie Secure when PUBLIC_BASE_URL is https", async () => {
    const server = await start({ OWNER_PASSWORD: PASSWORD, PUBLIC_BASE_URL: "https://shop.example" });
    const { response } = await logIn(server);
    const cookie = response.headers.getSetCookie().find((line) => line.startsWith("owner_session="));
    expect(cookie).toContain("; Secure");
  });

  it.each([
    "https://evil.example/outbox",
    "//evil.example/outbox",
    "/\\evil.example",
    "/\t/evil.example",
    "javascript:alert(1)",
    "http:evil.example",
    "evil.example",
  ])("refuses to redirect to %j after a login (open redirect)", async (next) => {
    const server = await start({ OWNER_PASSWORD: PASSWORD });
    const { response } = await logIn(server, new Jar(), next);
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/owner");
    const page = await get(server, `/owner/login?next=${encodeURIComponent(next)}`);
    expect(await page.text()).not.toContain('name="next"');
  });

  it("refuses a login form without its CSRF token, with a wrong one, or without the nonce cookie", async () => {
    const server = await start({ OWNER_PASSWORD: PASSWORD });
    const jar = new Jar();
    const csrf = await openLogin(server, jar);
    const otherJar = new Jar();
    const otherCsrf = await openLogin(server, otherJar);
    const attempts: [Record<string, string>, Jar | undefined][] = [
      [{ password: PASSWORD }, jar],
      [{ password: PASSWORD, csrf: "A".repeat(43) }, jar],
      [{ password: PASSWORD, csrf: otherCsrf }, jar],
      [{ password: PASSWORD, csrf }, undefined],
    ];
    for (const [form, cookies] of attempts) {
      const response = await post(server, "/owner/login", form, cookies, { accept: "application/json" });
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ error: { code: "csrf" } });
      expect(response.headers.getSetCookie().some((line) => line.startsWith("owner_session="))).toBe(false);
    }
    const page = await post(server, "/owner/login", { password: PASSWORD }, jar);
    expect(page.status).toBe(403);
    expect(await page.text()).toContain("The form expired");
    // A form on another site is refused before the password is even looked at.
    const foreign = await post(server, "/owner/login", { password: PASSWORD, csrf }, jar, {
      origin: "https://evil.example",
    });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ error: { code: "origin_not_allowed" } });
    // The page's own form (Chromium sends this Origin: the page's referrer policy is same-origin).
    const own = await post(server, "/owner/login", { password: PASSWORD, csrf }, jar, {
      origin: server.baseUrl,
    });
    expect(own.status).toBe(303);
  });

  it("validates the login form with zod", async () => {
    const server = await start({ OWNER_PASSWORD: PASSWORD });
    const jar = new Jar();
    const csrf = await openLogin(server, jar);
    const response = await post(server, "/owner/login", { csrf }, jar);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: "invalid_request" } });
  });

  it("limits login attempts per IP: 10 in 15 minutes, then 429 with Retry-After", async () => {
    const server = await start({ OWNER_PASSWORD: PASSWORD, TRUST_PROXY: "1" });
    const from = { "x-forwarded-for": "203.0.113.5" };
    const jar = new Jar();
    const csrf = await openLogin(server, jar, from);
    for (let attempt = 1; attempt <= 10; attempt++) {
      const response = await post(server, "/owner/login", { password: `guess ${attempt}`, csrf }, jar, from);
      expect(response.status, `attempt ${attempt}`).toBe(401);
    }
    // Even the right password waits.
    const limited = await post(server, "/owner/login", { password: PASSWORD, csrf }, jar, from);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(limited.headers.getSetCookie().some((line) => line.startsWith("owner_session="))).toBe(false);
    expect(await limited.text()).toContain("Too many attempts");
    const json = await post(server, "/owner/login", { password: PASSWORD, csrf }, jar, {
      ...from,
      accept: "application/json",
    });
    expect(json.status).toBe(429);
    expect(await json.json()).toMatchObject({ error: { code: "rate_limited" } });
    // Another address is not held up by this one.
    const other = await post(server, "/owner/login", { password: PASSWORD, csrf }, jar, {
      "x-forwarded-for": "203.0.113.6",
    });
    expect(other.status).toBe(303);
  });

  it("needs the session's CSRF token on every owner write", async () => {
    const server = await start({ OWNER_PASSWORD: PASSWORD });
    const { jar } = await logIn(server);
    const { jar: otherJar } = await logIn(server);
    const foreign = await sessionCsrf(server, otherJar);
    const attempts: [Record<string, string>, Record<string, string>][] = [
      [{}, {}],
      [{ csrf: "" }, {}],
      [{ csrf: "A".repeat(43) }, {}],
      [{ csrf: foreign }, {}],
      [{}, { "x-csrf-token": foreign }],
    ];
    for (const [form, headers] of attempts) {
      const response = await post(server, "/owner/logout", form, jar, headers);
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ error: { code: "csrf" } });
    }
    // Refused writes changed nothing: the session still works.
    expect((await get(server, "/outbox", jar)).status).toBe(200);
    const byHeader = await post(server, "/owner/logout", {}, jar, {
      "x-csrf-token": await sessionCsrf(server, jar),
      accept: "application/json",
    });
    expect(byHeader.status).toBe(200);
    expect(await byHeader.json()).toEqual({ ok: true });
  });

  it("logs out: the cookie is cleared and the old token no longer opens anything", async () => {
    const server = await start({ OWNER_PASSWORD: PASSWORD });
    await seedLead(server);
    const { jar } = await logIn(server);
    const stolen = new Jar();
    stolen.cookies.set("owner_session", String(jar.cookies.get("owner_session")));
    const confirm = await get(server, "/owner/logout", jar);
    expect(confirm.status).toBe(200);
    const csrf = /name="csrf" value="([^"]+)"/.exec(await confirm.text())?.[1];
    const response = await post(server, "/owner/logout", { csrf: String(csrf) }, jar);
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/owner/login?logged_out=1");
    const cleared = response.headers.getSetCookie().find((line) => line.startsWith("owner_session="));
    expect(cleared).toMatch(/^owner_session=;/);
    expect(cleared).toContain("Max-Age=0");
    expect(cleared).toContain("Path=/");
    jar.take(response);
    expect(jar.cookies.has("owner_session")).toBe(false);
    const after = await get(server, "/outbox", jar);
    expect(after.status).toBe(303);
    expectNoLeadData(await after.text());
    expect((await get(server, "/outbox", stolen)).status).toBe(303);
    expect(await (await get(server, "/owner/login?logged_out=1")).text()).toContain("You are logged out.");
  });

  it("takes OWNER_PASSWORD_HASH as `hash-password` prints it (CLI round trip)", async () => {
    const { code, stdout } = await hashCli(`${PASSWORD}\n`);
    expect(code).toBe(0);
    const hash = stdout.trim();
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/]+=*\$[A-Za-z0-9+/]+=*$/);
    expect(parsePasswordHash(hash)).not.toBeNull();
    const server = await start({ OWNER_PASSWORD_HASH: hash });
    const wrong = new Jar();
    const csrf = await openLogin(server, wrong);
    expect((await post(server, "/owner/login", { password: `${PASSWORD}!`, csrf }, wrong)).status).toBe(401);
    const { response } = await logIn(server);
    expect(response.status).toBe(303);
  });

  it("leaves the customer-facing routes as they were", async () => {
    const server = await start({ OWNER_PASSWORD: PASSWORD });
    expect((await get(server, "/healthz")).status).toBe(200);
    expect((await get(server, "/")).status).toBe(200);
    const session = await fetch(`${server.baseUrl}/api/chatkit/session`, { method: "POST" });
    expect(session.status).toBe(200);
  });
});

/** Runs `lead-handoff hash-password` with `input` on stdin. */
function hashCli(input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, "hash-password"], { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += String(chunk);
    });
    child.stderr.on("data", (chunk) => {
      stderr += String(chunk);
    });
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe("lead-handoff hash-password", () => {
  it("prints a different salt each time, reading only the first line", async () => {
    const [a, b] = await Promise.all([hashCli(`${PASSWORD}\nignored\n`), hashCli(PASSWORD)]);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(a.stdout.trim()).not.toBe(b.stdout.trim());
  });

  it("refuses a password shorter than 8 characters with one line (exit 2)", async () => {
    const { code, stdout, stderr } = await hashCli("short\n");
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.trim()).toBe("lead-handoff: the password must be at least 8 characters");
  });
});

/** A raw request, so the test chooses the Host header (fetch may not). */
function rawGet(server: TestServer, path: string, headers: Record<string, string>) {
  const url = new URL(server.baseUrl);
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path, method: "GET", headers }, (res) => {
      let body = "";
      res.on("data", (chunk) => {
        body += String(chunk);
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("owner pages without a password (loopback only)", () => {
  it("open from 127.0.0.1 without a login, with a session for CSRF", async () => {
    const server = await start();
    await seedLead(server);
    const jar = new Jar();
    const list = await get(server, "/outbox", jar);
    expect(list.status).toBe(200);
    const html = await list.text();
    expect(html).toContain("New lead: Maria Lopez");
    expect(html).not.toContain("Log out");
    jar.take(list);
    expect(jar.cookies.get("owner_session")).toMatch(/^ows_/);
    const session = await get(server, "/owner/session", jar, { accept: "application/json" });
    expect(await session.json()).toMatchObject({ owner: { access: "loopback" } });
    // Writes still need the token, even from this computer: another site's page can post here.
    expect((await post(server, "/owner/logout", {})).status).toBe(403);
    expect((await post(server, "/owner/logout", {}, jar)).status).toBe(403);
    const csrf = await sessionCsrf(server, jar);
    expect((await post(server, "/owner/logout", { csrf }, jar)).status).toBe(303);
  });

  it("says on the login page that no password is set, and takes no login", async () => {
    const server = await start();
    const page = await get(server, "/owner/login");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("No owner password is set");
    expect(html).toContain("OWNER_PASSWORD");
    expect(html).not.toContain('type="password"');
    const login = await post(server, "/owner/login", { password: PASSWORD }, undefined, {
      accept: "application/json",
    });
    expect(login.status).toBe(400);
    expect(await login.json()).toMatchObject({ error: { code: "owner_password_not_set" } });
  });

  it("refuses a remote client 403 owner_access_local_only, with a page saying to set OWNER_PASSWORD", async () => {
    const server = await start({ TRUST_PROXY: "1" });
    const id = await seedLead(server);
    const remote = { "x-forwarded-for": "203.0.113.9" };
    for (const path of ["/outbox", `/outbox/${id}`, `/outbox/${id}/raw`, "/owner/session"]) {
      const page = await get(server, path, undefined, { ...remote, accept: "text/html" });
      expect(page.status, path).toBe(403);
      const html = await page.text();
      expectNoLeadData(html);
      expect(html).toContain("set <code>OWNER_PASSWORD</code>");
      expect(html).toContain("owner_access_local_only");
      const json = await get(server, path, undefined, { ...remote, accept: "application/json" });
      expect(json.status).toBe(403);
      const text = await json.text();
      expectNoLeadData(text);
      expect(JSON.parse(text)).toMatchObject({ error: { code: "owner_access_local_only" } });
    }
    // The nearest proxy saw this computer: local.
    expect((await get(server, "/outbox", undefined, { "x-forwarded-for": "127.0.0.1" })).status).toBe(200);
  });

  it("treats a forwarded request as remote when no proxy is trusted", async () => {
    const server = await start();
    const forwarded = await get(server, "/outbox", undefined, { "x-forwarded-for": "127.0.0.1" });
    expect(forwarded.status).toBe(403);
  });

  it("refuses a Host that does not name this computer (DNS rebinding)", async () => {
    const server = await start();
    await seedLead(server);
    const port = new URL(server.baseUrl).port;
    const rebound = await rawGet(server, "/outbox", { host: `evil.example:${port}` });
    expect(rebound.status).toBe(403);
    expectNoLeadData(rebound.body);
    expect((await rawGet(server, "/outbox", { host: `localhost:${port}` })).status).toBe(200);
  });
});

describe("the start log line", () => {
  it.each([
    [{ OWNER_PASSWORD: PASSWORD }, "owner pages: password login", "password"],
    [{ OWNER_PASSWORD: "" }, "owner pages: loopback only (set OWNER_PASSWORD)", "loopback"],
  ])("says which owner access is in force (%j)", async (env, words, field) => {
    const temp = makeTempDir();
    const server = await startServerProcess(temp.dir, {
      ...env,
      OWNER_PASSWORD_HASH: "",
      LEAD_SWEEP_INTERVAL_SECONDS: "0",
    });
    try {
      const ready = server.logs.find((line) => line.msg.startsWith("lead-handoff ready"));
      expect(ready?.msg).toContain(words);
      expect(ready?.owner_pages).toBe(field);
    } finally {
      server.child.kill("SIGTERM");
      await server.exited;
      temp.remove();
    }
  });
});

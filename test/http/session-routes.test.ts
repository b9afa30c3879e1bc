import { Hono } from "hono";
import { beforeEach, describe, expect, it } from "vitest";
import { createRateLimiter } from "../../src/core/rate-limit.js";
import { errorResponse } from "../../src/http/errors.js";
import { type AuthEnv, requireClientSecret } from "../../src/http/middleware/auth.js";
import { createCors } from "../../src/http/middleware/cors.js";
import { ipKey, rateLimit } from "../../src/http/middleware/rate-limit.js";
import { createSessionRoutes } from "../../src/http/routes/session.js";
import { silentLogger } from "../../src/ports/logger.js";
import { createSessionService, type SessionService } from "../../src/services/sessions.js";
import { createFakeClock, type FakeClock } from "../support/fake-clock.js";

const SITE = "https://shop.example";
const API = "http://api.test";

/** The pieces wired the way app.ts is meant to wire them, plus two tiny protected routes. */
function buildApp(clock: FakeClock, sessionLimit = 30, key = new Uint8Array(32).fill(3), trustProxy = 0) {
  const sessions = createSessionService({ key, clock });
  const app = new Hono<AuthEnv>();
  app.onError((error, c) => errorResponse(error, c, silentLogger));
  app.use("*", createCors({ allowedOrigins: [`${SITE}/`, "http://localhost:8787"] }));
  app.route(
    "/api/chatkit/session",
    createSessionRoutes({
      sessions,
      rateLimiter: createRateLimiter({ limit: sessionLimit, windowMs: 600_000 }),
      clock,
      trustProxy,
    }),
  );
  app.use("/api/whoami", requireClientSecret(sessions));
  app.post("/api/whoami", (c) => c.json({ userId: c.get("userId") }));
  app.use("/lead", requireClientSecret(sessions, { allowBodySecret: true }));
  // Reads the body again after the middleware did, as the real /lead route does.
  app.post("/lead", async (c) => {
    const text = await c.req.text();
    const json = await c.req.json<{ thread_id: string }>();
    return c.json({ userId: c.get("userId"), thread_id: json.thread_id, length: text.length });
  });
  app.use("/upload", requireClientSecret(sessions));
  app.post("/upload", (c) => c.json({ ok: true }));
  return { app, sessions };
}

async function createSession(app: Hono<AuthEnv>, init: RequestInit = {}, url = `${API}/api/chatkit/session`) {
  const res = await app.request(url, { method: "POST", ...init });
  return { res, body: (await res.json()) as { client_secret: string; expires_at: number } };
}

describe("POST /api/chatkit/session", () => {
  let clock: FakeClock;
  let app: Hono<AuthEnv>;
  let sessions: SessionService;
  beforeEach(() => {
    clock = createFakeClock();
    ({ app, sessions } = buildApp(clock));
  });

  it("answers a secret and sets the session cookie (HttpOnly, Lax, 30 days, not Secure on http)", async () => {
    const { res, body } = await createSession(app);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(body.expires_at).toBe(Math.floor(clock.now() / 1000) + 600);
    expect(body.client_secret).toMatch(/^cks_/);
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^chatkit_session_id=[0-9a-f-]{36};/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
    expect(cookie).toContain("Max-Age=2592000");
    expect(cookie).toContain("Path=/");
    expect(cookie).not.toContain("Secure");
  });

  it("marks the cookie Secure on https and behind a TLS-terminating proxy", async () => {
    const direct = await createSession(app, {}, "https://api.test/api/chatkit/session");
    expect(direct.res.headers.get("set-cookie")).toContain("Secure");
    const proxied = await createSession(app, { headers: { "x-forwarded-proto": "https" } });
    expect(proxied.res.headers.get("set-cookie")).toContain("Secure");
  });

  it("keeps the same user when the cookie comes back, without setting it again", async () => {
    const first = await createSession(app);
    const cookie = (first.res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const second = await createSession(app, { headers: { cookie } });
    expect(second.res.headers.get("set-cookie")).toBeNull();
    const a = await sessions.authenticate(first.body.client_secret);
    const b = await sessions.authenticate(second.body.client_secret);
    expect(b.userId).toBe(a.userId);
    expect(cookie).toBe(`chatkit_session_id=${a.userId}`);
  });

  it("derives the user from a visitor key (JSON or text/plain) and sets no cookie", async () => {
    const visitor_key = "0123456789abcdef0123";
    const json = await createSession(app, {
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ visitor_key }),
    });
    const plain = await createSession(app, {
      headers: { "content-type": "text/plain" },
      body: JSON.stringify({ visitor_key }),
    });
    expect(json.res.headers.get("set-cookie")).toBeNull();
    const a = await sessions.authenticate(json.body.client_secret);
    const b = await sessions.authenticate(plain.body.client_secret);
    expect(a.userId).toBe(b.userId);
    expect(a.userId).toMatch(/^vk_[0-9a-f]{64}$/);
  });

  it("refuses a bad body with 400 and a huge one with 413", async () => {
    const short = await app.request(`${API}/api/chatkit/session`, {
      method: "POST",
      body: JSON.stringify({ visitor_key: "short" }),
    });
    expect(short.status).toBe(400);
    const notJson = await app.request(`${API}/api/chatkit/session`, { method: "POST", body: "{nope" });
    expect(notJson.status).toBe(400);
    const huge = await app.request(`${API}/api/chatkit/session`, {
      method: "POST",
      body: JSON.stringify({ visitor_key: "x".repeat(10_000) }),
    });
    expect(huge.status).toBe(413);
  });
});

describe("requireClientSecret", () => {
  let clock: FakeClock;
  let app: Hono<AuthEnv>;
  beforeEach(() => {
    clock = createFakeClock();
    ({ app } = buildApp(clock));
  });

  const whoami = (secret?: string) =>
    app.request(`${API}/api/whoami`, {
      method: "POST",
      headers: secret === undefined ? {} : { authorization: `Bearer ${secret}` },
    });

  it("sets userId from a valid bearer secret", async () => {
    const { body } = await createSession(app);
    const res = await whoami(body.client_secret);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { userId: string }).userId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers 401 unauthorized for expired, forged, malformed and missing secrets", async () => {
    const { body } = await createSession(app);
    clock.advance(600_000);
    // signed with another key, and unexpired at the current time
    const other = buildApp(createFakeClock(clock.now()), 30, new Uint8Array(32).fill(9));
    const forged = (await createSession(other.app)).body.client_secret;
    for (const res of [
      await whoami(body.client_secret),
      await whoami(forged),
      await whoami("garbage"),
      await whoami(),
      await app.request(`${API}/api/whoami`, { method: "POST", headers: { authorization: "Basic abc" } }),
    ]) {
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
    }
  });

  it("accepts a body secret only where allowed, and the route can still read the body", async () => {
    const { body } = await createSession(app);
    const beacon = JSON.stringify({
      thread_id: "cthr_1",
      reason: "pagehide",
      client_secret: body.client_secret,
    });
    const lead = await app.request(`${API}/lead`, {
      method: "POST",
      headers: { "content-type": "text/plain;charset=UTF-8" },
      body: beacon,
    });
    expect(lead.status).toBe(200);
    expect(await lead.json()).toMatchObject({ thread_id: "cthr_1", length: beacon.length });
    const whoamiWithBody = await app.request(`${API}/api/whoami`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ client_secret: body.client_secret }),
    });
    expect(whoamiWithBody.status).toBe(401);
    const noSecret = await app.request(`${API}/lead`, { method: "POST", body: '{"thread_id":"cthr_1"}' });
    expect(noSecret.status).toBe(401);
  });
});

describe("CORS", () => {
  let app: Hono<AuthEnv>;
  beforeEach(() => {
    ({ app } = buildApp(createFakeClock()));
  });

  const preflight = (origin: string) =>
    app.request(`${API}/api/chatkit/session`, {
      method: "OPTIONS",
      headers: {
        origin,
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type",
      },
    });

  it("answers an allowed origin's preflight and request with credentials", async () => {
    const pre = await preflight(SITE);
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe(SITE);
    expect(pre.headers.get("access-control-allow-credentials")).toBe("true");
    expect(pre.headers.get("access-control-allow-headers")).toBe("authorization,content-type");
    // Whatever else the official component (or a site's fetch wrapper) sends is let through too.
    const custom = await app.request(`${API}/api/chatkit`, {
      method: "OPTIONS",
      headers: {
        origin: SITE,
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type, x-chatkit-domain-key",
      },
    });
    expect(custom.headers.get("access-control-allow-headers")).toBe(
      "authorization,content-type,x-chatkit-domain-key",
    );
    expect(pre.headers.get("access-control-allow-methods")).toContain("POST");
    const { res } = await createSession(app, { headers: { origin: SITE } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(SITE);
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
    expect(res.headers.get("vary")).toContain("Origin");
  });

  it("gives a disallowed origin no CORS headers: failed preflight, refused writes", async () => {
    for (const origin of [
      "https://evil.example",
      "https://shop.example.evil.example",
      "http://shop.example",
    ]) {
      const pre = await preflight(origin);
      expect(pre.status).toBe(403);
      expect(pre.headers.get("access-control-allow-origin")).toBeNull();
      expect(pre.headers.get("access-control-allow-credentials")).toBeNull();
      const post = await app.request(`${API}/api/chatkit/session`, { method: "POST", headers: { origin } });
      expect(post.status).toBe(403);
      expect(post.headers.get("access-control-allow-origin")).toBeNull();
      expect(post.headers.get("set-cookie")).toBeNull();
    }
  });

  it("lets requests without an Origin through (curl, server-to-server)", async () => {
    const { res } = await createSession(app);
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("refuses a list entry that is not an origin", () => {
    expect(() => createCors({ allowedOrigins: ["*"] })).toThrow(/not an http\(s\) origin/);
  });
});

describe("rate limits", () => {
  it("answers 429 with Retry-After after the limit, per IP", async () => {
    const clock = createFakeClock();
    // Two proxies of ours in front: the client is the second X-Forwarded-For entry from the right.
    const { app } = buildApp(clock, 3, undefined, 2);
    const from = (ip: string) => ({ headers: { "x-forwarded-for": `${ip}, 10.0.0.1` } });
    for (let i = 0; i < 3; i++) expect((await createSession(app, from("203.0.113.7"))).res.status).toBe(200);
    const limited = await app.request(`${API}/api/chatkit/session`, {
      method: "POST",
      ...from("203.0.113.7"),
    });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("200");
    expect(await limited.json()).toEqual({
      error: { code: "rate_limited", message: "Too many requests; please slow down." },
    });
    // A made-up entry to the left is not another client.
    expect((await createSession(app, from("6.6.6.6, 203.0.113.7"))).res.status).toBe(429);
    expect((await createSession(app, from("198.51.100.2"))).res.status).toBe(200);
    clock.advance(200_000);
    expect((await createSession(app, from("203.0.113.7"))).res.status).toBe(200);
  });

  it("charges several keys (per user and per IP) and works without a socket", async () => {
    const clock = createFakeClock();
    const app = new Hono();
    app.use(
      rateLimit(
        createRateLimiter({ limit: 2, windowMs: 60_000 }),
        (c) => [ipKey(c), `user:${c.req.query("u")}`],
        {
          clock,
        },
      ),
    );
    app.get("/", (c) => c.text("ok"));
    expect((await app.request("/?u=a")).status).toBe(200); // no socket, no header: ip "unknown"
    // ipKey trusts no proxy: a made-up X-Forwarded-For is still ip "unknown".
    expect((await app.request("/?u=b", { headers: { "x-forwarded-for": "198.51.100.9" } })).status).toBe(200);
    const res = await app.request("/?u=c");
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("30");
  });

  it("keys per-IP limits on a Lambda event's sourceIp, never on a forged X-Forwarded-For", async () => {
    const app = new Hono();
    app.use(
      rateLimit(createRateLimiter({ limit: 1, windowMs: 60_000 }), ipKey, { clock: createFakeClock() }),
    );
    app.get("/", (c) => c.text("ok"));
    // What hono/aws-lambda passes as the app's env for an API Gateway v2 or Function URL event.
    const from = (sourceIp: string) => ({ requestContext: { http: { sourceIp } } });
    const forged = { headers: { "x-forwarded-for": "198.51.100.9" } };
    expect((await app.request("/", forged, from("203.0.113.7"))).status).toBe(200);
    expect((await app.request("/", {}, from("203.0.113.8"))).status).toBe(200);
    expect((await app.request("/", forged, from("203.0.113.7"))).status).toBe(429);
  });

  it("limits only what an async key function picks from the body, and the route still reads it", async () => {
    const app = new Hono();
    const limiter = createRateLimiter({ limit: 1, windowMs: 60_000 });
    app.use(
      rateLimit(
        limiter,
        async (c) =>
          (await c.req.json<{ type: string }>()).type === "threads.add_user_message" ? "user:u" : [],
        { clock: createFakeClock() },
      ),
    );
    app.post("/", async (c) => c.json(await c.req.json()));
    const send = (type: string) => app.request("/", { method: "POST", body: JSON.stringify({ type }) });
    expect((await send("threads.add_user_message")).status).toBe(200);
    expect((await send("threads.list")).status).toBe(200);
    expect(await (await send("items.list")).json()).toEqual({ type: "items.list" });
    expect((await send("threads.add_user_message")).status).toBe(429);
  });
});

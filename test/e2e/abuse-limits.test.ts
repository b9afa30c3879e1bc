import { afterEach, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/test-server.js";

describe("abuse limits and origins through the real app", () => {
  let server: TestServer;
  afterEach(async () => server?.close());

  const message = (text: string) => ({
    type: "threads.create",
    params: { input: { content: [{ type: "input_text", text }], attachments: [] } },
  });

  it("limits messages per user with a 429 and Retry-After, and refuses over-long messages", async () => {
    server = await startTestServer({ RATE_LIMIT_MESSAGES_PER_USER: "2" });
    const { secret } = await server.session();
    const send = (body: unknown) =>
      fetch(`${server.baseUrl}/api/chatkit`, {
        method: "POST",
        headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const tooLong = await send(message("x".repeat(4001)));
    expect(tooLong.status).toBe(413);
    expect(await tooLong.json()).toMatchObject({ error: { code: "message_too_long" } });
    expect((await send(message("hi"))).status).toBe(200);
    const limited = await send(message("hi again"));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ error: { code: "rate_limited" } });
    // Reading is not sending: listing threads still works.
    expect((await send({ type: "threads.list", params: {} })).status).toBe(200);
  });

  it("limits session creation per IP", async () => {
    server = await startTestServer({ RATE_LIMIT_SESSIONS_PER_IP: "2" });
    const create = () =>
      fetch(`${server.baseUrl}/api/chatkit/session`, {
        method: "POST",
        headers: { "x-forwarded-for": "203.0.113.9" },
      });
    expect((await create()).status).toBe(200);
    expect((await create()).status).toBe(200);
    const third = await create();
    expect(third.status).toBe(429);
    expect(third.headers.get("retry-after")).toMatch(/^\d+$/);
  });

  it("answers allowed origins with CORS headers and refuses writes from others", async () => {
    server = await startTestServer({ ALLOWED_ORIGINS: "https://craigs.example" });
    const allowed = await fetch(`${server.baseUrl}/api/chatkit/session`, {
      method: "POST",
      headers: { origin: "https://craigs.example" },
    });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://craigs.example");
    expect(allowed.headers.get("access-control-allow-credentials")).toBe("true");
    const preflight = await fetch(`${server.baseUrl}/api/chatkit`, {
      method: "OPTIONS",
      headers: {
        origin: "https://craigs.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type",
      },
    });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("authorization");
    const foreign = await fetch(`${server.baseUrl}/lead`, {
      method: "POST",
      headers: { origin: "https://evil.example", "content-type": "text/plain" },
      body: "{}",
    });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get("access-control-allow-origin")).toBeNull();
    // The server's own pages are same-origin on whatever port it runs, listed or not.
    const own = await fetch(`${server.baseUrl}/api/chatkit/session`, {
      method: "POST",
      headers: { origin: server.baseUrl },
    });
    expect(own.status).toBe(200);
  });
});

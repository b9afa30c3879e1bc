import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { afterEach, describe, expect, it } from "vitest";
import { clientIp } from "../../src/http/middleware/rate-limit.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

/**
 * Per-IP limits through the real server on 127.0.0.1: a made-up X-Forwarded-For must not buy a
 * fresh allowance. Every request here comes from the same socket address (127.0.0.1).
 */
describe("per-IP limits key on the socket unless TRUST_PROXY says otherwise", () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function createSession(baseUrl: string, forwardedFor?: string): Promise<number> {
    const response = await fetch(`${baseUrl}/api/chatkit/session`, {
      method: "POST",
      headers: forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor },
    });
    await response.arrayBuffer();
    return response.status;
  }

  it("ignores X-Forwarded-For by default: 40 invented addresses share one allowance", async () => {
    server = await startTestServer({ RATE_LIMIT_SESSIONS_PER_IP: "5" });
    const statuses: number[] = [];
    for (let i = 1; i <= 40; i++) {
      statuses.push(await createSession(server.baseUrl, `198.51.100.${i}`));
    }
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual(Array(35).fill(429));
    // Without any header: the same socket, the same spent allowance.
    expect(await createSession(server.baseUrl)).toBe(429);
  });

  it("ignores X-Forwarded-For by default for the per-IP protocol limit too", async () => {
    server = await startTestServer({ RATE_LIMIT_MESSAGES_PER_IP: "3" });
    const { secret } = await server.session();
    const statuses: number[] = [];
    for (let i = 1; i <= 10; i++) {
      const response = await fetch(`${server.baseUrl}/api/chatkit`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${secret}`,
          "content-type": "application/json",
          "x-forwarded-for": `198.51.100.${i}`,
        },
        body: JSON.stringify({ type: "threads.list", params: {} }),
      });
      await response.arrayBuffer();
      statuses.push(response.status);
    }
    expect(statuses).toEqual([200, 200, 200, ...Array(7).fill(429)]);
  });

  it("with TRUST_PROXY=1 counts each right-most address, whatever the client put to its left", async () => {
    server = await startTestServer({ RATE_LIMIT_SESSIONS_PER_IP: "3", TRUST_PROXY: "1" });
    const { baseUrl } = server;
    // One client behind our proxy, inventing a new left-most entry every time: one allowance.
    const spoofing: number[] = [];
    for (let i = 1; i <= 10; i++) {
      spoofing.push(await createSession(baseUrl, `198.51.100.${i}, 10.0.0.${i}, 203.0.113.1`));
    }
    expect(spoofing).toEqual([200, 200, 200, ...Array(7).fill(429)]);
    // Distinct clients, as our proxy saw them, each have their own allowance.
    for (let i = 2; i <= 11; i++) {
      expect(await createSession(baseUrl, `198.51.100.1, 203.0.113.${i}`)).toBe(200);
      expect(await createSession(baseUrl, `203.0.113.${i}`)).toBe(200);
    }
    // No header: the socket's address (127.0.0.1), a bucket of its own.
    expect(await createSession(baseUrl)).toBe(200);
  });
});

describe("clientIp on a real socket", () => {
  it("reads the socket's address, and X-Forwarded-For only as far as TRUST_PROXY hops", async () => {
    const app = new Hono();
    app.get("/", (c) => c.json({ none: clientIp(c), one: clientIp(c, 1), two: clientIp(c, 2) }));
    const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const ask = async (forwardedFor?: string) =>
      (
        await fetch(base, { headers: forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor } })
      ).json();
    try {
      expect(await ask()).toEqual({ none: "127.0.0.1", one: "127.0.0.1", two: "127.0.0.1" });
      expect(await ask("203.0.113.5")).toEqual({ none: "127.0.0.1", one: "203.0.113.5", two: "127.0.0.1" });
      expect(await ask("6.6.6.6, 203.0.113.5, 10.0.0.1")).toEqual({
        none: "127.0.0.1",
        one: "10.0.0.1",
        two: "203.0.113.5",
      });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

import { beforeEach, describe, expect, it } from "vitest";
import { UnauthorizedError } from "../../src/core/errors.js";
import { createSessionService, type SessionService, visitorUserId } from "../../src/services/sessions.js";
import { createFakeClock, type FakeClock } from "../support/fake-clock.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const VISITOR_KEY = "vk-browser-4b1c9f0e2d7a8b3c";

describe("session service", () => {
  let clock: FakeClock;
  let sessions: SessionService;
  beforeEach(() => {
    clock = createFakeClock();
    sessions = createSessionService({ key: new Uint8Array(32).fill(1), clock });
  });

  it("mints a new user and asks for the cookie when there is none", async () => {
    const session = await sessions.create({});
    expect(session.userId).toMatch(UUID);
    expect(session.newCookieUserId).toBe(session.userId);
    expect(session.expires_at).toBe(Math.floor(clock.now() / 1000) + 600);
    expect(await sessions.authenticate(session.client_secret)).toEqual({ userId: session.userId });
  });

  it("reuses a valid cookie id and replaces a tampered one", async () => {
    const first = await sessions.create({});
    const again = await sessions.create({ cookieUserId: first.userId });
    expect(again.userId).toBe(first.userId);
    expect(again.newCookieUserId).toBeNull();
    const tampered = await sessions.create({ cookieUserId: "vk_admin" });
    expect(tampered.userId).not.toBe("vk_admin");
    expect(tampered.newCookieUserId).toBe(tampered.userId);
  });

  it("derives the same user from a visitor key every time, and never exposes the raw key", async () => {
    const a = await sessions.create({ visitorKey: VISITOR_KEY });
    const b = await sessions.create({ visitorKey: VISITOR_KEY, cookieUserId: crypto.randomUUID() });
    expect(a.userId).toBe(b.userId);
    expect(a.userId).toBe(visitorUserId(VISITOR_KEY));
    expect(a.userId).toMatch(/^vk_[0-9a-f]{64}$/);
    expect(a.newCookieUserId).toBeNull();
    const decoded = Buffer.from(a.client_secret.slice(4).split(".")[0] ?? "", "base64url").toString();
    expect(`${a.client_secret}${a.userId}${decoded}`).not.toContain(VISITOR_KEY);
    const other = await sessions.create({ visitorKey: `${VISITOR_KEY}x` });
    expect(other.userId).not.toBe(a.userId);
    await expect(sessions.create({ visitorKey: "short" })).rejects.toMatchObject({ status: 400 });
  });

  it("honours the ttl and refuses expired, forged and missing secrets with 401", async () => {
    const custom = createSessionService({ key: new Uint8Array(32).fill(1), clock, ttlSeconds: 60 });
    const session = await custom.create({});
    clock.advance(59_000);
    await expect(custom.authenticate(session.client_secret)).resolves.toBeDefined();
    clock.advance(1_000);
    await expect(custom.authenticate(session.client_secret)).rejects.toBeInstanceOf(UnauthorizedError);
    const foreign = createSessionService({ key: new Uint8Array(32).fill(2), clock });
    const forged = await foreign.create({});
    await expect(sessions.authenticate(forged.client_secret)).rejects.toMatchObject({
      code: "unauthorized",
      status: 401,
    });
    await expect(sessions.authenticate(undefined)).rejects.toMatchObject({ status: 401 });
  });
});

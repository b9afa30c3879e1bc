import { describe, expect, it } from "vitest";
import {
  csrfTokenFor,
  isCsrfTokenOf,
  isLocalHostHeader,
  isLoopbackAddress,
  safeNextPath,
  signOwnerSession,
  verifyOwnerSession,
} from "../../src/core/owner-session.js";
import { formatPasswordHash, parsePasswordHash } from "../../src/core/password-hash.js";
import { signClientSecret } from "../../src/core/session-token.js";

const KEY = new Uint8Array(32).fill(7);
const OTHER_KEY = new Uint8Array(32).fill(8);
const SESSION = { sessionId: "abcdefghijklmnopqrstuvwx", access: "password" as const, expiresAt: 2_000 };

describe("owner session tokens", () => {
  it("verify under the same key and binding until they expire", async () => {
    const token = await signOwnerSession(SESSION, KEY, "bindingA");
    expect(await verifyOwnerSession(token, KEY, "bindingA", 1_999)).toEqual(SESSION);
    expect(await verifyOwnerSession(token, KEY, "bindingA", 2_000)).toBeNull();
    expect(await verifyOwnerSession(token, KEY, "bindingB", 1_000)).toBeNull();
    expect(await verifyOwnerSession(token, OTHER_KEY, "bindingA", 1_000)).toBeNull();
    expect(await verifyOwnerSession(`${token}x`, KEY, "bindingA", 1_000)).toBeNull();
    expect(await verifyOwnerSession(undefined, KEY, "bindingA", 1_000)).toBeNull();
  });

  it("never take a chat client secret signed with the same key", async () => {
    const secret = await signClientSecret({ userId: SESSION.sessionId, expiresAt: 2_000 }, KEY);
    expect(await verifyOwnerSession(secret, KEY, "bindingA", 1_000)).toBeNull();
    expect(await verifyOwnerSession(secret.replace(/^cks_/, "ows_"), KEY, "bindingA", 1_000)).toBeNull();
  });

  it("bind CSRF tokens to one id", async () => {
    const token = await csrfTokenFor("session-1", KEY);
    expect(await isCsrfTokenOf(token, "session-1", KEY)).toBe(true);
    expect(await isCsrfTokenOf(token, "session-2", KEY)).toBe(false);
    expect(await isCsrfTokenOf(token, "session-1", OTHER_KEY)).toBe(false);
    expect(await isCsrfTokenOf(undefined, "session-1", KEY)).toBe(false);
    expect(await isCsrfTokenOf("", "session-1", KEY)).toBe(false);
  });
});

describe("safeNextPath", () => {
  it.each([
    ["/outbox", "/outbox"],
    ["/outbox/abc?x=1#top", "/outbox/abc?x=1#top"],
    ["/owner/../outbox", "/outbox"],
    ["https://evil.example/", null],
    ["//evil.example", null],
    ["/\\evil.example", null],
    ["/\t/evil.example", null],
    ["/\n/evil.example", null],
    ["javascript:alert(1)", null],
    ["outbox", null],
    ["", null],
    [undefined, null],
  ])("%j -> %j", (next, expected) => {
    expect(safeNextPath(next)).toBe(expected);
  });
});

describe("this computer", () => {
  it.each([
    ["127.0.0.1", true],
    ["127.255.3.4", true],
    ["::1", true],
    ["0:0:0:0:0:0:0:1", true],
    ["::ffff:127.0.0.1", true],
    ["128.0.0.1", false],
    ["127.0.0.256", false],
    ["127.0.0.1:80", false],
    ["10.0.0.1", false],
    ["::ffff:10.0.0.1", false],
    ["unknown", false],
    [null, false],
  ])("address %j loopback: %j", (address, expected) => {
    expect(isLoopbackAddress(address)).toBe(expected);
  });

  it.each([
    ["localhost:8787", true],
    ["127.0.0.1:8787", true],
    ["[::1]:8787", true],
    ["LOCALHOST", true],
    ["evil.example:8787", false],
    ["localhost.evil.example", false],
    ["127.0.0.1.evil.example", false],
    ["[::1", false],
    [undefined, false],
  ])("Host %j local: %j", (host, expected) => {
    expect(isLocalHostHeader(host)).toBe(expected);
  });
});

describe("password hash text", () => {
  const valid = `scrypt$32768$8$1$${Buffer.alloc(16, 1).toString("base64")}$${Buffer.alloc(32, 2).toString("base64")}`;

  it("round-trips", () => {
    const parsed = parsePasswordHash(valid);
    expect(parsed).toMatchObject({ n: 32768, r: 8, p: 1 });
    expect(parsed && formatPasswordHash(parsed)).toBe(valid);
  });

  it.each([
    "",
    "scrypt$32768$8$1$AQEBAQEBAQE=",
    valid.replace("scrypt", "bcrypt"),
    valid.replace("$32768$", "$1000$"),
    valid.replace("$32768$", "$512$"),
    valid.replace("$32768$8$", "$1048576$8$"),
    valid.replace("$8$1$", "$8$0$"),
    valid.replace("$8$1$", "$08$1$"),
    `scrypt$32768$8$1$AQE=$${Buffer.alloc(32, 2).toString("base64")}`,
    `scrypt$32768$8$1$${Buffer.alloc(16, 1).toString("base64")}$AgI=`,
    `scrypt$32768$8$1$not*base64$${Buffer.alloc(32, 2).toString("base64")}`,
  ])("refuses %j", (text) => {
    expect(parsePasswordHash(text)).toBeNull();
  });
});

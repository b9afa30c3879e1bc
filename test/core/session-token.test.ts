import { describe, expect, it } from "vitest";
import { signClientSecret, verifyClientSecret } from "../../src/core/session-token.js";

const key = new Uint8Array(32).fill(7);
const otherKey = new Uint8Array(32).fill(8);
const NOW = 1_800_000_000;
const userId = "4f7c2a1e-9b3d-4c8e-a1f2-0d9e8c7b6a51";

function b64url(text: string): string {
  return Buffer.from(text).toString("base64url");
}

describe("client secrets", () => {
  it("round trips user id and expiry", async () => {
    const secret = await signClientSecret({ userId, expiresAt: NOW + 600 }, key);
    expect(secret).toMatch(/^cks_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(await verifyClientSecret(secret, key, NOW)).toEqual({ userId, expiresAt: NOW + 600 });
  });

  it("is valid up to the second before expiry and expired at the exact second", async () => {
    const secret = await signClientSecret({ userId, expiresAt: NOW + 600 }, key);
    expect(await verifyClientSecret(secret, key, NOW + 599)).not.toBeNull();
    expect(await verifyClientSecret(secret, key, NOW + 600)).toBeNull();
    expect(await verifyClientSecret(secret, key, NOW + 10_000)).toBeNull();
  });

  it("rejects a secret signed with another key or with a forged mac", async () => {
    const secret = await signClientSecret({ userId, expiresAt: NOW + 600 }, otherKey);
    expect(await verifyClientSecret(secret, key, NOW)).toBeNull();
    const genuine = await signClientSecret({ userId, expiresAt: NOW + 600 }, key);
    const [payload] = genuine.split(".");
    const flipped = genuine.endsWith("A") ? `${genuine.slice(0, -1)}B` : `${genuine.slice(0, -1)}A`;
    expect(await verifyClientSecret(flipped, key, NOW)).toBeNull();
    expect(await verifyClientSecret(`${payload}.${b64url("x".repeat(32))}`, key, NOW)).toBeNull();
  });

  it("rejects a tampered payload (other user, later expiry) carrying the genuine mac", async () => {
    const genuine = await signClientSecret({ userId, expiresAt: NOW + 600 }, key);
    const mac = genuine.split(".")[1];
    const otherUser = b64url(JSON.stringify({ u: "someone-else", e: NOW + 600 }));
    const later = b64url(JSON.stringify({ u: userId, e: NOW + 999_999 }));
    expect(await verifyClientSecret(`cks_${otherUser}.${mac}`, key, NOW)).toBeNull();
    expect(await verifyClientSecret(`cks_${later}.${mac}`, key, NOW)).toBeNull();
  });

  it("answers null for garbage instead of throwing", async () => {
    const garbage = [
      "",
      "cks_",
      "cks_.",
      "cks_abc",
      "cks_a.b.c",
      "Bearer cks_x.y",
      "cks_!!!.???",
      `cks_${"A".repeat(5000)}.${"B".repeat(43)}`,
      "cks_\u0000.\u0000",
      "not-a-secret",
    ];
    for (const secret of garbage) expect(await verifyClientSecret(secret, key, NOW)).toBeNull();
  });

  it("rejects a validly signed payload of the wrong shape", async () => {
    // Sign odd payloads by hand with the real key: shape checks must still hold after the MAC.
    const cryptoKey = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
    ]);
    for (const raw of ['{"u":1,"e":2000000000}', '{"u":"a b","e":2000000000}', '{"u":"ok"}', "[]", "nul"]) {
      const payload = b64url(raw);
      const mac = await crypto.subtle.sign("HMAC", cryptoKey, new TextEncoder().encode(`cks_v1.${payload}`));
      const secret = `cks_${payload}.${Buffer.from(mac).toString("base64url")}`;
      expect(await verifyClientSecret(secret, key, NOW)).toBeNull();
    }
  });

  it("refuses to sign bad claims or with a short key", async () => {
    await expect(signClientSecret({ userId: "a b", expiresAt: NOW }, key)).rejects.toThrow();
    await expect(signClientSecret({ userId, expiresAt: 1.5 }, key)).rejects.toThrow();
    await expect(signClientSecret({ userId, expiresAt: NOW }, new Uint8Array(8))).rejects.toThrow();
  });
});

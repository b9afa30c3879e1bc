/**
 * Client secrets for self-hosted sessions: `cks_<base64url(payload)>.<base64url(mac)>`, where the
 * payload is `{"u":userId,"e":expiresAt}` and the mac is HMAC-SHA256 over `cks_v1.<payload part>`.
 * Pure: Web Crypto only, so the same code runs on Node, Lambda and in tests.
 */

/** What a client secret vouches for. */
export interface ClientSecretClaims {
  userId: string;
  /** Unix seconds; the secret is valid while `now < expiresAt`. */
  expiresAt: number;
}

const PREFIX = "cks_";
// Domain separation: a MAC made for another purpose with the same key never verifies here.
const MAC_CONTEXT = "cks_v1.";
// Far above any real secret (~150 chars); bounds the work an attacker can make us do.
const MAX_SECRET_CHARS = 1024;
const USER_ID = /^[A-Za-z0-9_-]{1,128}$/;
const B64URL = /^[A-Za-z0-9_-]+$/;
const encoder = new TextEncoder();

// Importing a key costs more than the HMAC itself; the same key object is reused per process.
const keyCache = new WeakMap<Uint8Array, Promise<CryptoKey>>();

function hmacKey(key: Uint8Array): Promise<CryptoKey> {
  let cached = keyCache.get(key);
  if (!cached) {
    if (key.length < 16) throw new Error("session key must be at least 16 bytes");
    cached = globalThis.crypto.subtle.importKey(
      "raw",
      new Uint8Array(key),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign", "verify"],
    );
    keyCache.set(key, cached);
  }
  return cached;
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!B64URL.test(text) || text.length % 4 === 1) return null;
  try {
    const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
  } catch {
    return null;
  }
}

/** Signs claims into a client secret. */
export async function signClientSecret(claims: ClientSecretClaims, key: Uint8Array): Promise<string> {
  if (!USER_ID.test(claims.userId)) throw new Error("userId must match [A-Za-z0-9_-]{1,128}");
  if (!Number.isSafeInteger(claims.expiresAt) || claims.expiresAt <= 0)
    throw new Error("expiresAt must be positive whole unix seconds");
  const payload = toBase64Url(encoder.encode(JSON.stringify({ u: claims.userId, e: claims.expiresAt })));
  const mac = await globalThis.crypto.subtle.sign(
    "HMAC",
    await hmacKey(key),
    encoder.encode(MAC_CONTEXT + payload),
  );
  return `${PREFIX}${payload}.${toBase64Url(new Uint8Array(mac))}`;
}

/**
 * Returns the claims of a genuine, unexpired secret, else null (expired, forged, malformed).
 * The MAC is checked with `subtle.verify`, which compares in constant time.
 */
export async function verifyClientSecret(
  secret: string,
  key: Uint8Array,
  nowSeconds: number,
): Promise<ClientSecretClaims | null> {
  if (typeof secret !== "string" || secret.length > MAX_SECRET_CHARS || !secret.startsWith(PREFIX))
    return null;
  const parts = secret.slice(PREFIX.length).split(".");
  if (parts.length !== 2) return null;
  const [payload, macText] = parts as [string, string];
  const mac = fromBase64Url(macText);
  if (!payload || !mac || mac.length !== 32) return null;
  const genuine = await globalThis.crypto.subtle.verify(
    "HMAC",
    await hmacKey(key),
    mac,
    encoder.encode(MAC_CONTEXT + payload),
  );
  if (!genuine) return null;
  // Only bytes we signed ourselves reach the parser, but stay defensive about their shape anyway.
  const bytes = fromBase64Url(payload);
  if (!bytes) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
  const { u, e } = (parsed ?? {}) as { u?: unknown; e?: unknown };
  if (typeof u !== "string" || !USER_ID.test(u) || typeof e !== "number" || !Number.isSafeInteger(e))
    return null;
  if (nowSeconds >= e) return null;
  return { userId: u, expiresAt: e };
}

/**
 * Signed tokens shared by the chat client secrets (core/session-token.ts) and the owner session
 * (core/owner-session.ts): `<prefix><base64url(JSON payload)>.<base64url(HMAC-SHA256)>`, the MAC
 * taken over `<context><payload part>` so each use has a context of its own and a token made for
 * one never verifies as another. Pure: Web Crypto only, so the same code runs on Node, Lambda and
 * in tests.
 */

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

/** Bytes as unpadded base64url. */
export function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Unpadded base64url back to bytes; null for anything that is not. */
export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!B64URL.test(text) || text.length % 4 === 1) return null;
  try {
    return Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (ch) => ch.charCodeAt(0));
  } catch {
    return null;
  }
}

/** HMAC-SHA256 of `message` under `key` (at least 16 bytes). */
export async function hmac(key: Uint8Array, message: string): Promise<Uint8Array> {
  return new Uint8Array(
    await globalThis.crypto.subtle.sign("HMAC", await hmacKey(key), encoder.encode(message)),
  );
}

/** Whether `given` is the HMAC of `message`; `subtle.verify` compares in constant time. */
export async function hmacMatches(
  key: Uint8Array,
  message: string,
  given: Uint8Array<ArrayBuffer>,
): Promise<boolean> {
  return globalThis.crypto.subtle.verify("HMAC", await hmacKey(key), given, encoder.encode(message));
}

/** Signs `payload` (JSON) into a token. */
export async function signToken(
  payload: object,
  key: Uint8Array,
  format: { prefix: string; context: string },
): Promise<string> {
  const body = toBase64Url(encoder.encode(JSON.stringify(payload)));
  return `${format.prefix}${body}.${toBase64Url(await hmac(key, format.context + body))}`;
}

/**
 * The parsed payload of a genuine token, else null (forged, malformed, over `maxChars`). Only
 * bytes we signed ourselves reach the JSON parser; callers still check the payload's shape.
 */
export async function openToken(
  token: unknown,
  key: Uint8Array,
  format: { prefix: string; context: string; maxChars: number },
): Promise<unknown> {
  if (typeof token !== "string" || token.length > format.maxChars || !token.startsWith(format.prefix))
    return null;
  const parts = token.slice(format.prefix.length).split(".");
  if (parts.length !== 2) return null;
  const [body, macText] = parts as [string, string];
  const given = fromBase64Url(macText);
  if (!body || !given || given.length !== 32) return null;
  if (!(await hmacMatches(key, format.context + body, given))) return null;
  const bytes = fromBase64Url(body);
  if (!bytes) return null;
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) ?? null;
  } catch {
    return null;
  }
}

/**
 * The owner's session: a signed, expiring token kept in the `owner_session` cookie, the CSRF token
 * bound to it, and the small rules the owner pages share (where a login may send the browser on,
 * which addresses and host names count as this computer). Same scheme as core/session-token.ts:
 * `ows_<base64url(payload)>.<base64url(mac)>`, HMAC-SHA256 with the session key under a context
 * of its own, so a chat client secret never passes for an owner session nor the other way round.
 * Pure: Web Crypto only.
 */

/** How the owner got in: a password login, or the loopback-only mode (no password set). */
export type OwnerAccess = "password" | "loopback";

/** What an owner session token vouches for. */
export interface OwnerSessionClaims {
  /** Random id of this login; the CSRF token is bound to it. */
  sessionId: string;
  access: OwnerAccess;
  /** Unix seconds; valid while `now < expiresAt`. */
  expiresAt: number;
}

/** 12 hours: a working day without logging in again, not a week-old cookie on a shared computer. */
export const OWNER_SESSION_TTL_SECONDS = 12 * 60 * 60;

const PREFIX = "ows_";
// Domain separation from client secrets (`cks_v1.`) and from each other.
const SESSION_CONTEXT = "ows_v1.";
const CSRF_CONTEXT = "owc_v1.";
const MAX_TOKEN_CHARS = 512;
const SESSION_ID = /^[A-Za-z0-9_-]{16,64}$/;
const BINDING = /^[A-Za-z0-9_-]{1,64}$/;
const B64URL = /^[A-Za-z0-9_-]+$/;
const encoder = new TextEncoder();
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
    return Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (ch) => ch.charCodeAt(0));
  } catch {
    return null;
  }
}

async function mac(key: Uint8Array, message: string): Promise<Uint8Array> {
  return new Uint8Array(
    await globalThis.crypto.subtle.sign("HMAC", await hmacKey(key), encoder.encode(message)),
  );
}

/** `subtle.verify` compares in constant time. */
async function macMatches(
  key: Uint8Array,
  message: string,
  given: Uint8Array<ArrayBuffer>,
): Promise<boolean> {
  return globalThis.crypto.subtle.verify("HMAC", await hmacKey(key), given, encoder.encode(message));
}

/**
 * Signs an owner session. `binding` names the credential it was granted under (a fingerprint of
 * the configured password, or `loopback`): when the password changes, every older session stops
 * verifying.
 */
export async function signOwnerSession(
  claims: OwnerSessionClaims,
  key: Uint8Array,
  binding: string,
): Promise<string> {
  if (!SESSION_ID.test(claims.sessionId)) throw new Error("sessionId must match [A-Za-z0-9_-]{16,64}");
  if (!BINDING.test(binding)) throw new Error("binding must match [A-Za-z0-9_-]{1,64}");
  if (!Number.isSafeInteger(claims.expiresAt) || claims.expiresAt <= 0)
    throw new Error("expiresAt must be positive whole unix seconds");
  const payload = toBase64Url(
    encoder.encode(JSON.stringify({ s: claims.sessionId, a: claims.access, e: claims.expiresAt })),
  );
  const signature = await mac(key, `${SESSION_CONTEXT}${binding}.${payload}`);
  return `${PREFIX}${payload}.${toBase64Url(signature)}`;
}

/** The claims of a genuine, unexpired token signed under `binding`; null otherwise. */
export async function verifyOwnerSession(
  token: string | undefined,
  key: Uint8Array,
  binding: string,
  nowSeconds: number,
): Promise<OwnerSessionClaims | null> {
  if (typeof token !== "string" || token.length > MAX_TOKEN_CHARS || !token.startsWith(PREFIX)) return null;
  if (!BINDING.test(binding)) return null;
  const parts = token.slice(PREFIX.length).split(".");
  if (parts.length !== 2) return null;
  const [payload, macText] = parts as [string, string];
  const given = fromBase64Url(macText);
  if (!payload || !given || given.length !== 32) return null;
  if (!(await macMatches(key, `${SESSION_CONTEXT}${binding}.${payload}`, given))) return null;
  const bytes = fromBase64Url(payload);
  if (!bytes) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
  const { s, a, e } = (parsed ?? {}) as { s?: unknown; a?: unknown; e?: unknown };
  if (typeof s !== "string" || !SESSION_ID.test(s) || (a !== "password" && a !== "loopback")) return null;
  if (typeof e !== "number" || !Number.isSafeInteger(e) || nowSeconds >= e) return null;
  return { sessionId: s, access: a, expiresAt: e };
}

/**
 * The CSRF token of a session (or of a login form's nonce): HMAC of the id, so the server keeps
 * nothing and a token from one session is worthless in another.
 */
export async function csrfTokenFor(id: string, key: Uint8Array): Promise<string> {
  return toBase64Url(await mac(key, `${CSRF_CONTEXT}${id}`));
}

/** Whether `token` is the CSRF token of `id` (constant-time). */
export async function isCsrfTokenOf(
  token: string | undefined,
  id: string,
  key: Uint8Array,
): Promise<boolean> {
  if (typeof token !== "string" || token.length > 64) return false;
  const given = fromBase64Url(token);
  if (given === null || given.length !== 32) return false;
  return macMatches(key, `${CSRF_CONTEXT}${id}`, given);
}

/**
 * Where a login may send the browser on: a path on this site (`/outbox/abc?x=1`), or null for
 * anything that could leave it (`https://evil.example`, `//evil.example`, `/\evil.example`,
 * `javascript:`), control characters or backslashes included.
 */
export function safeNextPath(next: string | null | undefined): string | null {
  if (typeof next !== "string" || next.length === 0 || next.length > 2048) return null;
  // Browsers read `\` as `/` and drop tabs and newlines, so `/\evil` and `/\t/evil` leave the site.
  if (!next.startsWith("/") || next.startsWith("//") || next.includes("\\")) return null;
  for (let i = 0; i < next.length; i++) {
    const code = next.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return null;
  }
  const base = "http://owner.invalid";
  let url: URL;
  try {
    url = new URL(next, base);
  } catch {
    return null;
  }
  if (url.origin !== base) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}

const IPV4_LOOPBACK = /^127(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** 127.0.0.0/8, `::1` (also written out in full) and IPv4-mapped 127.x; nothing with a port. */
export function isLoopbackAddress(address: string | null | undefined): boolean {
  if (!address) return false;
  const value = address.trim().toLowerCase();
  if (IPV4_LOOPBACK.test(value)) return true;
  if (value === "::1" || value === "0:0:0:0:0:0:0:1") return true;
  const mapped = /^(?:::ffff:|0:0:0:0:0:ffff:)(.+)$/.exec(value)?.[1];
  return mapped !== undefined && IPV4_LOOPBACK.test(mapped);
}

/**
 * Whether a `Host` header names this computer: `localhost`, 127.x or `[::1]`, with any port.
 * Checked in loopback-only mode: a page on another site that rebinds its own name to 127.0.0.1
 * still sends its own name as the Host.
 */
export function isLocalHostHeader(host: string | null | undefined): boolean {
  if (!host) return false;
  const value = host.trim().toLowerCase();
  const name = value.startsWith("[") ? value.slice(0, value.indexOf("]") + 1) : value.replace(/:\d+$/, "");
  return name === "localhost" || name === "[::1]" || IPV4_LOOPBACK.test(name);
}

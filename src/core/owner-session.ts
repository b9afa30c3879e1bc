/**
 * The owner's session: a signed, expiring token kept in the `owner_session` cookie, the CSRF token
 * bound to it, and the small rules the owner pages share (where a login may send the browser on,
 * which addresses and host names count as this computer). Same scheme as core/session-token.ts:
 * `ows_<base64url(payload)>.<base64url(mac)>`, HMAC-SHA256 with the session key under a context
 * of its own, so a chat client secret never passes for an owner session nor the other way round.
 * Pure: Web Crypto only (core/signed-token.ts).
 */

import { fromBase64Url, hmac, hmacMatches, openToken, signToken, toBase64Url } from "./signed-token.js";

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

/** The token format under `binding`: a session signed under another binding never verifies. */
const formatFor = (binding: string) => ({
  prefix: PREFIX,
  context: `${SESSION_CONTEXT}${binding}.`,
  maxChars: MAX_TOKEN_CHARS,
});

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
  return signToken({ s: claims.sessionId, a: claims.access, e: claims.expiresAt }, key, formatFor(binding));
}

/** The claims of a genuine, unexpired token signed under `binding`; null otherwise. */
export async function verifyOwnerSession(
  token: string | undefined,
  key: Uint8Array,
  binding: string,
  nowSeconds: number,
): Promise<OwnerSessionClaims | null> {
  if (!BINDING.test(binding)) return null;
  const parsed = await openToken(token, key, formatFor(binding));
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
  return toBase64Url(await hmac(key, `${CSRF_CONTEXT}${id}`));
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
  return hmacMatches(key, `${CSRF_CONTEXT}${id}`, given);
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

/**
 * Client secrets for self-hosted sessions: `cks_<base64url(payload)>.<base64url(mac)>`, where the
 * payload is `{"u":userId,"e":expiresAt}` and the mac is HMAC-SHA256 over `cks_v1.<payload part>`.
 * Pure: Web Crypto only (core/signed-token.ts).
 */

import { openToken, signToken } from "./signed-token.js";

/** What a client secret vouches for. */
export interface ClientSecretClaims {
  userId: string;
  /** Unix seconds; the secret is valid while `now < expiresAt`. */
  expiresAt: number;
}

// Domain separation: a MAC made for another purpose with the same key never verifies here.
// Far above any real secret (~150 chars); bounds the work an attacker can make us do.
const FORMAT = { prefix: "cks_", context: "cks_v1.", maxChars: 1024 };
const USER_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** Signs claims into a client secret. */
export async function signClientSecret(claims: ClientSecretClaims, key: Uint8Array): Promise<string> {
  if (!USER_ID.test(claims.userId)) throw new Error("userId must match [A-Za-z0-9_-]{1,128}");
  if (!Number.isSafeInteger(claims.expiresAt) || claims.expiresAt <= 0)
    throw new Error("expiresAt must be positive whole unix seconds");
  return signToken({ u: claims.userId, e: claims.expiresAt }, key, FORMAT);
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
  const { u, e } = ((await openToken(secret, key, FORMAT)) ?? {}) as { u?: unknown; e?: unknown };
  if (typeof u !== "string" || !USER_ID.test(u) || typeof e !== "number" || !Number.isSafeInteger(e))
    return null;
  if (nowSeconds >= e) return null;
  return { userId: u, expiresAt: e };
}

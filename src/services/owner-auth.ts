import { createHmac, randomBytes } from "node:crypto";
import {
  csrfTokenFor,
  isCsrfTokenOf,
  OWNER_SESSION_TTL_SECONDS,
  type OwnerSessionClaims,
  signOwnerSession,
  verifyOwnerSession,
} from "../core/owner-session.js";
import { type PasswordHash, parsePasswordHash } from "../core/password-hash.js";
import type { Clock } from "../ports/clock.js";
import { hashPassword, verifyPassword } from "./password-hash.js";

/** Options of {@link createOwnerAuthService}. */
export interface OwnerAuthServiceOptions {
  /** The session HMAC key (the same key as client secrets; the token formats are domain-separated). */
  key: Uint8Array;
  /** `OWNER_PASSWORD`; null when unset. At most one of this and `passwordHash`. */
  password: string | null;
  /** `OWNER_PASSWORD_HASH` (`scrypt$N$r$p$salt$hash`); null when unset. */
  passwordHash: string | null;
  clock: Clock;
  /** How long a login lasts. @default OWNER_SESSION_TTL_SECONDS (12 h) */
  ttlSeconds?: number;
}

/** A session just granted: the cookie value and what it stands for. */
export interface OwnerGrant {
  token: string;
  session: OwnerSessionClaims;
}

/** Who may use the owner pages, and the tokens that say so. */
export interface OwnerAuthService {
  /** `password`: a login is needed. `loopback`: no password is set; only this computer gets in. */
  readonly mode: "password" | "loopback";
  /** Seconds a session lasts (the cookie's Max-Age). */
  readonly ttlSeconds: number;
  /** A session for a right password; null for a wrong one (or in loopback mode, where there is none). */
  login(password: string): Promise<OwnerGrant | null>;
  /** A session for a loopback request (loopback mode only; the caller has checked the address). */
  startLocal(): Promise<OwnerGrant>;
  /** The claims of a genuine, unexpired, not logged-out session token under the current credential. */
  authenticate(token: string | undefined): Promise<OwnerSessionClaims | null>;
  /** Ends a session in this process (the route also clears the cookie). */
  logout(session: OwnerSessionClaims): void;
  /** The CSRF token of a session id (or of a login form's `login:<nonce>`). */
  csrfToken(id: string): Promise<string>;
  /** Whether `token` is the CSRF token of `id` (constant-time). */
  checkCsrf(token: string | undefined, id: string): Promise<boolean>;
}

// Sessions logged out before they expire; bounded so a flood of logouts cannot grow memory.
const MAX_REVOKED = 10_000;

function randomId(): string {
  return randomBytes(18).toString("base64url");
}

/**
 * Names the configured credential, so a changed password (or a hash set where there was none)
 * ends every session granted under the old one. An HMAC with the session key, so the cookie's
 * binding says nothing about the password itself.
 */
function credentialBinding(key: Uint8Array, options: OwnerAuthServiceOptions): string {
  if (options.passwordHash === null && options.password === null) return "loopback";
  const credential = options.passwordHash ?? `plain\0${options.password}`;
  return createHmac("sha256", key)
    .update(`owner-credential-v1\0${credential}`)
    .digest("base64url")
    .slice(0, 32);
}

/**
 * Owner login over `OWNER_PASSWORD` or `OWNER_PASSWORD_HASH`: every attempt runs scrypt (a plain
 * password is hashed once, on the first attempt, with a random salt), so a guess costs the same
 * whichever is set. Sessions are stateless signed tokens (they work across processes and Lambdas);
 * a logout also remembers the session id in this process until it would have expired.
 */
export function createOwnerAuthService(options: OwnerAuthServiceOptions): OwnerAuthService {
  const { key, clock } = options;
  if (options.password !== null && options.passwordHash !== null)
    throw new Error("set OWNER_PASSWORD or OWNER_PASSWORD_HASH, not both");
  const parsedHash = options.passwordHash === null ? null : parsePasswordHash(options.passwordHash);
  if (options.passwordHash !== null && !parsedHash) throw new Error("OWNER_PASSWORD_HASH is malformed");
  const mode = options.password === null && parsedHash === null ? "loopback" : "password";
  const ttlSeconds = options.ttlSeconds ?? OWNER_SESSION_TTL_SECONDS;
  const binding = credentialBinding(key, options);
  const revoked = new Map<string, number>();
  let stored: Promise<PasswordHash> | null = parsedHash ? Promise.resolve(parsedHash) : null;

  const nowSeconds = () => Math.floor(clock.now() / 1000);
  async function grant(access: OwnerSessionClaims["access"]): Promise<OwnerGrant> {
    const session = { sessionId: randomId(), access, expiresAt: nowSeconds() + ttlSeconds };
    return { token: await signOwnerSession(session, key, binding), session };
  }
  function expected(): Promise<PasswordHash> {
    stored ??= hashPassword(options.password ?? "").then((text) => parsePasswordHash(text) as PasswordHash);
    return stored;
  }

  return {
    mode,
    ttlSeconds,
    async login(password) {
      if (mode !== "password") return null;
      return (await verifyPassword(password, await expected())) ? grant("password") : null;
    },
    async startLocal() {
      if (mode !== "loopback") throw new Error("an owner password is set: owner pages need a login");
      return grant("loopback");
    },
    async authenticate(token) {
      const now = nowSeconds();
      const claims = await verifyOwnerSession(token, key, binding, now);
      if (!claims) return null;
      const until = revoked.get(claims.sessionId);
      return until !== undefined && until > now ? null : claims;
    },
    logout(session) {
      const now = nowSeconds();
      for (const [id, until] of revoked) if (until <= now) revoked.delete(id);
      revoked.set(session.sessionId, session.expiresAt);
      // Oldest first: forgetting one only lets a cookie that was already cleared live out its 12 h.
      while (revoked.size > MAX_REVOKED) revoked.delete(revoked.keys().next().value as string);
    },
    csrfToken: (id) => csrfTokenFor(id, key),
    checkCsrf: (token, id) => isCsrfTokenOf(token, id, key),
  };
}

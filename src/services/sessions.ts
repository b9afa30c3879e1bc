import { createHash, randomUUID } from "node:crypto";
import { UnauthorizedError, ValidationError } from "../core/errors.js";
import { type ClientSecretClaims, signClientSecret, verifyClientSecret } from "../core/session-token.js";
import type { Clock } from "../ports/clock.js";
import type { HostedChatSessions } from "../ports/hosted-chat-sessions.js";

/** Options of {@link createSessionService}. */
export interface SessionServiceOptions {
  /** HMAC key for client secrets (`SESSION_SECRET`, or the key file `adapters/fs/session-key.ts` keeps). */
  key: Uint8Array;
  /** How long a client secret stays valid (`SESSION_TTL_SECONDS`). @default 600 */
  ttlSeconds?: number;
  /** Decides expiry; tests drive it. */
  clock: Clock;
  /**
   * With hosted ChatKit (`CHAT_RUNTIME=chatkit`): where the component's client secret comes from.
   * Our own secret for the same user is then handed out as `lead_secret` (for `/lead` and uploads).
   */
  hosted?: HostedChatSessions;
}

/** Input of {@link SessionService.create}: what the browser sent. */
export interface CreateSessionInput {
  /** Value of the `chatkit_session_id` cookie, if any. */
  cookieUserId?: string | null;
  /** The widget's random localStorage key (16..200 chars), used when third-party cookies are blocked. */
  visitorKey?: string | null;
}

/** A fresh session. */
export interface CreatedSession {
  /** The secret the chat uses: ours, or hosted ChatKit's. */
  client_secret: string;
  /** With hosted ChatKit: our own secret for the same user, which `/lead` and uploads take. */
  lead_secret?: string;
  /** Unix seconds. */
  expires_at: number;
  userId: string;
  /** Set when a new user id was minted: the route must store it in the cookie. */
  newCookieUserId: string | null;
}

/** Issues and checks client secrets for the self-hosted chat runtime. */
export interface SessionService {
  /** Resolves the user (visitor key, else cookie, else a new id) and signs a short-lived secret. */
  create(input: CreateSessionInput): Promise<CreatedSession>;
  /** Returns the user of a valid secret; throws UnauthorizedError (401) otherwise. */
  authenticate(secret: string | undefined): Promise<{ userId: string }>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
/** Printable ASCII, no spaces: what any sane random generator in a browser produces. */
const VISITOR_KEY = /^[\x21-\x7e]{16,200}$/;

/** `vk_` + hex(sha256(key)): the visitor key is a bearer secret, so only its hash is ever kept. */
export function visitorUserId(visitorKey: string): string {
  return `vk_${createHash("sha256").update(visitorKey, "utf8").digest("hex")}`;
}

/** Most verified client secrets remembered at once. */
const VERIFIED_CACHE_SIZE = 10_000;

/** The session use case. */
export function createSessionService(options: SessionServiceOptions): SessionService {
  const { key, clock } = options;
  const ttlSeconds = options.ttlSeconds ?? 600;
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1)
    throw new Error(`ttlSeconds must be a whole number >= 1, got ${ttlSeconds}`);
  const nowSeconds = () => Math.floor(clock.now() / 1000);
  // Web Crypto verifies off the main thread, which costs far more than the HMAC itself. A secret
  // that verified once stays valid until its own expiry, so later requests (every message, every
  // pagehide beacon) reuse the result. Bounded: the oldest entry goes when full.
  const verified = new Map<string, ClientSecretClaims>();
  const remember = (secret: string, claims: ClientSecretClaims) => {
    verified.set(secret, claims);
    if (verified.size > VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value as string);
  };

  return {
    async create(input) {
      let userId: string;
      let newCookieUserId: string | null = null;
      if (input.visitorKey != null) {
        if (!VISITOR_KEY.test(input.visitorKey))
          throw new ValidationError("visitor_key must be 16 to 200 printable characters");
        userId = visitorUserId(input.visitorKey);
      } else if (input.cookieUserId && UUID.test(input.cookieUserId)) {
        userId = input.cookieUserId.toLowerCase();
      } else {
        // Absent or tampered cookie: a new visitor. A forged cookie value never becomes a user id.
        userId = randomUUID();
        newCookieUserId = userId;
      }
      const expiresAt = nowSeconds() + ttlSeconds;
      const clientSecret = await signClientSecret({ userId, expiresAt }, key);
      if (options.hosted) {
        // The hosted runtime knows the visitor by the same user id, so /lead can check ownership.
        const upstream = await options.hosted.create(userId, ttlSeconds);
        return {
          client_secret: upstream.clientSecret,
          lead_secret: clientSecret,
          expires_at: Math.min(expiresAt, upstream.expiresAt),
          userId,
          newCookieUserId,
        };
      }
      return { client_secret: clientSecret, expires_at: expiresAt, userId, newCookieUserId };
    },
    async authenticate(secret) {
      if (!secret) throw new UnauthorizedError("A client secret is required; create a session first.");
      const now = nowSeconds();
      const known = verified.get(secret);
      if (known && known.expiresAt > now) return { userId: known.userId };
      const claims = await verifyClientSecret(secret, key, now);
      if (!claims)
        throw new UnauthorizedError("The client secret is invalid or expired; create a new session.");
      remember(secret, claims);
      return { userId: claims.userId };
    },
  };
}

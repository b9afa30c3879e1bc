import { type Context, Hono } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import { PayloadTooLargeError, ValidationError } from "../../core/errors.js";
import type { Clock } from "../../ports/clock.js";
import type { SessionService } from "../../services/sessions.js";
import { validationErrorFrom } from "../errors.js";
import { limitBody } from "../middleware/body-limit.js";
import { ipKeyFor, type Limit, rateLimit } from "../middleware/rate-limit.js";

/** Options of {@link createSessionRoutes}. */
export interface SessionRoutesOptions {
  sessions: SessionService;
  /** Per-IP limit on session creation (`RATE_LIMIT_SESSIONS_PER_IP`). */
  rateLimiter: Limit;
  /** Time source for the rate limiter. @default systemClock */
  clock?: Clock;
  /** Proxies of ours in front whose `X-Forwarded-For` entries are trusted (TRUST_PROXY). @default 0 */
  trustProxy?: number;
}

/** The cookie holding the anonymous user id. */
export const SESSION_COOKIE = "chatkit_session_id";
/** 30 days, in seconds. */
export const SESSION_COOKIE_MAX_AGE = 30 * 24 * 60 * 60;

const sessionRequestSchema = z.object({
  visitor_key: z.string().min(16).max(200).optional(),
});

/** https directly, or behind a proxy that terminated TLS and says so. */
function isHttps(c: Context): boolean {
  if (new URL(c.req.url).protocol === "https:") return true;
  return c.req.header("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase() === "https";
}

/**
 * POST /api/chatkit/session with an optional JSON body `{ visitor_key? }` -> `{ client_secret,
 * expires_at }`. The user comes from the visitor key, else the `chatkit_session_id` cookie, else
 * a new id that is set as the cookie (HttpOnly, SameSite=Lax, 30 days, Secure on https).
 */
export function createSessionRoutes(options: SessionRoutesOptions): Hono {
  const app = new Hono();
  const limitOptions = options.clock ? { clock: options.clock } : {};
  app.post(
    "/",
    rateLimit(options.rateLimiter, ipKeyFor(options.trustProxy ?? 0), limitOptions),
    limitBody({
      maxSize: 4096,
      onError: () => {
        throw new PayloadTooLargeError("The session request body is too large.");
      },
    }),
    async (c) => {
      const text = await c.req.text();
      let body: unknown = {};
      if (text.trim() !== "") {
        try {
          body = JSON.parse(text);
        } catch {
          throw new ValidationError('The body must be empty or JSON like {"visitor_key":"..."}.');
        }
      }
      const parsed = sessionRequestSchema.safeParse(body);
      if (!parsed.success) throw validationErrorFrom(parsed.error);

      const session = await options.sessions.create({
        cookieUserId: getCookie(c, SESSION_COOKIE) ?? null,
        visitorKey: parsed.data.visitor_key ?? null,
      });
      if (session.newCookieUserId) {
        setCookie(c, SESSION_COOKIE, session.newCookieUserId, {
          path: "/",
          httpOnly: true,
          sameSite: "Lax",
          maxAge: SESSION_COOKIE_MAX_AGE,
          secure: isHttps(c),
        });
      }
      // A secret must never be cached by a proxy or the browser.
      c.header("Cache-Control", "no-store");
      return c.json({
        client_secret: session.client_secret,
        ...(session.lead_secret ? { lead_secret: session.lead_secret } : {}),
        expires_at: session.expires_at,
      });
    },
  );
  return app;
}

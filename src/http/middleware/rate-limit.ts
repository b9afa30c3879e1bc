import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context, Env, MiddlewareHandler } from "hono";
import type { RateLimiter } from "../../core/rate-limit.js";
import { type Clock, systemClock } from "../../ports/clock.js";

/** Options of {@link rateLimit}. */
export interface RateLimitMiddlewareOptions {
  /** Time source. @default systemClock */
  clock?: Clock;
  /** Shown to the client in the 429 body. @default "Too many requests; please slow down." */
  message?: string;
}

/**
 * The client's IP: the first `X-Forwarded-For` entry (set by the proxy or load balancer in front
 * of us), else the socket's address, else `unknown` (e.g. `app.request()` in tests, no socket).
 * Without a proxy in front, X-Forwarded-For is whatever the client says, so per-IP limits are then
 * only as good as the client's honesty; per-user limits still hold.
 */
export function clientIp(c: Context): string {
  const forwarded = c.req.header("x-forwarded-for")?.split(",")[0]?.trim();
  if (forwarded) return forwarded.slice(0, 64);
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown"; // no Node socket: Lambda without the header, or app.request() in tests
  }
}

/** A key function for per-IP limits: `ip:<address>`. */
export function ipKey(c: Context): string {
  return `ip:${clientIp(c)}`;
}

/** One key, several (charged all or nothing), or none (`[]` or `""`: not limited). */
export type RateLimitKeys = string | readonly string[];

/**
 * Charges each request against `limiter` under the key(s) `keyFn` returns (an empty list skips
 * the limit; an async keyFn may read the body, which Hono caches for the route). Over the limit:
 * 429 `{ error: { code: "rate_limited", message } }` with `Retry-After` in whole seconds,
 * answered here (not thrown) so the header cannot be lost on the way.
 */
// biome-ignore lint/suspicious/noExplicitAny: the middleware works with any app's Env
export function rateLimit<E extends Env = any>(
  limiter: RateLimiter,
  keyFn: (c: Context<E>) => RateLimitKeys | Promise<RateLimitKeys>,
  options: RateLimitMiddlewareOptions = {},
): MiddlewareHandler<E> {
  const clock = options.clock ?? systemClock;
  const message = options.message ?? "Too many requests; please slow down.";
  return async (c, next) => {
    const keys = await keyFn(c);
    if (keys.length === 0) return next();
    const decision = limiter.take(keys, clock.now());
    if (!decision.allowed) {
      const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
      return c.json({ error: { code: "rate_limited", message } }, 429, { "Retry-After": String(seconds) });
    }
    return next();
  };
}

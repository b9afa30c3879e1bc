import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context, Env, MiddlewareHandler } from "hono";
import { forwardedClientAddress } from "../../core/forwarded-for.js";
import type { RateLimiter } from "../../core/rate-limit.js";
import { type Clock, systemClock } from "../../ports/clock.js";

/** Options of {@link rateLimit}. */
export interface RateLimitMiddlewareOptions {
  /** Time source. @default systemClock */
  clock?: Clock;
  /** Shown to the client in the 429 body. @default "Too many requests; please slow down." */
  message?: string;
}

/** The address of the peer the TCP connection comes from, or null without a Node socket. */
function socketAddress(c: Context): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null; // no Node socket: app.request() in tests, or a runtime like Lambda
  }
}

/**
 * The client's IP for per-IP limits. With `trustProxy` 0 (the default) only the socket's address
 * counts and `X-Forwarded-For` is ignored, since a client can send any header it likes. With
 * `trustProxy` n (TRUST_PROXY: that many proxies of ours in front, each appending the address it
 * saw), the n-th `X-Forwarded-For` entry from the right, the address the outermost of them saw;
 * the socket's address when the header has fewer entries. `unknown` when there is neither
 * (app.request() in tests, or a runtime without a Node socket).
 */
export function clientIp(c: Context, trustProxy = 0): string {
  return forwardedClientAddress(c.req.header("x-forwarded-for"), trustProxy) ?? socketAddress(c) ?? "unknown";
}

/** A key function for per-IP limits, `ip:<address>`, trusting `trustProxy` proxies (see {@link clientIp}). */
export function ipKeyFor(trustProxy: number): (c: Context) => string {
  return (c) => `ip:${clientIp(c, trustProxy)}`;
}

/** The per-IP key with no proxy trusted: the socket's address, never `X-Forwarded-For`. */
export const ipKey: (c: Context) => string = ipKeyFor(0);

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

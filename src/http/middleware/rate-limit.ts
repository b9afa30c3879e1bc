import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context, Env, MiddlewareHandler } from "hono";
import { forwardedClientAddress } from "../../core/forwarded-for.js";
import type { RateLimitDecision, RateLimitRule } from "../../core/rate-limit.js";
import { type Clock, systemClock } from "../../ports/clock.js";
import type { RateLimitStore } from "../../ports/rate-limit-store.js";

/** Options of {@link rateLimit}. */
export interface RateLimitMiddlewareOptions {
  /** Time source. @default systemClock */
  clock?: Clock;
  /** Shown to the client in the 429 body. @default "Too many requests; please slow down." */
  message?: string;
}

/** What the Lambda adapter (hono/aws-lambda) puts in `c.env`: API Gateway v2 and Function URL events. */
interface LambdaBindings {
  requestContext?: { http?: { sourceIp?: string } };
}

/**
 * The address of the peer the TCP connection comes from: the Node socket's, or on Lambda the
 * `sourceIp` API Gateway or the Function URL saw (the client itself, not a header it could forge);
 * null without either.
 */
function socketAddress(c: Context): string | null {
  const lambdaSource = (c.env as LambdaBindings | undefined)?.requestContext?.http?.sourceIp;
  if (lambdaSource) return lambdaSource;
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null; // no Node socket: app.request() in tests
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

/** One key, several, or none (`[]` or `""`: not limited). */
export type RateLimitKeys = string | readonly string[];

/** What the middleware charges: an in-process limiter (core/rate-limit) or a {@link storedLimit}. */
export interface Limit {
  take(keys: RateLimitKeys, now: number): RateLimitDecision | Promise<RateLimitDecision>;
}

/**
 * A named limit counted in a shared {@link RateLimitStore} (keys are prefixed with `name`, so
 * limits sharing a store never mix). `rule.limit` 0 turns it off. Several keys are charged one
 * after the other; the request is refused when any of them is over.
 */
export function storedLimit(store: RateLimitStore, name: string, rule: RateLimitRule): Limit {
  return {
    async take(keys, now) {
      const list = typeof keys === "string" ? [keys] : keys;
      let answer: RateLimitDecision = { allowed: true, remaining: rule.limit, retryAfterMs: 0 };
      if (rule.limit <= 0) return answer;
      for (const key of list) {
        const decision = await store.take(`${name}:${key}`, rule, now);
        if (!decision.allowed) return decision;
        answer = decision.remaining < answer.remaining ? decision : answer;
      }
      return answer;
    },
  };
}

/**
 * Charges each request against `limiter` under the key(s) `keyFn` returns (an empty list skips
 * the limit; an async keyFn may read the body, which Hono caches for the route). Over the limit:
 * 429 `{ error: { code: "rate_limited", message } }` with `Retry-After` in whole seconds,
 * answered here (not thrown) so the header cannot be lost on the way.
 */
// biome-ignore lint/suspicious/noExplicitAny: the middleware works with any app's Env
export function rateLimit<E extends Env = any>(
  limiter: Limit,
  keyFn: (c: Context<E>) => RateLimitKeys | Promise<RateLimitKeys>,
  options: RateLimitMiddlewareOptions = {},
): MiddlewareHandler<E> {
  const clock = options.clock ?? systemClock;
  const message = options.message ?? "Too many requests; please slow down.";
  return async (c, next) => {
    const keys = await keyFn(c);
    if (keys.length === 0) return next();
    const decision = await limiter.take(keys, clock.now());
    if (!decision.allowed) {
      const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
      return c.json({ error: { code: "rate_limited", message } }, 429, { "Retry-After": String(seconds) });
    }
    return next();
  };
}

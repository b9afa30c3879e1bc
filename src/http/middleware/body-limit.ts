import type { Context, Env, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";

/**
 * Hono's `bodyLimit`, with its header-only case answered here first: a request that declares its
 * length (and no transfer encoding) is checked from `Content-Length` alone, exactly as `bodyLimit`
 * checks it, without touching `c.req.raw.body`. On the Node server that getter builds a whole web
 * Request and a stream around a body the route reads directly anyway: a measurable share of every
 * chat turn. Anything else (chunked, no length) goes through `bodyLimit` itself.
 */
// biome-ignore lint/suspicious/noExplicitAny: the middleware works with any app's Env
export function limitBody<E extends Env = any>(options: {
  maxSize: number;
  onError: (c: Context<E>) => Response | Promise<Response>;
}): MiddlewareHandler<E> {
  const fallback = bodyLimit(options) as MiddlewareHandler<E>;
  return async (c, next) => {
    const length = c.req.header("content-length");
    if (length === undefined || c.req.header("transfer-encoding") !== undefined) return fallback(c, next);
    if (Number.parseInt(length || "0", 10) > options.maxSize) return options.onError(c);
    await next();
  };
}

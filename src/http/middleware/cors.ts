import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";

/** Options of {@link createCors}. */
export interface CorsOptions {
  /** Origins allowed to call the API (`ALLOWED_ORIGINS`), e.g. `https://shop.example`. */
  allowedOrigins: string[];
  /**
   * Refuse (403 `origin_not_allowed`) writes (POST/PUT/PATCH/DELETE) that carry an `Origin` not in
   * the list. CORS alone only hides the answer: a simple cross-site request (text/plain, form
   * post) would still run. Requests without `Origin` (curl, server-to-server) are not affected.
   * @default true
   */
  blockDisallowedWrites?: boolean;
}

/**
 * `scheme://host[:port]` as browsers send it in `Origin` (lowercase, default port dropped, no
 * trailing slash), or null when `value` is not an http(s) origin.
 */
export function normalizeOrigin(value: string): string | null {
  try {
    const url = new URL(value.trim());
    if (url.protocol !== "http:" && url.protocol !== "https:") return null;
    return url.origin;
  } catch {
    return null;
  }
}

const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * CORS for the widget and the official ChatKit component: only listed origins (exact match) get
 * `Access-Control-Allow-Origin`, with credentials (the session cookie) and whatever request headers
 * their preflight asks for (our `Authorization` and `Content-Type`, and any the component or a
 * site's fetch wrapper adds). Any other origin gets no CORS headers at all, so browsers refuse to
 * read the answer and fail preflights. Mount it before auth: preflights carry no credentials.
 */
export function createCors(options: CorsOptions): MiddlewareHandler {
  const allowed = new Set<string>();
  for (const entry of options.allowedOrigins) {
    const origin = normalizeOrigin(entry);
    if (!origin) throw new Error(`not an http(s) origin: ${JSON.stringify(entry)}`);
    allowed.add(origin);
  }
  const blockWrites = options.blockDisallowedWrites ?? true;
  const isAllowed = (origin: string | undefined): origin is string =>
    origin !== undefined && allowed.has(normalizeOrigin(origin) ?? "");
  const withCors = cors({
    // Echo the browser's own spelling; the comparison above was on the normalized form.
    origin: (origin) => (isAllowed(origin) ? origin : null),
    credentials: true,
    // Empty: the preflight's own Access-Control-Request-Headers are allowed (listed origins only).
    allowHeaders: [],
    allowMethods: ["GET", "HEAD", "POST", "DELETE", "OPTIONS"],
    maxAge: 600,
  });

  return async (c, next) => {
    const origin = c.req.header("origin");
    // No Origin: not a cross-origin browser request (curl, servers, same-origin GETs), so no CORS
    // headers to add. Skipping the middleware also keeps Hono's fast response path (rewriting the
    // headers of a finished response costs more than the whole already_sent answer).
    if (origin === undefined) return next();
    // A page served by this server (the demo site, the outbox) is same-origin, whatever port it
    // was started on: CORS does not apply, so neither do ALLOWED_ORIGINS.
    if (normalizeOrigin(origin) === new URL(c.req.url).origin) return next();
    if (isAllowed(origin)) return withCors(c, next);
    const forbidden = { error: { code: "origin_not_allowed", message: "This origin may not call the API." } };
    if (c.req.method === "OPTIONS" && c.req.header("access-control-request-method")) {
      return c.json(forbidden, 403, { Vary: "Origin" });
    }
    if (blockWrites && WRITES.has(c.req.method)) return c.json(forbidden, 403, { Vary: "Origin" });
    await next();
    c.header("Vary", "Origin", { append: true });
  };
}

import type { MiddlewareHandler } from "hono";
import type { SessionService } from "../../services/sessions.js";

/** Hono variables set by {@link requireClientSecret}. */
export interface AuthVariables {
  /** The authenticated user (a UUID from the cookie or `vk_<sha256 hex>` from a visitor key). */
  userId: string;
}

/** The Hono Env of routes behind {@link requireClientSecret}: `new Hono<AuthEnv>()`. */
export interface AuthEnv {
  Variables: AuthVariables;
}

/** Options of {@link requireClientSecret}. */
export interface RequireClientSecretOptions {
  /**
   * Also accept `client_secret` inside a JSON (or text/plain JSON) body when no Authorization
   * header is sent. `navigator.sendBeacon` cannot set headers, so `/lead` needs this.
   * @default false
   */
  allowBodySecret?: boolean;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** Pulls `client_secret` from a JSON body; Hono caches the text, so the route can read it again. */
async function bodySecret(text: Promise<string>): Promise<string | undefined> {
  try {
    const body: unknown = JSON.parse(await text);
    const value = (body as { client_secret?: unknown } | null)?.client_secret;
    return typeof value === "string" ? value : undefined;
  } catch {
    return undefined; // not JSON: the route reports its own validation error after the 401
  }
}

/**
 * Requires a valid client secret (`Authorization: Bearer <secret>`) and sets `userId`.
 * Missing, expired, forged or malformed -> 401 `unauthorized` (thrown; app.onError maps it).
 */
export function requireClientSecret(
  sessions: Pick<SessionService, "authenticate">,
  options: RequireClientSecretOptions = {},
): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization");
    let secret = header ? BEARER.exec(header)?.[1] : undefined;
    if (!header && options.allowBodySecret) {
      const type = (c.req.header("content-type") ?? "").toLowerCase();
      // Never buffer uploads (multipart) here; only the small JSON bodies sendBeacon sends.
      if (type === "" || type.startsWith("application/json") || type.startsWith("text/plain"))
        secret = await bodySecret(c.req.text());
    }
    const { userId } = await sessions.authenticate(secret);
    c.set("userId", userId);
    await next();
  };
}

import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { escapeHtml } from "../../core/html.js";
import { isLocalHostHeader, isLoopbackAddress, type OwnerSessionClaims } from "../../core/owner-session.js";
import type { OwnerAuthService, OwnerGrant } from "../../services/owner-auth.js";
import { localOnlyPage, OWNER_PAGE_HEADERS } from "../owner-pages.js";
import { clientIp } from "./rate-limit.js";

/** The cookie holding the owner's session token. */
export const OWNER_SESSION_COOKIE = "owner_session";
/** The login page; the gate sends browsers here with `?next=`. */
export const OWNER_LOGIN_PATH = "/owner/login";

/** What {@link requireOwner} puts in the context: the session and its CSRF token. */
export interface OwnerContext extends OwnerSessionClaims {
  /** The CSRF token owner forms send back (field `csrf`) and scripts send as `x-csrf-token`. */
  csrf: string;
}

/** The Hono Env of owner routes: `new Hono<OwnerEnv>()`, then `c.get("owner")`. */
export interface OwnerEnv {
  Variables: { owner: OwnerContext };
}

/** Options of {@link requireOwner}. */
export interface RequireOwnerOptions {
  owner: OwnerAuthService;
  /** TRUST_PROXY: how the client address is read (see `clientIp`). */
  trustProxy: number;
  /** Mark cookies `Secure` (PUBLIC_BASE_URL is https). */
  secureCookies: boolean;
  /** Paths let through untouched. @default [OWNER_LOGIN_PATH] */
  publicPaths?: readonly string[];
}

const SAFE_METHODS = new Set(["GET", "HEAD"]);

/** The request asks for JSON (an API client or a script), not a page. */
export function wantsJson(c: Context): boolean {
  return (c.req.header("accept") ?? "").toLowerCase().includes("application/json");
}

/** Sets the `owner_session` cookie: HttpOnly, SameSite=Strict, Path=/, for the session's lifetime. */
export function setOwnerCookie(c: Context, grant: OwnerGrant, secure: boolean, maxAgeSeconds: number): void {
  setCookie(c, OWNER_SESSION_COOKIE, grant.token, {
    path: "/",
    httpOnly: true,
    sameSite: "Strict",
    secure,
    maxAge: maxAgeSeconds,
  });
}

/** Clears the `owner_session` cookie (same attributes, Max-Age=0). */
export function clearOwnerCookie(c: Context, secure: boolean): void {
  deleteCookie(c, OWNER_SESSION_COOKIE, { path: "/", httpOnly: true, sameSite: "Strict", secure });
}

/**
 * Whether a request comes from the computer the server runs on: the client address (the socket's,
 * or with TRUST_PROXY the one our proxies vouch for) is loopback, and the Host names this computer
 * (DNS rebinding: another site's page reaching 127.0.0.1 still sends its own name). A forwarding
 * header without TRUST_PROXY means a proxy we were not told about relays someone else: not local.
 */
export function isFromThisComputer(c: Context, trustProxy: number): boolean {
  if (trustProxy === 0 && ["x-forwarded-for", "forwarded", "x-real-ip"].some((name) => c.req.header(name)))
    return false;
  return isLoopbackAddress(clientIp(c, trustProxy)) && isLocalHostHeader(c.req.header("host"));
}

/** The CSRF token a write carries: the `x-csrf-token` header, else the form field `csrf`. */
async function csrfFrom(c: Context): Promise<string | undefined> {
  const header = c.req.header("x-csrf-token");
  if (header !== undefined) return header;
  const type = (c.req.header("content-type") ?? "").toLowerCase();
  if (!type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/form-data"))
    return undefined;
  // Hono caches the parsed form, so the route reads the same body again.
  const field = (await c.req.parseBody().catch(() => ({}) as Record<string, unknown>)).csrf;
  return typeof field === "string" ? field : undefined;
}

function refuse(c: Context, status: 401 | 403, code: string, message: string): Response {
  c.header("Cache-Control", "no-store");
  return c.json({ error: { code, message } }, status);
}

/**
 * Guards every owner page and owner API (`/outbox*`, `/owner*`). With a password set: no valid
 * `owner_session` cookie -> a page request (GET without `Accept: application/json`) is sent 303
 * to the login page with `next`, anything else answers 401 `owner_login_required`; never any
 * data. Without a password: only requests from this computer (see {@link isFromThisComputer}) get
 * in, with a session minted on their first page view; others get 403 `owner_access_local_only`.
 * Every write (not GET/HEAD) needs the session's CSRF token (`csrf` form field or `x-csrf-token`
 * header), else 403 `csrf`. Sets `owner` in the context (see {@link ownerOf}, {@link csrfFieldFor}).
 */
export function requireOwner(options: RequireOwnerOptions): MiddlewareHandler<OwnerEnv> {
  const { owner, trustProxy, secureCookies } = options;
  const publicPaths = new Set(options.publicPaths ?? [OWNER_LOGIN_PATH]);
  return async (c, next) => {
    if (publicPaths.has(c.req.path)) return next();
    const safe = SAFE_METHODS.has(c.req.method);
    if (owner.mode === "loopback" && !isFromThisComputer(c, trustProxy)) {
      const message =
        "No owner password is set, so owner pages answer only on the computer running the server. Set OWNER_PASSWORD to use them from elsewhere.";
      if (safe && !wantsJson(c)) {
        for (const [name, value] of Object.entries(OWNER_PAGE_HEADERS)) c.header(name, value);
        return c.html(localOnlyPage(), 403);
      }
      return refuse(c, 403, "owner_access_local_only", message);
    }
    let session = await owner.authenticate(getCookie(c, OWNER_SESSION_COOKIE));
    if (!session && owner.mode === "loopback" && safe) {
      const grant = await owner.startLocal();
      setOwnerCookie(c, grant, secureCookies, owner.ttlSeconds);
      session = grant.session;
    }
    if (!session) {
      // Loopback mode: a write with no session has no CSRF token to match either.
      if (owner.mode === "loopback")
        return refuse(c, 403, "csrf", "Open the owner page first, then send the form from it.");
      if (safe && !wantsJson(c)) {
        const url = new URL(c.req.url);
        c.header("Cache-Control", "no-store");
        return c.redirect(`${OWNER_LOGIN_PATH}?next=${encodeURIComponent(url.pathname + url.search)}`, 303);
      }
      return refuse(c, 401, "owner_login_required", "Log in as the owner first (POST /owner/login).");
    }
    if (!safe && !(await owner.checkCsrf(await csrfFrom(c), session.sessionId)))
      return refuse(
        c,
        403,
        "csrf",
        "The form's CSRF token is missing or wrong; reload the page and try again.",
      );
    c.set("owner", { ...session, csrf: await owner.csrfToken(session.sessionId) });
    // Owner answers hold customer data: never kept by a shared cache (a route may say more).
    c.header("Cache-Control", "no-store");
    await next();
  };
}

/** The owner of a request behind {@link requireOwner}; throws when the gate was not mounted. */
export function ownerOf(c: Context): OwnerContext {
  const owner = c.get("owner") as OwnerContext | undefined;
  if (!owner) throw new Error("ownerOf(c) needs requireOwner in front of the route");
  return owner;
}

/** The hidden CSRF field every owner `<form method="post">` carries: `${csrfFieldFor(c)}`. */
export function csrfFieldFor(c: Context): string {
  return `<input type="hidden" name="csrf" value="${escapeHtml(ownerOf(c).csrf)}">`;
}

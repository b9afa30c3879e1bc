import { randomBytes } from "node:crypto";
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import { PayloadTooLargeError } from "../../core/errors.js";
import { safeNextPath } from "../../core/owner-session.js";
import { type Clock, systemClock } from "../../ports/clock.js";
import type { OwnerAuthService } from "../../services/owner-auth.js";
import { validationErrorFrom } from "../errors.js";
import {
  clearOwnerCookie,
  csrfFieldFor,
  OWNER_LOGIN_PATH,
  OWNER_SESSION_COOKIE,
  type OwnerEnv,
  ownerOf,
  setOwnerCookie,
  wantsJson,
} from "../middleware/owner-auth.js";
import { ipKeyFor, type Limit } from "../middleware/rate-limit.js";
import {
  type LoginNotice,
  loginPage,
  logoutPage,
  noPasswordPage,
  OWNER_PAGE_HEADERS,
} from "../owner-pages.js";

/** Options of {@link createOwnerLoginRoutes} and {@link createOwnerSessionRoutes}. */
export interface OwnerLoginRoutesOptions {
  owner: OwnerAuthService;
  /** Login attempts per IP (every POST counts, right or wrong). */
  limiter: Limit;
  clock?: Clock;
  /** TRUST_PROXY, for the per-IP key. @default 0 */
  trustProxy?: number;
  /** Mark cookies `Secure` (PUBLIC_BASE_URL is https). */
  secureCookies: boolean;
  /** Where a login goes when no `next` is given (the outbox, or the owner console). */
  home: string;
}

/** The login form's own CSRF cookie (there is no session yet to bind the token to). */
const LOGIN_NONCE_COOKIE = "owner_login";
const NONCE = /^[A-Za-z0-9_-]{22,64}$/;
const LOGOUT_PATH = "/owner/logout";

const loginQuerySchema = z.object({
  next: z.string().max(2048).optional(),
  logged_out: z.string().max(8).optional(),
});

const loginFormSchema = z.object({
  password: z.string().min(1, "enter the password").max(1024),
  csrf: z.string().max(128).optional(),
  next: z.string().max(2048).optional(),
});

function withPageHeaders(c: Context): void {
  for (const [name, value] of Object.entries(OWNER_PAGE_HEADERS)) c.header(name, value);
}

/**
 * `GET /login` and `POST /login` (mount at `/owner`). The form posts `password`, `csrf` and `next`
 * (form-encoded); its CSRF token is bound to a random nonce in the `owner_login` cookie (Strict,
 * so a form on another site arrives without it). Every attempt counts against the per-IP limit
 * (429 with Retry-After past it). Right: the `owner_session` cookie and 303 to `next` when it is a
 * path on this site, else to `home`. Wrong: 401 (the form again, or JSON `owner_login_failed`).
 */
export function createOwnerLoginRoutes(options: OwnerLoginRoutesOptions): Hono {
  const { owner, limiter, secureCookies, home } = options;
  const clock = options.clock ?? systemClock;
  const ipKey = ipKeyFor(options.trustProxy ?? 0);
  const app = new Hono();

  /** The login form with a fresh token (the nonce cookie is kept when it is still a good one). */
  async function form(c: Context, next: string | null, status: 200 | 401 | 403 | 429, notice?: LoginNotice) {
    let nonce = getCookie(c, LOGIN_NONCE_COOKIE);
    if (!nonce || !NONCE.test(nonce)) {
      nonce = randomBytes(18).toString("base64url");
      setCookie(c, LOGIN_NONCE_COOKIE, nonce, {
        path: OWNER_LOGIN_PATH,
        httpOnly: true,
        sameSite: "Strict",
        secure: secureCookies,
        maxAge: owner.ttlSeconds,
      });
    }
    const csrf = await owner.csrfToken(`login:${nonce}`);
    withPageHeaders(c);
    return c.html(loginPage({ action: OWNER_LOGIN_PATH, csrf, next, ...(notice ? { notice } : {}) }), status);
  }

  app.get("/login", async (c) => {
    const query = loginQuerySchema.safeParse(c.req.query());
    if (!query.success) throw validationErrorFrom(query.error);
    const next = safeNextPath(query.data.next);
    if (owner.mode === "loopback") {
      withPageHeaders(c);
      return c.html(noPasswordPage(home));
    }
    if (await owner.authenticate(getCookie(c, OWNER_SESSION_COOKIE))) return c.redirect(next ?? home, 303);
    return form(c, next, 200, query.data.logged_out ? { kind: "logged_out" } : undefined);
  });

  app.post(
    "/login",
    bodyLimit({
      maxSize: 16 * 1024,
      onError: () => {
        throw new PayloadTooLargeError("The login form is too large.");
      },
    }),
    async (c) => {
      const decision = await limiter.take(ipKey(c), clock.now());
      if (!decision.allowed) {
        const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
        c.header("Retry-After", String(seconds));
        if (!wantsJson(c)) return form(c, null, 429, { kind: "rate_limited", retryAfterSeconds: seconds });
        const message = "Too many login attempts; try again later.";
        return c.json({ error: { code: "rate_limited", message } }, 429);
      }
      if (owner.mode === "loopback") {
        const message = "No owner password is set: owner pages open only on this computer, without a login.";
        return c.json({ error: { code: "owner_password_not_set", message } }, 400);
      }
      const body = await c.req.parseBody().catch(() => ({}));
      const parsed = loginFormSchema.safeParse(body);
      if (!parsed.success) throw validationErrorFrom(parsed.error);
      const next = safeNextPath(parsed.data.next);
      const nonce = getCookie(c, LOGIN_NONCE_COOKIE);
      const genuine = nonce !== undefined && NONCE.test(nonce);
      if (!genuine || !(await owner.checkCsrf(parsed.data.csrf, `login:${nonce}`))) {
        if (!wantsJson(c)) return form(c, next, 403, { kind: "expired_form" });
        const message = "The login form's CSRF token is missing or wrong; open the login page again.";
        return c.json({ error: { code: "csrf", message } }, 403);
      }
      const grant = await owner.login(parsed.data.password);
      if (!grant) {
        if (!wantsJson(c)) return form(c, next, 401, { kind: "wrong_password" });
        return c.json({ error: { code: "owner_login_failed", message: "Wrong password." } }, 401);
      }
      setOwnerCookie(c, grant, secureCookies, owner.ttlSeconds);
      deleteCookie(c, LOGIN_NONCE_COOKIE, { path: OWNER_LOGIN_PATH, secure: secureCookies });
      c.header("Cache-Control", "no-store");
      return c.redirect(next ?? home, 303);
    },
  );

  return app;
}

/**
 * Owner routes behind `requireOwner` (mount at `/owner`): `GET /session` (JSON: how the owner got
 * in, until when, and the CSRF token for scripts), `GET /logout` (a "Log out?" page) and
 * `POST /logout` (CSRF-checked by the gate): ends the session, clears the cookie, and 303 to the
 * login page (JSON clients get `{ ok: true }`).
 */
export function createOwnerSessionRoutes(
  options: Pick<OwnerLoginRoutesOptions, "owner" | "secureCookies" | "home">,
): Hono<OwnerEnv> {
  const { owner, secureCookies, home } = options;
  const app = new Hono<OwnerEnv>();

  app.get("/session", (c) => {
    const { access, expiresAt, csrf } = ownerOf(c);
    return c.json({ owner: { access, expires_at: expiresAt }, csrf });
  });

  app.get("/logout", (c) => {
    withPageHeaders(c);
    return c.html(logoutPage({ action: LOGOUT_PATH, csrfField: csrfFieldFor(c), back: home }));
  });

  app.post("/logout", (c) => {
    owner.logout(ownerOf(c));
    clearOwnerCookie(c, secureCookies);
    if (wantsJson(c)) return c.json({ ok: true });
    return c.redirect(`${OWNER_LOGIN_PATH}?logged_out=1`, 303);
  });

  return app;
}

import { type Context, Hono } from "hono";
import { z } from "zod";
import { startOfDayInZone } from "../../core/ads-export/time.js";
import { CONSOLE_STATES } from "../../core/console/lead-status.js";
import { NotFoundError } from "../../core/errors.js";
import { outcomeInputSchema } from "../../core/lead-outcome.js";
import type { MessageDecoder } from "../../ports/message-decoder.js";
import type { LeadConsoleService } from "../../services/lead-console.js";
import { validationErrorFrom } from "../errors.js";
import { csrfFieldFor, type OwnerEnv, ownerOf, wantsJson } from "../middleware/owner-auth.js";
import {
  type ConsoleChrome,
  type ConsoleFilters,
  consoleListPage,
  conversationNotFoundPage,
  conversationPage,
  type RefusedOutcome,
} from "../owner-console-pages.js";
import { OWNER_PAGE_HEADERS } from "../owner-pages.js";
import { MESSAGE_PAGE_HEADERS, messagePage } from "./outbox.js";

/** Options of {@link createOwnerConsoleRoutes}. */
export interface OwnerConsoleRoutesOptions {
  console: LeadConsoleService;
  decoder: MessageDecoder;
  /** `SHOP_TIME_ZONE`: dates in the filters and times on the pages are the shop's. */
  timeZone: string;
  /** `ADS_CURRENCY`: the outcome form's default currency. */
  currency: string;
  /** The top bar's links. */
  outbox: boolean;
  logout: boolean;
}

const threadIdPattern = /^[A-Za-z0-9_-]{1,128}$/;
const DAY_MS = 86_400_000;

const listParamsSchema = z.strictObject({
  state: z.union([z.enum(CONSOLE_STATES), z.literal("")]).optional(),
  from: z.union([z.iso.date(), z.literal("")]).optional(),
  to: z.union([z.iso.date(), z.literal("")]).optional(),
  q: z.string().max(100).optional(),
  after: z.string().max(160).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

/** The first instant after the shop's day `date` (YYYY-MM-DD) ends. */
function endOfDay(date: string, timeZone: string): number | null {
  const next = new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
  return startOfDayInZone(next, timeZone);
}

/** Who did it, for the history: one password means one owner; without one, this computer. */
function actorOf(c: Context): string {
  return ownerOf(c).access === "password" ? "owner" : "owner (this computer)";
}

/**
 * The owner's console, mounted at /owner behind the owner gate (which also checks the CSRF token
 * of every POST): `GET /` the list (JSON with `Accept: application/json`), `GET /conversations/:id`
 * one conversation, `GET .../emails/:n` an email as sent, `GET .../photos/:n` a photo from our own
 * store, and `POST .../send` (`anyway=1` for a lead that is not ready), `.../retry`, `.../outcome`.
 * Every POST answers 303 back to the conversation (JSON with `Accept: application/json`).
 */
export function createOwnerConsoleRoutes(options: OwnerConsoleRoutesOptions): Hono<OwnerEnv> {
  const app = new Hono<OwnerEnv>();
  const { console: leads, timeZone } = options;
  const clockFormat = new Intl.DateTimeFormat("en-US", {
    timeZone,
    month: "short",
    day: "numeric",
    year: "numeric",
    hour: "numeric",
    minute: "2-digit",
  });
  const chromeFor = (c: Context): ConsoleChrome => ({
    formatTime: (ms) => clockFormat.format(new Date(ms)),
    timeZone,
    outbox: options.outbox,
    logout: options.logout && ownerOf(c).access === "password",
  });
  const html = (c: Context, body: string, status: 200 | 400 | 404 = 200) =>
    c.html(body, status, OWNER_PAGE_HEADERS);

  app.get("/", async (c) => {
    const parsed = listParamsSchema.safeParse(c.req.query());
    if (!parsed.success) throw validationErrorFrom(parsed.error);
    const { state, from, to, q, after, limit } = parsed.data;
    const filters: ConsoleFilters = {
      state: state || undefined,
      from: from || undefined,
      to: to || undefined,
      q,
    };
    const since = from ? startOfDayInZone(from, timeZone) : null;
    const until = to ? endOfDay(to, timeZone) : null;
    const query = {
      ...(filters.state ? { state: filters.state } : {}),
      ...(since !== null ? { since } : {}),
      ...(until !== null ? { until: until - 1 } : {}),
      ...(q?.trim() ? { q: q.trim() } : {}),
      ...(after ? { after } : {}),
      ...(limit ? { limit } : {}),
    };
    const page = await leads.list(query);
    if (wantsJson(c)) return c.json(page);
    return html(c, consoleListPage({ page, filters, chrome: chromeFor(c), paged: Boolean(after) }));
  });

  /** The thread id of the path, or a 404 page / JSON error for anything else. */
  const withThread = (handler: (c: Context<OwnerEnv>, threadId: string) => Promise<Response>) => {
    return async (c: Context<OwnerEnv>) => {
      const threadId = c.req.param("id") ?? "";
      try {
        if (!threadIdPattern.test(threadId))
          throw new NotFoundError("There is no conversation with that id.");
        return await handler(c, threadId);
      } catch (error) {
        if (!(error instanceof NotFoundError) || wantsJson(c) || c.req.method !== "GET") throw error;
        return html(c, conversationNotFoundPage(chromeFor(c)), 404);
      }
    };
  };

  const showConversation = async (c: Context<OwnerEnv>, threadId: string, refused?: RefusedOutcome) => {
    const view = await leads.conversation(threadId);
    if (wantsJson(c)) return c.json(view);
    const page = conversationPage({
      view,
      chrome: chromeFor(c),
      csrfField: csrfFieldFor(c),
      currency: options.currency,
      done: c.req.query("done"),
      refused,
    });
    return html(c, page, refused ? 400 : 200);
  };

  app.get(
    "/conversations/:id",
    withThread((c, threadId) => showConversation(c, threadId)),
  );

  app.get(
    "/conversations/:id/emails/:n{[0-9]{1,3}}",
    withThread(async (c, threadId) => {
      const raw = await leads.emailBytes(threadId, Number(c.req.param("n")));
      if (!raw) throw new NotFoundError("That email was not kept.");
      const mail = await options.decoder.decode(raw);
      const back = `/owner/conversations/${threadId}`;
      return c.html(
        messagePage(mail, { back, backLabel: "Conversation", raw: null }),
        200,
        MESSAGE_PAGE_HEADERS,
      );
    }),
  );

  app.get(
    "/conversations/:id/photos/:n{[0-9]{1,4}}",
    withThread(async (c, threadId) => {
      const photo = await leads.photo(threadId, Number(c.req.param("n")));
      if (!photo) throw new NotFoundError("That photo is not stored here.");
      return c.body(new Uint8Array(photo.bytes), 200, {
        "content-type": photo.contentType,
        "cache-control": "private, no-store",
        "x-content-type-options": "nosniff",
        "content-security-policy": "default-src 'none'; sandbox",
      });
    }),
  );

  /** After an action: back to the conversation page with what happened, or the JSON answer. */
  const answer = (c: Context<OwnerEnv>, threadId: string, done: string, body: object) =>
    wantsJson(c)
      ? c.json(body)
      : c.redirect(`/owner/conversations/${threadId}?done=${encodeURIComponent(done)}`, 303);

  app.post(
    "/conversations/:id/send",
    withThread(async (c, threadId) => {
      const form = await c.req.parseBody();
      const result = await leads.sendNow({ threadId, actor: actorOf(c), anyway: form.anyway === "1" });
      return answer(c, threadId, result.lead_reason, result);
    }),
  );

  app.post(
    "/conversations/:id/retry",
    withThread(async (c, threadId) => {
      const result = await leads.retry({ threadId, actor: actorOf(c) });
      return answer(c, threadId, result.lead_reason, result);
    }),
  );

  app.post(
    "/conversations/:id/outcome",
    withThread(async (c, threadId) => {
      const form = await c.req.parseBody();
      const text = (key: string) =>
        typeof form[key] === "string" && form[key] !== "" ? (form[key] as string) : undefined;
      const entered = { outcome: text("outcome"), value: text("value"), currency: text("currency") };
      const parsed = outcomeInputSchema.safeParse(
        Object.fromEntries(Object.entries(entered).filter(([, v]) => v !== undefined)),
      );
      if (!parsed.success) {
        if (wantsJson(c)) throw validationErrorFrom(parsed.error);
        const issue = parsed.error.issues[0];
        const field = issue?.path[0] === "value" || issue?.path[0] === "currency" ? issue.path[0] : "outcome";
        return showConversation(c, threadId, {
          entered,
          field,
          message: issue?.message ?? "Check the outcome.",
        });
      }
      const entry = await leads.recordOutcome({ threadId, actor: actorOf(c), outcome: parsed.data });
      return answer(c, threadId, "outcome", { ok: true, outcome: entry });
    }),
  );

  return app;
}

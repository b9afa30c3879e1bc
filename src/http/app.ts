import { Hono } from "hono";
import { formatConversionTime } from "../core/ads-export/time.js";
import type { RateLimitSettings } from "../core/rate-limit.js";
import type { Clock } from "../ports/clock.js";
import type { Logger } from "../ports/logger.js";
import type { MessageDecoder } from "../ports/message-decoder.js";
import type { OutboxReader } from "../ports/outbox-reader.js";
import type { RateLimitStore } from "../ports/rate-limit-store.js";
import type { WidgetBundle } from "../ports/widget-bundle.js";
import type { AdsExportService } from "../services/ads-export.js";
import type { AttachmentService } from "../services/attachments.js";
import type { ChatService } from "../services/chat.js";
import type { LeadConsoleService } from "../services/lead-console.js";
import type { LeadHandoffService } from "../services/lead-handoff.js";
import type { OwnerAuthService } from "../services/owner-auth.js";
import type { SessionService } from "../services/sessions.js";
import type { SmsLinkService } from "../services/sms-links.js";
import { errorResponse } from "./errors.js";
import { writeEventStreamsToNode } from "./event-stream.js";
import { type AuthEnv, requireClientSecret } from "./middleware/auth.js";
import { createCors } from "./middleware/cors.js";
import { OWNER_LOGIN_PATH, requireOwner } from "./middleware/owner-auth.js";
import { ipKeyFor, rateLimit, storedLimit } from "./middleware/rate-limit.js";
import { createAttachmentRoutes } from "./routes/attachments.js";
import { createChatKitRoutes } from "./routes/chatkit.js";
import { createLeadRoutes } from "./routes/lead.js";
import { createOutboxRoutes } from "./routes/outbox.js";
import { createOwnerConsoleRoutes } from "./routes/owner-console.js";
import { createOwnerExportRoutes } from "./routes/owner-exports.js";
import { createOwnerLoginRoutes, createOwnerSessionRoutes } from "./routes/owner-login.js";
import { createSessionRoutes } from "./routes/session.js";
import { createSmsRoutes } from "./routes/sms.js";
import { createWebRoutes } from "./routes/web.js";

/** What the HTTP layer needs; built by the composition root (entry/compose.ts). */
export interface AppServices {
  leads: LeadHandoffService;
  attachments: AttachmentService;
  smsLinks: SmsLinkService;
  chat: ChatService;
  sessions: SessionService;
  clock: Clock;
  logger: Logger;
  attachmentMaxBytes: number;
  allowedOrigins: string[];
  rateLimits: RateLimitSettings;
  /** Where the limits count (in memory on one server, DynamoDB across Lambdas). */
  rateLimitStore: RateLimitStore;
  /**
   * How many proxies of ours stand in front (TRUST_PROXY): per-IP limits read that many
   * `X-Forwarded-For` entries from the right; 0 ignores the header and keys on the socket. @default 0
   */
  trustProxy?: number;
  /** The embedded outbox mailer's messages, when that mailer is in use (serves /outbox). */
  outbox: OutboxReader | null;
  /** The owner's console (/owner), with how it shows emails and the shop's zone and currency. */
  console?: {
    service: LeadConsoleService;
    decoder: MessageDecoder;
    timeZone: string;
    currency: string;
  };
  /** The owner's Google Ads downloads (/owner/exports), with the shop's time zone. */
  adsExports?: { service: AdsExportService; timeZone: string };
  /** The chat widget bundle served at /widget.js. */
  widget: WidgetBundle;
  /** The demo shop site served at /. */
  demoDir: string;
  /** Where the chat endpoint lives when not here (`CHAT_URL`: the AWS stack's streaming Function URL). */
  chatUrl?: string | null;
  /** `chatkit`: the chat runs in hosted OpenAI ChatKit, and `/api/chatkit` is not served here. @default "self" */
  chatRuntime?: "self" | "chatkit";
  /**
   * Who may open the owner pages and APIs (`/outbox*`, `/owner*`): a password login
   * (OWNER_PASSWORD or OWNER_PASSWORD_HASH), or, with neither set, this computer only.
   */
  owner: OwnerAuthService;
  /** Owner cookies carry `Secure` (PUBLIC_BASE_URL is https). @default false */
  secureCookies?: boolean;
  /** What `/healthz` reports: `degraded` while any lead email failed permanently. */
  health(): Promise<{ status: "ok" | "degraded"; failed_leads: number }>;
}

const MINUTE = 60_000;
/** Owner login attempts per IP: 10 per 15 minutes, right or wrong. */
const OWNER_LOGINS_PER_IP = { limit: 10, windowMs: 15 * MINUTE };

/** The whole HTTP API as a Hono app (node server, Lambda and tests all use this). */
export function createApp(services: AppServices): Hono<AuthEnv> {
  const { sessions, clock, rateLimits, rateLimitStore } = services;
  const limit = (name: string, perWindow: number, windowMs: number) =>
    storedLimit(rateLimitStore, name, { limit: perWindow, windowMs });
  const trustProxy = services.trustProxy ?? 0;
  const app = new Hono<AuthEnv>();
  app.onError((error, c) => errorResponse(error, c, services.logger));
  app.notFound((c) =>
    c.json({ error: { code: "not_found", message: `No route for ${c.req.method} ${c.req.path}` } }, 404),
  );
  // Before everything else, so the chat's streams go out with the head the rest made (CORS included).
  app.use("/api/chatkit", writeEventStreamsToNode());
  // First, so preflights (which carry no secret) are answered before any auth.
  app.use("*", createCors({ allowedOrigins: services.allowedOrigins }));

  app.get("/healthz", async (c) => c.json({ ok: true, ...(await services.health()) }));
  // The demo shop at /, its assets under /demo/, and the embeddable widget at /widget.js.
  app.route(
    "/",
    createWebRoutes({
      widget: services.widget,
      demoDir: services.demoDir,
      chatUrl: services.chatUrl ?? null,
    }),
  );
  app.route(
    "/api/chatkit/session",
    createSessionRoutes({
      sessions,
      clock,
      rateLimiter: limit("sessions", rateLimits.sessionsPerIpPer10Min, 10 * MINUTE),
      trustProxy,
    }),
  );

  if (services.chatRuntime === "chatkit") {
    app.post("/api/chatkit", (c) =>
      c.json(
        {
          error: {
            code: "chat_runtime_hosted",
            message:
              "The chat runs in hosted OpenAI ChatKit here (CHAT_RUNTIME=chatkit); this endpoint is off.",
          },
        },
        404,
      ),
    );
  }
  // Exact path: "/api/chatkit/*" would also cover /session.
  app.use("/api/chatkit", requireClientSecret(sessions));
  app.use(
    "/api/chatkit",
    rateLimit(limit("requests", rateLimits.messagesPerIpPerMin, MINUTE), ipKeyFor(trustProxy), { clock }),
  );
  const messagesPerUser = limit("messages", rateLimits.messagesPerUserPerMin, MINUTE);
  // Only sending counts: opening the chat (threads.list, items.list) must not eat the allowance.
  app.use(
    "/api/chatkit",
    rateLimit(
      messagesPerUser,
      async (c) => {
        const body = (await c.req.json().catch(() => ({}))) as { type?: unknown };
        const sends = body.type === "threads.add_user_message" || body.type === "threads.create";
        return sends ? `user:${c.get("userId")}` : [];
      },
      { clock },
    ),
  );
  app.route("/api/chatkit", createChatKitRoutes({ chat: services.chat }));

  // Uploads need a session; GET stays open because the widget's <img src=preview_url> cannot
  // send a header (keys are unguessable random ids).
  const uploadsPerUser = limit("uploads", rateLimits.uploadsPerUserPer10Min, 10 * MINUTE);
  app.post(
    "/api/attachments",
    requireClientSecret(sessions),
    rateLimit(uploadsPerUser, (c) => `user:${c.get("userId")}`, { clock }),
  );
  app.route(
    "/api/attachments",
    createAttachmentRoutes({ attachments: services.attachments, maxBytes: services.attachmentMaxBytes }),
  );

  // sendBeacon cannot set headers, so /lead also accepts the secret in its (text/plain) JSON body.
  app.use("/lead", requireClientSecret(sessions, { allowBodySecret: true }));
  app.route("/lead", createLeadRoutes({ leads: services.leads }));

  app.route("/sms", createSmsRoutes({ smsLinks: services.smsLinks }));

  // Owner pages and APIs: the login form first (open to all), then the gate over the rest of
  // /owner and /outbox. Any future owner route mounted below these lines is behind it.
  const owner = services.owner;
  const secureCookies = services.secureCookies ?? false;
  const home = services.console || !services.outbox ? "/owner" : "/outbox";
  app.route(
    "/owner",
    createOwnerLoginRoutes({
      owner,
      limiter: limit("owner-login", OWNER_LOGINS_PER_IP.limit, OWNER_LOGINS_PER_IP.windowMs),
      clock,
      trustProxy,
      secureCookies,
      home,
    }),
  );
  const ownerGate = requireOwner({
    owner,
    trustProxy,
    secureCookies,
    publicPaths: [OWNER_LOGIN_PATH],
  });
  for (const path of ["/outbox", "/outbox/*", "/owner", "/owner/*"]) app.use(path, ownerGate);
  app.route("/owner", createOwnerSessionRoutes({ owner, secureCookies, home }));
  if (services.adsExports) {
    const { service, timeZone } = services.adsExports;
    // Today on the shop's clocks: the page's default "since" is the first of this month.
    const today = () => formatConversionTime(clock.now(), timeZone).slice(0, 10);
    app.route("/owner/exports", createOwnerExportRoutes({ exports: service, timeZone, today, back: home }));
  }
  if (services.console) {
    const { service, decoder, timeZone, currency } = services.console;
    app.route(
      "/owner",
      createOwnerConsoleRoutes({
        console: service,
        decoder,
        timeZone,
        currency,
        outbox: Boolean(services.outbox),
        logout: owner.mode === "password",
      }),
    );
  }
  if (services.outbox) {
    const logoutPath = owner.mode === "password" ? "/owner/logout" : null;
    app.route("/outbox", createOutboxRoutes({ reader: services.outbox, logoutPath }));
  }
  return app;
}

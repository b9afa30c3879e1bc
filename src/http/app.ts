import { Hono } from "hono";
import type { Logger } from "../ports/logger.js";
import type { AttachmentService } from "../services/attachments.js";
import type { LeadHandoffService } from "../services/lead-handoff.js";
import type { SmsLinkService } from "../services/sms-links.js";
import { errorResponse } from "./errors.js";
import { createAttachmentRoutes } from "./routes/attachments.js";
import { createLeadRoutes } from "./routes/lead.js";
import { createOutboxRoutes } from "./routes/outbox.js";
import { createSmsRoutes } from "./routes/sms.js";

/** What the HTTP layer needs; built by the composition root (services.ts). */
export interface AppServices {
  leads: LeadHandoffService;
  attachments: AttachmentService;
  smsLinks: SmsLinkService;
  logger: Logger;
  attachmentMaxBytes: number;
  /** The local outbox folder, when the outbox mailer is in use (serves /outbox). */
  outboxDir: string | null;
}

/** The whole HTTP API as a Hono app (node server, Lambda and tests all use this). */
export function createApp(services: AppServices): Hono {
  const app = new Hono();
  app.onError((error, c) => errorResponse(error, c, services.logger));
  app.notFound((c) =>
    c.json({ error: { code: "not_found", message: `No route for ${c.req.method} ${c.req.path}` } }, 404),
  );

  app.get("/healthz", (c) => c.json({ ok: true }));
  app.route("/lead", createLeadRoutes({ leads: services.leads }));
  app.route(
    "/api/attachments",
    createAttachmentRoutes({ attachments: services.attachments, maxBytes: services.attachmentMaxBytes }),
  );
  app.route("/sms", createSmsRoutes({ smsLinks: services.smsLinks }));
  if (services.outboxDir) app.route("/outbox", createOutboxRoutes({ dir: services.outboxDir }));
  return app;
}

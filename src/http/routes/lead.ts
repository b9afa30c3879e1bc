import { Hono } from "hono";
import { z } from "zod";
import { ValidationError } from "../../core/errors.js";
import { TRIGGER_REASONS } from "../../core/lead-gate.js";
import type { LeadHandoffService } from "../../services/lead-handoff.js";
import { validationErrorFrom } from "../errors.js";
import type { AuthEnv } from "../middleware/auth.js";

const leadRequestSchema = z.object({
  // sendBeacon carries the session here (the auth middleware already checked it).
  client_secret: z.string().optional(),
  thread_id: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, "must be a thread id like cthr_abc123"),
  reason: z.enum(TRIGGER_REASONS),
});

/** POST /lead {thread_id, reason}. Accepts JSON, also sent as text/plain (what sendBeacon can do cross-site). */
export function createLeadRoutes(options: { leads: LeadHandoffService }): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.post("/", async (c) => {
    const text = await c.req.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new ValidationError('The body must be JSON like {"thread_id":"cthr_...","reason":"idle"}.');
    }
    const parsed = leadRequestSchema.safeParse(body);
    if (!parsed.success) throw validationErrorFrom(parsed.error);
    const { thread_id: threadId, reason } = parsed.data;
    return c.json(await options.leads.handle({ threadId, reason, userId: c.get("userId") }));
  });
  return app;
}

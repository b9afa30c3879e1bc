import { Hono } from "hono";
import { z } from "zod";
import { ValidationError } from "../../core/errors.js";
import { TRIGGER_REASONS } from "../../core/lead-gate.js";
import type { LeadHandoffService } from "../../services/lead-handoff.js";
import { validationErrorFrom } from "../errors.js";
import type { AuthEnv } from "../middleware/auth.js";

/**
 * Not a trigger: the hosted page reporting that the customer spoke, which only puts the thread on
 * the sweeper's due list (our server never sees hosted messages, so nothing else would).
 */
const ACTIVITY = "activity";

const leadRequestSchema = z.object({
  // sendBeacon carries the session here (the auth middleware already checked it).
  client_secret: z.string().optional(),
  thread_id: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, "must be a thread id like cthr_abc123"),
  reason: z.enum([...TRIGGER_REASONS, ACTIVITY]),
});

/**
 * POST /lead {thread_id, reason}. Accepts JSON, also sent as text/plain (what sendBeacon can do
 * cross-site). `reason: "activity"` answers `{ok, thread_id, due_at}` (see
 * LeadHandoffService.noteActivity); every other reason is a trigger, answered with the decision.
 */
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
    const userId = c.get("userId");
    if (reason === ACTIVITY) return c.json(await options.leads.noteActivity({ threadId, userId }));
    return c.json(await options.leads.handle({ threadId, reason, userId }));
  });
  return app;
}

import { randomUUID } from "node:crypto";
import type { CountryCode } from "libphonenumber-js";
import { attributionRows } from "../core/attribution.js";
import { buildTranscript, hasCustomerInput } from "../core/chat/transcript.js";
import { composeLeadEmail } from "../core/email/compose.js";
import { NotFoundError } from "../core/errors.js";
import { extractContact } from "../core/extract/contact.js";
import {
  coolDownMs,
  idleGuardApplies,
  isQuietLongEnough,
  type LeadReason,
  type TriggerReason,
} from "../core/lead-gate.js";
import type { LeadSummary, ServiceCategory } from "../core/lead-summary.js";
import type { AttributionStore } from "../ports/attribution-store.js";
import type { BlobStore } from "../ports/blob-store.js";
import type { Clock } from "../ports/clock.js";
import type { ImageShrinker } from "../ports/image-shrinker.js";
import type { LeadRecord, LeadStore } from "../ports/lead-store.js";
import type { Logger } from "../ports/logger.js";
import type { Mailer } from "../ports/mailer.js";
import type { Summarizer } from "../ports/summarizer.js";
import type { ThreadStore } from "../ports/thread-store.js";
import { loadLeadAttachments } from "./lead-photos.js";
import { buildMime } from "./mime.js";
import { createSentLeadsCache } from "./sent-leads-cache.js";

/** Response of POST /lead (the README lists every `lead_reason`). */
export interface LeadResult {
  ok: boolean;
  lead_reason: LeadReason;
  thread_id: string;
  message_id?: string;
  /** ISO time before which no new attempt is made. */
  retry_after?: string;
  missing?: string[];
}

/** Creates SMS reply links for the email's "Text the customer" button. */
export interface SmsLinkCreator {
  create(input: {
    threadId: string;
    phone: string;
    customerName: string | null;
    service: ServiceCategory | null;
  }): Promise<string>;
}

/** Options of {@link createLeadHandoffService}. */
export interface LeadHandoffOptions {
  threads: ThreadStore;
  leads: LeadStore;
  /** Where the visit came from; shown in diagnostics and stamped when the lead goes out. */
  attribution: AttributionStore;
  blobs: BlobStore;
  summarizer: Summarizer;
  mailer: Mailer;
  shrinker: ImageShrinker;
  smsLinks: SmsLinkCreator;
  clock: Clock;
  logger: Logger;
  /** Server-side quiet window (`LEAD_IDLE_DELAY_SECONDS`). */
  idleDelayMs: number;
  /** Apply the quiet window to every trigger (`LEAD_REQUIRE_IDLE_FOR_ALL`). */
  requireIdleForAll: boolean;
  /** Lifetime of the dedupe row (`LEAD_DEDUPE_TTL_DAYS`). */
  dedupeTtlDays: number;
  /** How long one send may hold the lease before another may take over. @default 120000 */
  leaseMs?: number;
  /** Per-photo size inlined as is (`LEAD_INLINE_ATTACHMENT_MAX_BYTES`). */
  inlineMaxBytes: number;
  /** Total inline bytes per email. @default 10000000 */
  inlineBudgetBytes?: number;
  previewBaseUrl: string;
  defaultRegion: CountryCode;
  emailFrom: string;
  emailTo: string[];
}

const DAY_MS = 86_400_000;

/** Lease refusals, by the state of the row that refused. */
const REFUSAL: Record<LeadRecord["state"], LeadReason> = {
  sent: "already_sent",
  sending: "in_progress",
  error: "cooling_down",
};

/** The lead use case: POST /lead runs `handle`. */
export function createLeadHandoffService(options: LeadHandoffOptions) {
  const { threads, leads, summarizer, mailer, clock, logger } = options;
  const leaseMs = options.leaseMs ?? 120_000;
  const sent = createSentLeadsCache();

  function refusal(threadId: string, record: LeadRecord): LeadResult {
    const result: LeadResult = {
      ok: record.state === "sent",
      lead_reason: REFUSAL[record.state],
      thread_id: threadId,
    };
    if (record.messageId) result.message_id = record.messageId;
    if (record.state === "error" && record.retryAfter)
      result.retry_after = new Date(record.retryAfter).toISOString();
    return result;
  }

  /** The "Text the customer" link; a link that cannot be made must not stop the email. */
  async function smsLinkFor(threadId: string, summary: LeadSummary): Promise<string | null> {
    if (!summary.phone) return null;
    try {
      return await options.smsLinks.create({
        threadId,
        phone: summary.phone,
        customerName: summary.customer_name,
        service: summary.service_category,
      });
    } catch (error) {
      logger.warn({ thread_id: threadId, err: String(error) }, "sms link not created; email goes without it");
      return null;
    }
  }

  async function decide(
    threadId: string,
    trigger: TriggerReason,
    userId: string | undefined,
  ): Promise<LeadResult & { detail?: object }> {
    const now = clock.now();
    // A thread is only ever visible to its owner; internal callers (CLI, sweep) pass no user.
    const owns = (ownerId: string | null) => userId === undefined || ownerId === userId;
    // Repeated triggers on a sent thread (every pagehide) are answered from memory when possible.
    const cached = sent.get(threadId, now);
    if (cached && owns(cached.ownerId)) return refusal(threadId, cached.record);
    const thread = await threads.getThread(threadId);
    if (!thread || !owns(thread.userId)) throw new NotFoundError(`Thread ${threadId} was not found.`);
    const existing = await leads.get(threadId);
    if (existing?.state === "sent" && existing.ttl > now) {
      sent.remember(existing, thread.userId);
      return refusal(threadId, existing);
    }
    const transcript = buildTranscript(await threads.listItems(threadId));
    const skip = (lead_reason: LeadReason, missing?: string[]): LeadResult => ({
      ok: false,
      lead_reason,
      thread_id: threadId,
      ...(missing ? { missing } : {}),
    });
    if (!hasCustomerInput(transcript)) return skip("empty_thread");
    const contact = extractContact(transcript, { defaultRegion: options.defaultRegion });
    if (!contact.phone && !contact.email) return skip("missing_contact", ["contact"]);
    if (idleGuardApplies(trigger, options.requireIdleForAll)) {
      if (!isQuietLongEnough(thread.lastCustomerActivityAt, now, options.idleDelayMs))
        return skip("not_idle");
    }
    const summary = await summarizer.summarize(transcript);
    if (summary.handoff_ready !== true) return skip("not_ready", summary.missing);

    const leaseId = randomUUID();
    const lease = await leads.acquireLease({
      threadId,
      leaseId,
      now,
      leaseExpiresAt: now + leaseMs,
      ttl: now + options.dedupeTtlDays * DAY_MS,
    });
    if (!lease.acquired) return refusal(threadId, lease.record);

    try {
      const attachments = await loadLeadAttachments(transcript.text, {
        blobs: options.blobs,
        shrinker: options.shrinker,
        logger,
        previewBaseUrl: options.previewBaseUrl,
        inlineMaxBytes: options.inlineMaxBytes,
        inlineBudgetBytes: options.inlineBudgetBytes,
      });
      const smsLinkUrl = await smsLinkFor(threadId, summary);
      const visit = await options.attribution.get(threadId);
      const email = composeLeadEmail({
        threadId,
        summary,
        transcript,
        attachments,
        smsLinkUrl,
        from: options.emailFrom,
        to: options.emailTo,
        triggerReason: trigger,
        summarizerName: summarizer.name,
        diagnostics: Object.fromEntries(attributionRows(visit?.attribution ?? {})),
      });
      const raw = await buildMime(email);
      await mailer.send({ raw, from: email.from, to: email.to, messageId: email.messageId });
      const sentAt = clock.now();
      if (await leads.markSent({ threadId, leaseId, messageId: email.messageId, sentAt })) {
        sent.remember({ ...lease.record, state: "sent", messageId: email.messageId, sentAt }, thread.userId);
      }
      // For offline conversion import: this visit became a lead at this time. The email is out, so a
      // failure here is logged, never recorded as a failed send.
      await options.attribution.markLeadSent(threadId, sentAt).catch((error: unknown) => {
        logger.warn({ thread_id: threadId, err: String(error) }, "attribution not stamped with lead_sent_at");
      });
      const inlined = attachments.filter((a) => a.inline).length;
      return {
        ok: true,
        lead_reason: "sent",
        thread_id: threadId,
        message_id: email.messageId,
        detail: {
          attachments: attachments.length,
          inlined,
          bytes: raw.byteLength,
          attempts: lease.record.attempts,
        },
      };
    } catch (error) {
      const retryAfter = clock.now() + coolDownMs(lease.record.attempts);
      await leads.markError({ threadId, leaseId, error: String(error).slice(0, 500), retryAfter });
      return {
        ok: false,
        lead_reason: "error",
        thread_id: threadId,
        retry_after: new Date(retryAfter).toISOString(),
        detail: { error: String(error), attempts: lease.record.attempts },
      };
    }
  }

  return {
    /** Decides and, when everything is ready, sends the one lead email for a thread. */
    async handle(input: { threadId: string; reason: TriggerReason; userId?: string }): Promise<LeadResult> {
      const started = performance.now();
      const { detail, ...result } = await decide(input.threadId, input.reason, input.userId);
      const fields = {
        thread_id: input.threadId,
        trigger: input.reason,
        lead_reason: result.lead_reason,
        ...detail,
      };
      const log = result.lead_reason === "error" ? logger.error : logger.info;
      log.call(
        logger,
        { ...fields, ms: Math.round(performance.now() - started) },
        `lead ${result.lead_reason}`,
      );
      return result;
    },
  };
}

/** The lead use case. */
export type LeadHandoffService = ReturnType<typeof createLeadHandoffService>;

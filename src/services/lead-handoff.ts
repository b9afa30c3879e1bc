import { randomUUID } from "node:crypto";
import type { CountryCode } from "libphonenumber-js";
import { attributionRows } from "../core/attribution.js";
import { buildTranscript, feedbackRow, hasCustomerInput, type Transcript } from "../core/chat/transcript.js";
import { isPermanentDeliveryFailure } from "../core/delivery.js";
import {
  followUpChanges,
  followUpKey,
  lastCustomerTurnAt,
  splitTranscript,
} from "../core/email/follow-up-changes.js";
import { AppError, NotFoundError } from "../core/errors.js";
import { extractContact } from "../core/extract/contact.js";
import {
  coolDownMs,
  idleGuardApplies,
  isOwnerTrigger,
  isQuietLongEnough,
  type LeadReason,
  type TriggerReason,
} from "../core/lead-gate.js";
import type { LeadSummary, ServiceCategory } from "../core/lead-summary.js";
import type { AttributionStore } from "../ports/attribution-store.js";
import type { BlobStore } from "../ports/blob-store.js";
import type { Clock } from "../ports/clock.js";
import type { ImageShrinker } from "../ports/image-shrinker.js";
import type { LeadJournal } from "../ports/lead-journal.js";
import type { LeadRecord, LeadStore } from "../ports/lead-store.js";
import type { Logger } from "../ports/logger.js";
import type { Mailer } from "../ports/mailer.js";
import type { Summarizer } from "../ports/summarizer.js";
import type { StoredThreadItem, ThreadRecord, ThreadStore } from "../ports/thread-store.js";
import { beforeDeadline, LATE, settledWithin } from "./deadline.js";
import { createLeadEmailPreparer, type PreparedLeadEmail } from "./lead-email.js";
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

/** Response of POST /lead with `reason: "activity"`. */
export interface ActivityResult {
  ok: true;
  thread_id: string;
  /** ISO time the sweeper looks at the thread; null when the customer has said nothing yet. */
  due_at: string | null;
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

/** One trigger: which thread, why, and who asks (the page's user, or the owner by name). */
export interface TriggerInput {
  threadId: string;
  reason: TriggerReason;
  /** The page's chat user; the thread must be theirs. Internal callers (CLI, sweep, owner) pass none. */
  userId?: string;
  /** The person behind an owner trigger, for the history. */
  actor?: string;
}

/** Options of {@link createLeadHandoffService}. */
export interface LeadHandoffOptions {
  threads: ThreadStore;
  leads: LeadStore;
  /**
   * Each thread's history for the owner's console: the decisions worth showing are appended here
   * (best effort: the history never blocks or fails a send). None: nothing is recorded.
   */
  journal?: LeadJournal;
  /** Lifetime of a history entry (`LEAD_JOURNAL_TTL_DAYS`). @default 400 */
  journalTtlDays?: number;
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
  /**
   * How long one attempt may hold the lease before another may take over. Longer than the
   * slowest allowed attempt (`sendTimeoutMs` plus preparing the photos).
   * @default 120000
   */
  leaseMs?: number;
  /** The longest one delivery may take before it counts as failed (and is retried). @default 60000 */
  sendTimeoutMs?: number;
  /**
   * The longest `handle` keeps its caller waiting: past it, the answer is `in_progress` and the
   * attempt finishes in the background (its outcome is logged and recorded as usual).
   * @default 15000
   */
  answerWithinMs?: number;
  /** Per-photo size inlined as is (`LEAD_INLINE_ATTACHMENT_MAX_BYTES`). */
  inlineMaxBytes: number;
  /** Total inline bytes per email. @default 10000000 */
  inlineBudgetBytes?: number;
  previewBaseUrl: string;
  defaultRegion: CountryCode;
  emailFrom: string;
  emailTo: string[];
}

/** What one decision leads to, beyond the answer: for the log line and for the sweeper. */
interface Decision extends LeadResult {
  detail?: object;
  /** When the sweeper should look at the thread again; null: only after new customer activity. */
  nextCheckAt: number | null;
}

const DAY_MS = 86_400_000;

/** Answers that repeat the state the thread was already in: kept out of its history. */
const QUIET_REASONS = new Set<LeadReason>(["already_sent", "in_progress", "cooling_down", "not_idle"]);

/** The short "why" of a decision for the owner's console. */
function decisionDetail(decision: Decision): string | null {
  if (decision.missing?.length) return decision.missing.join(", ");
  const error = (decision.detail as { error?: unknown } | undefined)?.error;
  return typeof error === "string" ? error.slice(0, 300) : null;
}

/** A failed attempt: `error`, to be tried again after `retryAfter` (epoch ms). */
function retryLater(threadId: string, retryAfter: number, detail: object): Decision {
  return {
    ok: false,
    lead_reason: "error",
    thread_id: threadId,
    retry_after: new Date(retryAfter).toISOString(),
    nextCheckAt: retryAfter,
    detail,
  };
}

/** Lease refusals, by the state of the row that refused. */
const REFUSAL: Record<LeadRecord["state"], LeadReason> = {
  sent: "already_sent",
  sending: "in_progress",
  error: "cooling_down",
  failed: "failed",
};

/** The lead use case: POST /lead and the sweeper run `handle`. */
export function createLeadHandoffService(options: LeadHandoffOptions) {
  const { threads, leads, summarizer, mailer, clock, logger } = options;
  const leaseMs = options.leaseMs ?? 120_000;
  const sendTimeoutMs = options.sendTimeoutMs ?? 60_000;
  const answerWithinMs = options.answerWithinMs ?? 15_000;
  const sent = createSentLeadsCache();
  const preparer = createLeadEmailPreparer(options);
  /** Attempts running now, so a shutdown can wait for them or give their leases back. */
  const running = new Map<string, { leaseId: string; done: Promise<unknown> }>();

  function refusal(threadId: string, record: LeadRecord): Decision {
    const result: Decision = {
      ok: record.state === "sent",
      lead_reason: REFUSAL[record.state],
      thread_id: threadId,
      nextCheckAt: null,
    };
    if (record.messageId) result.message_id = record.messageId;
    if (record.state === "error" && record.retryAfter) {
      result.retry_after = new Date(record.retryAfter).toISOString();
      result.nextCheckAt = record.retryAfter;
    }
    if (record.state === "sending") result.nextCheckAt = record.leaseExpiresAt;
    return result;
  }

  const skip = (threadId: string, lead_reason: LeadReason, missing?: string[]): Decision => ({
    ok: false,
    lead_reason,
    thread_id: threadId,
    nextCheckAt: null,
    ...(missing ? { missing } : {}),
  });

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

  /** Guards and summary: why not to send yet, or the summary to send. */
  async function readiness(
    thread: ThreadRecord,
    transcript: Transcript,
    trigger: TriggerReason,
    now: number,
  ): Promise<Decision | LeadSummary> {
    if (!hasCustomerInput(transcript)) return skip(thread.id, "empty_thread");
    // The owner read the conversation and wants it as an email, ready or not.
    const anyway = trigger === "owner_anyway";
    const contact = extractContact(transcript, { defaultRegion: options.defaultRegion });
    if (!anyway && !contact.phone && !contact.email) return skip(thread.id, "missing_contact", ["contact"]);
    if (idleGuardApplies(trigger, options.requireIdleForAll)) {
      if (!isQuietLongEnough(thread.lastCustomerActivityAt, now, options.idleDelayMs))
        return {
          ...skip(thread.id, "not_idle"),
          nextCheckAt: (thread.lastCustomerActivityAt ?? now) + options.idleDelayMs,
        };
    }
    const summary = await summarizer.summarize(transcript);
    if (!anyway && summary.handoff_ready !== true) return skip(thread.id, "not_ready", summary.missing);
    return summary;
  }

  /** How one email of a thread is built the first time, and what happens once it is out. */
  interface EmailPlan {
    /** The send row's key: the thread id, or `followUpKey(thread, n)` for a follow-up. */
    key: string;
    /** Builds and stores the message; `coveredThrough` is the newest customer message it covers. */
    build(): Promise<{ prepared: PreparedLeadEmail; coveredThrough: number | null }>;
    /** After delivery: the lead email stamps attribution; a follow-up counts itself on the lead row. */
    afterSent(sentAt: number, row: LeadRecord): Promise<void>;
  }

  /** The message of this attempt: the one fixed before the first attempt, or a new one. */
  async function messageFor(lease: LeadRecord, plan: EmailPlan): Promise<PreparedLeadEmail | null> {
    if (lease.emailKey && lease.messageId) {
      const kept = await preparer.load(lease.emailKey, lease.messageId, lease.subject ?? "");
      if (kept) return kept;
      logger.warn({ thread_id: plan.key }, "prepared lead email missing; preparing it again");
    }
    const { prepared, coveredThrough } = await plan.build();
    const fixed = await leads.prepare({
      threadId: plan.key,
      leaseId: lease.leaseId,
      emailKey: prepared.emailKey,
      messageId: prepared.mail.messageId,
      subject: prepared.subject,
      coveredThrough,
    });
    // Lost the lease while preparing: the new holder sends; this attempt must not.
    return fixed ? prepared : null;
  }

  /** One attempt under the lease: deliver, then record the outcome (every write checked). */
  async function attempt(
    thread: ThreadRecord,
    lease: LeadRecord,
    trigger: TriggerReason,
    plan: EmailPlan,
  ): Promise<Decision> {
    const threadId = thread.id;
    const held = { threadId: plan.key, leaseId: lease.leaseId };
    let prepared: PreparedLeadEmail | null;
    let delivered: { messageId: string };
    try {
      prepared = await messageFor(lease, plan);
      if (!prepared) return refusal(threadId, (await leads.get(plan.key)) ?? lease);
      const outcome = await beforeDeadline(mailer.send(prepared.mail), sendTimeoutMs);
      if (outcome === LATE) throw new Error(`the mail delivery took longer than ${sendTimeoutMs} ms`);
      delivered = outcome;
    } catch (error) {
      const reason = String(error).slice(0, 500);
      if (isPermanentDeliveryFailure(error)) {
        await leads.markFailed({ ...held, error: reason });
        logger.error(
          { thread_id: threadId, trigger, lead_reason: "failed", err: reason, attempts: lease.attempts },
          "lead email refused permanently; no more retries until someone looks",
        );
        return { ...skip(threadId, "failed"), detail: { error: reason } };
      }
      const retryAfter = clock.now() + coolDownMs(lease.attempts);
      await leads.markError({ ...held, error: reason, retryAfter });
      return retryLater(threadId, retryAfter, { error: reason, attempts: lease.attempts });
    }
    const sentAt = clock.now();
    // The Message-ID the owner's inbox shows: ours, unless the transport put its own (SES does).
    // Follow-ups answer this one.
    const { messageId } = delivered;
    const record = { ...lease, state: "sent" as const, messageId, sentAt };
    // The email is out: remember it here even if the store cannot say so, so this process never
    // sends it again; another process would resend the same bytes, which the inbox collapses.
    if (plan.key === threadId) sent.remember(record, thread.userId);
    try {
      if (!(await leads.markSent({ ...held, messageId, sentAt })))
        logger.error({ thread_id: threadId }, "lead email sent but the lease was taken over meanwhile");
      await plan.afterSent(sentAt, record);
    } catch (error) {
      logger.error({ thread_id: threadId, err: String(error) }, "lead email sent but not recorded as sent");
    }
    return {
      ok: true,
      lead_reason: "sent",
      thread_id: threadId,
      message_id: messageId,
      nextCheckAt: null,
      detail: {
        ...prepared.detail,
        attempts: lease.attempts,
        ...(plan.key === threadId ? {} : { follow_up: plan.key }),
      },
    };
  }

  /** Takes the lease of `plan.key` and runs one attempt (tracked for a graceful shutdown). */
  async function leaseAndSend(
    thread: ThreadRecord,
    trigger: TriggerReason,
    now: number,
    plan: EmailPlan,
  ): Promise<Decision> {
    const lease = await leads.acquireLease({
      threadId: plan.key,
      leaseId: randomUUID(),
      now,
      leaseExpiresAt: now + leaseMs,
      ttl: now + options.dedupeTtlDays * DAY_MS,
    });
    if (!lease.acquired) return refusal(thread.id, lease.record);
    const done = attempt(thread, lease.record, trigger, plan);
    running.set(plan.key, { leaseId: lease.record.leaseId, done });
    return done.finally(() => running.delete(plan.key));
  }

  /** The first email's plan: summary, SMS link, attribution in the diagnostics. */
  function leadPlan(
    thread: ThreadRecord,
    trigger: TriggerReason,
    summary: LeadSummary | null,
    transcript: Transcript,
  ): EmailPlan {
    return {
      key: thread.id,
      async build() {
        const facts = summary ?? (await summarizer.summarize(transcript));
        const visit = await options.attribution.get(thread.id);
        const prepared = await preparer.prepare({
          threadId: thread.id,
          summary: facts,
          transcript,
          smsLinkUrl: await smsLinkFor(thread.id, facts),
          trigger,
          summarizerName: summarizer.name,
          diagnostics: {
            ...Object.fromEntries(attributionRows(visit?.attribution ?? {})),
            ...feedbackRow(transcript),
          },
          date: new Date(clock.now()),
        });
        return { prepared, coveredThrough: lastCustomerTurnAt(transcript) };
      },
      async afterSent(sentAt) {
        // For offline conversion import: this visit became a lead at this time. The email is out,
        // so a failure here is logged, never recorded as a failed send.
        await options.attribution.markLeadSent(thread.id, sentAt).catch((error: unknown) => {
          logger.warn(
            { thread_id: thread.id, err: String(error) },
            "attribution not stamped with lead_sent_at",
          );
        });
      },
    };
  }

  /**
   * A sent lead whose customer kept writing: once they are quiet again, ONE follow-up with what
   * the owner needs (new contact, photos, a changed or added job, a time); small talk only moves
   * the covered mark. Same exactly-once rules as the first email, on a send row of its own.
   */
  async function followUp(
    thread: ThreadRecord,
    lead: LeadRecord,
    trigger: TriggerReason,
    now: number,
  ): Promise<Decision> {
    const covered = lead.coveredThrough ?? lead.sentAt ?? 0;
    const last = thread.lastCustomerActivityAt;
    if (last === null || last <= covered) return refusal(thread.id, lead);
    if (!isOwnerTrigger(trigger) && !isQuietLongEnough(last, now, options.idleDelayMs))
      return { ...refusal(thread.id, lead), nextCheckAt: last + options.idleDelayMs };
    const number = lead.followUps + 1;
    const key = followUpKey(thread.id, number);
    const row = await leads.get(key);
    const coverage = (coveredThrough: number, followUps: number) =>
      leads.recordCoverage({
        threadId: thread.id,
        expectFollowUps: lead.followUps,
        followUps,
        coveredThrough,
      });
    if (row?.state === "sent") {
      // Sent before a crash could count it: count it now.
      await coverage(row.coveredThrough ?? last, number);
      return refusal(thread.id, lead);
    }
    if (row?.state === "failed") return refusal(thread.id, row);
    const transcript = buildTranscript(await threads.listItems(thread.id));
    let build: EmailPlan["build"] = async () => {
      throw new Error("follow-up prepared before but its bytes are gone");
    };
    if (!row?.emailKey) {
      const { covered: before, added } = splitTranscript(transcript, covered);
      const [was, is] = await Promise.all([summarizer.summarize(before), summarizer.summarize(transcript)]);
      const changes = followUpChanges(was, is, added);
      const coveredThrough = lastCustomerTurnAt(transcript) ?? last;
      if (changes.length === 0) {
        await coverage(coveredThrough, lead.followUps);
        return { ...refusal(thread.id, lead), detail: { follow_up: "nothing new" } };
      }
      build = async () => ({
        prepared: await preparer.prepare({
          threadId: thread.id,
          summary: is,
          transcript: added,
          smsLinkUrl: null,
          trigger,
          summarizerName: summarizer.name,
          diagnostics: {},
          date: new Date(clock.now()),
          number,
          original: { subject: lead.subject ?? "New lead", messageId: lead.messageId ?? "" },
          changes,
        }),
        coveredThrough,
      });
    }
    return leaseAndSend(thread, trigger, now, {
      key,
      build,
      async afterSent(_sentAt, sentRow) {
        const through = (await leads.get(key))?.coveredThrough ?? sentRow.coveredThrough ?? last;
        await coverage(through, number);
      },
    });
  }

  /**
   * The owner's retry: the thread's failed (or cooling-down) send row, or else its failed
   * follow-up's, may be leased again now. The lease itself stays the only gate.
   */
  async function reopen(threadId: string, now: number): Promise<void> {
    if (await leads.reopen({ threadId, now })) return;
    const lead = await leads.get(threadId);
    if (lead?.state === "sent")
      await leads.reopen({ threadId: followUpKey(threadId, lead.followUps + 1), now });
  }

  async function decide(
    threadId: string,
    trigger: TriggerReason,
    userId: string | undefined,
  ): Promise<Decision> {
    const now = clock.now();
    // A thread is only ever visible to its owner; internal callers (CLI, sweep) pass no user.
    const owns = (ownerId: string | null) => userId === undefined || ownerId === userId;
    // Repeated triggers on a sent thread (every pagehide) are answered from memory; the sweeper
    // and the owner always look, since a sent thread may need a follow-up.
    const cached = trigger === "sweep" || isOwnerTrigger(trigger) ? null : sent.get(threadId, now);
    if (cached && owns(cached.ownerId)) return refusal(threadId, cached.record);
    // Where the conversation lives upstream (hosted ChatKit), a slow or failing upstream is a
    // failed attempt with its cool-down; nothing is recorded, since nothing was decided.
    const upstream = (error: unknown): Decision => {
      if (!(error instanceof AppError && error.code === "upstream_error")) throw error;
      const retryAfter = now + coolDownMs(1);
      logger.warn(
        { thread_id: threadId, trigger, lead_reason: "error", err: error.message },
        "thread unreadable",
      );
      return retryLater(threadId, retryAfter, { error: error.message });
    };
    let thread: ThreadRecord | null;
    try {
      thread = await threads.getThread(threadId);
    } catch (error) {
      return upstream(error);
    }
    if (!thread || !owns(thread.userId)) throw new NotFoundError(`Thread ${threadId} was not found.`);
    if (trigger === "owner_retry") await reopen(threadId, now);
    const existing = await leads.get(threadId);
    const live = existing && existing.ttl > now ? existing : null;
    if (live?.state === "sent") {
      sent.remember(live, thread.userId);
      return followUp(thread, live, trigger, now);
    }
    if (live?.state === "failed") return refusal(threadId, live);

    let items: StoredThreadItem[];
    try {
      items = await threads.listItems(threadId);
    } catch (error) {
      return upstream(error);
    }
    const transcript = buildTranscript(items);
    // A message fixed by an earlier attempt is committed: it goes out as it is, without new checks.
    let summary: LeadSummary | null = null;
    if (!live?.emailKey) {
      const ready = await readiness(thread, transcript, trigger, now);
      if ("lead_reason" in ready) return ready;
      summary = ready;
    }
    return leaseAndSend(thread, trigger, now, leadPlan(thread, trigger, summary, transcript));
  }

  function log(input: { threadId: string; reason: TriggerReason }, decision: Decision, started: number) {
    const { detail, nextCheckAt: _next, ...result } = decision;
    const fields = {
      thread_id: input.threadId,
      trigger: input.reason,
      lead_reason: result.lead_reason,
      ...detail,
    };
    const level = result.lead_reason === "error" ? "error" : "info";
    logger[level]({ ...fields, ms: Math.round(performance.now() - started) }, `lead ${result.lead_reason}`);
  }

  /** The last entry each thread's history got from this process, so repeats are not written. */
  const lastNoted = new Map<string, string>();

  /**
   * Appends the decision to the thread's history when it says something new: every owner action,
   * and otherwise a change of answer (not the same `not_ready` each sweep). Best effort.
   */
  async function note(input: TriggerInput, decision: Decision): Promise<void> {
    const { journal } = options;
    if (!journal) return;
    const owner = isOwnerTrigger(input.reason);
    if (!owner && QUIET_REASONS.has(decision.lead_reason)) return;
    const detail = decisionDetail(decision);
    const signature = `${decision.lead_reason}|${detail}`;
    if (!owner && lastNoted.get(input.threadId) === signature) return;
    const at = clock.now();
    try {
      await journal.append({
        kind: "decision",
        threadId: input.threadId,
        at,
        ttl: at + (options.journalTtlDays ?? 400) * DAY_MS,
        trigger: input.reason,
        leadReason: decision.lead_reason,
        actor: input.actor ?? null,
        detail,
      });
    } catch (error) {
      logger.warn({ thread_id: input.threadId, err: String(error) }, "decision not written to the history");
      return;
    }
    lastNoted.delete(input.threadId);
    lastNoted.set(input.threadId, signature);
    if (lastNoted.size > 5000) lastNoted.delete(lastNoted.keys().next().value as string);
  }

  /** Decides, logs and notes it in the history; the sweeper also gets when to look again. */
  async function run(input: TriggerInput): Promise<Decision> {
    const started = performance.now();
    const decision = await decide(input.threadId, input.reason, input.userId);
    log(input, decision, started);
    await note(input, decision);
    return decision;
  }

  return {
    /**
     * Decides and, when everything is ready, sends the one lead email for a thread. Answers within
     * `answerWithinMs`: a slower attempt answers `in_progress` and finishes in the background.
     */
    async handle(input: TriggerInput): Promise<LeadResult> {
      const work = run(input);
      const first = await beforeDeadline(work, answerWithinMs);
      if (first === LATE) {
        work.catch((error: unknown) =>
          logger.error({ thread_id: input.threadId, err: String(error) }, "background lead attempt failed"),
        );
        return { ok: false, lead_reason: "in_progress", thread_id: input.threadId };
      }
      const { detail: _detail, nextCheckAt: _next, ...result } = first;
      return result;
    },

    /**
     * The page reports that the customer spoke in `threadId` (hosted ChatKit, where our server
     * never sees the messages): the thread goes on the sweeper's due list at now + the quiet
     * window, the same list our own chat keeps, so a lead goes out even if the browser's trigger
     * never arrives. Only reads the thread (the caller must own it, else NotFoundError, as for
     * `handle`); no summary, no email. A thread where the customer has said nothing stays off the
     * list (`due_at: null`).
     */
    async noteActivity(input: { threadId: string; userId: string }): Promise<ActivityResult> {
      const thread = await threads.getThread(input.threadId);
      if (!thread || thread.userId !== input.userId)
        throw new NotFoundError(`Thread ${input.threadId} was not found.`);
      if (thread.lastCustomerActivityAt === null) return { ok: true, thread_id: thread.id, due_at: null };
      const dueAt = clock.now() + options.idleDelayMs;
      await leads.schedule(thread.id, dueAt);
      return { ok: true, thread_id: thread.id, due_at: new Date(dueAt).toISOString() };
    },

    /** For the sweeper: the decision, and when to look at the thread again (null: on new activity). */
    async sweep(threadId: string): Promise<{ result: LeadResult; nextCheckAt: number | null }> {
      const { detail: _detail, nextCheckAt, ...result } = await run({ threadId, reason: "sweep" });
      return { result, nextCheckAt };
    },

    /**
     * Waits up to `graceMs` for running attempts; then gives back the leases of those still
     * running, so the sweeper (here after a restart, or in another process) retries them at once.
     * Returns the threads whose attempt was cut short.
     */
    async drain(graceMs: number): Promise<string[]> {
      await settledWithin(Promise.allSettled([...running.values()].map((r) => r.done)), graceMs);
      const cut = [...running.entries()];
      await Promise.all(
        cut.map(([threadId, { leaseId }]) =>
          leads.releaseLease({ threadId, leaseId, now: clock.now() }).catch((error: unknown) => {
            logger.error({ thread_id: threadId, err: String(error) }, "lease not released at shutdown");
          }),
        ),
      );
      return cut.map(([threadId]) => threadId);
    },
  };
}

/** The lead use case. */
export type LeadHandoffService = ReturnType<typeof createLeadHandoffService>;

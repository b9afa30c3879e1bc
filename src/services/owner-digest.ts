import { randomUUID } from "node:crypto";
import {
  composeDigest,
  type DigestLead,
  type DigestOutcome,
  type DigestWeek,
  digestWeek,
} from "../core/console/digest.js";
import { isPermanentDeliveryFailure } from "../core/delivery.js";
import { leadMessageId } from "../core/email/compose.js";
import { coolDownMs } from "../core/lead-gate.js";
import type { BlobStore } from "../ports/blob-store.js";
import type { Clock } from "../ports/clock.js";
import type { LeadJournal } from "../ports/lead-journal.js";
import type { LeadRecord, LeadStore } from "../ports/lead-store.js";
import type { Logger } from "../ports/logger.js";
import type { Mailer } from "../ports/mailer.js";
import { beforeDeadline, LATE } from "./deadline.js";
import type { LeadConsoleService } from "./lead-console.js";
import { buildMime } from "./mime.js";
import { newestOutcomes } from "./newest-outcomes.js";

const DAY_MS = 86_400_000;
/** Conversations one digest reads at most (a small shop has a few a week). */
const MAX_LEADS = 2000;

/** Options of {@link createOwnerDigest}. */
export interface OwnerDigestOptions {
  /** The week's conversations, as the console lists them. */
  console: Pick<LeadConsoleService, "list">;
  journal: Pick<LeadJournal, "listOutcomes">;
  /** The send row of each week's digest (`digest_<monday>`): the same lease as every lead email. */
  leads: Pick<LeadStore, "acquireLease" | "prepare" | "markSent" | "markError" | "markFailed">;
  /** The prepared digest's bytes, so a resend is the same message. */
  blobs: Pick<BlobStore, "put" | "get">;
  mailer: Mailer;
  clock: Clock;
  logger: Logger;
  /** `SHOP_TIME_ZONE`: weeks run Monday to Sunday on the shop's clocks. */
  timeZone: string;
  shopName: string;
  emailFrom: string;
  emailTo: string[];
  /** The console's address for the links (PUBLIC_BASE_URL + /owner). */
  consoleUrl: string;
  /** @default 60000 */
  sendTimeoutMs?: number;
}

/** What one run did. */
export type DigestRun =
  | "not_due"
  | "sent"
  | "already_sent"
  | "in_progress"
  | "cooling_down"
  | "failed"
  | "error";

const REFUSED: Record<LeadRecord["state"], DigestRun> = {
  sent: "already_sent",
  sending: "in_progress",
  error: "cooling_down",
  failed: "failed",
};

/**
 * The owner's weekly digest (`OWNER_DIGEST=weekly`): on Monday from 08:00 shop time (or by
 * Wednesday 08:00 when the server was down), one email about the week before: conversations, lead emails sent and how soon after the customer went
 * quiet, outcomes, top sources, and what needs attention. The sweeper calls `runOnce` every pass;
 * it is a clock check until the digest is due. Exactly once per week, across restarts and
 * processes: the week's send row takes the same single lease as a lead email, the message is
 * fixed (and kept) before its first attempt, and a failed attempt is retried after a cool-down.
 */
export function createOwnerDigest(options: OwnerDigestOptions) {
  const { leads, clock, logger } = options;
  const sendTimeoutMs = options.sendTimeoutMs ?? 60_000;
  /** The last week this process knows is settled (sent, or failed for good): no store call until the next. */
  let settled: string | null = null;

  async function weekLeads(week: DigestWeek): Promise<{ leads: DigestLead[]; truncated: boolean }> {
    const found: DigestLead[] = [];
    let after: string | undefined;
    while (found.length < MAX_LEADS) {
      const page = await options.console.list({
        since: week.from,
        until: week.to - 1,
        limit: 100,
        ...(after ? { after } : {}),
      });
      for (const row of page.rows)
        found.push({
          threadId: row.threadId,
          customerName: row.customerName,
          state: row.status.state,
          why: row.status.why,
          hasContact: Boolean(row.phone || row.email),
          source: row.source,
          sentAt: row.sentAt,
          waitedMs: row.waitedMs,
        });
      if (!page.next) return { leads: found, truncated: false };
      after = page.next;
    }
    return { leads: found, truncated: true };
  }

  /** The newest outcome of each conversation recorded during the week. */
  async function weekOutcomes(week: DigestWeek): Promise<DigestOutcome[]> {
    const newest = await newestOutcomes(options.journal, { since: week.from, until: week.to });
    return [...newest.values()].map((e) => ({ outcome: e.outcome, value: e.value, currency: e.currency }));
  }

  /** Builds the digest, keeps its bytes and fixes its Message-ID on the row; null: lease lost. */
  async function prepare(week: DigestWeek, key: string, lease: LeadRecord) {
    if (lease.emailKey && lease.messageId) {
      const kept = await options.blobs.get(lease.emailKey);
      if (kept) return { raw: kept.bytes, messageId: lease.messageId };
    }
    const { leads: rows, truncated } = await weekLeads(week);
    const content = composeDigest({
      week,
      shopName: options.shopName,
      timeZone: options.timeZone,
      leads: rows,
      outcomes: await weekOutcomes(week),
      consoleUrl: options.consoleUrl,
      truncated,
    });
    const messageId = leadMessageId(key, options.emailFrom);
    const raw = await buildMime(
      {
        ...content,
        from: options.emailFrom,
        to: options.emailTo,
        replyTo: null,
        messageId,
        headers: {},
        inline: [],
      },
      { date: new Date(clock.now()) },
    );
    // Under the lead emails prefix: the same retention and (on AWS) the same bucket permission.
    const emailKey = `lead-emails/${key}.eml`;
    await options.blobs.put(emailKey, raw, { contentType: "message/rfc822" });
    const fixed = await leads.prepare({
      threadId: key,
      leaseId: lease.leaseId,
      emailKey,
      messageId,
      subject: content.subject,
      coveredThrough: null,
    });
    return fixed ? { raw, messageId } : null;
  }

  return {
    /** Sends the week's digest when it is due and not sent yet; otherwise does nothing. Never throws. */
    async runOnce(): Promise<DigestRun> {
      const now = clock.now();
      const week = digestWeek(now, options.timeZone);
      if (now < week.dueAt || now >= week.lateAt) return "not_due";
      if (settled === week.label) return "already_sent";
      const key = `digest_${week.label}`;
      let held: { threadId: string; leaseId: string } | null = null;
      let attempts = 1;
      try {
        const lease = await leads.acquireLease({
          threadId: key,
          leaseId: randomUUID(),
          now,
          leaseExpiresAt: now + 2 * sendTimeoutMs,
          ttl: now + 60 * DAY_MS,
        });
        if (!lease.acquired) {
          const answer = REFUSED[lease.record.state];
          if (answer === "already_sent" || answer === "failed") settled = week.label;
          return answer;
        }
        held = { threadId: key, leaseId: lease.record.leaseId };
        attempts = lease.record.attempts;
        const message = await prepare(week, key, lease.record);
        if (!message) return "in_progress";
        const sent = await beforeDeadline(
          options.mailer.send({
            raw: message.raw,
            from: options.emailFrom,
            to: options.emailTo,
            messageId: message.messageId,
          }),
          sendTimeoutMs,
        );
        if (sent === LATE) throw new Error(`the mail delivery took longer than ${sendTimeoutMs} ms`);
        settled = week.label;
        await leads.markSent({ ...held, messageId: sent.messageId, sentAt: clock.now() });
        logger.info({ digest: week.label }, "weekly digest sent");
        return "sent";
      } catch (error) {
        const reason = String(error).slice(0, 500);
        logger.error({ digest: week.label, err: reason }, "weekly digest not sent");
        if (!held) return "error";
        const permanent = isPermanentDeliveryFailure(error);
        const record = permanent
          ? leads.markFailed({ ...held, error: reason })
          : leads.markError({ ...held, error: reason, retryAfter: clock.now() + coolDownMs(attempts) });
        await record.catch((failure: unknown) =>
          logger.error({ digest: week.label, err: String(failure) }, "weekly digest outcome not recorded"),
        );
        if (permanent) settled = week.label;
        return permanent ? "failed" : "error";
      }
    },
  };
}

/** The weekly digest use case. */
export type OwnerDigest = ReturnType<typeof createOwnerDigest>;

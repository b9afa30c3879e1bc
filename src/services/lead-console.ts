import type { CountryCode } from "libphonenumber-js";
import { z } from "zod";
import { attributionRows } from "../core/attribution.js";
import { buildTranscript, parseAttachmentStorageKey, type Transcript } from "../core/chat/transcript.js";
import { CONSOLE_STATES, type LeadStatus, leadStatus } from "../core/console/lead-status.js";
import { matchesSearch } from "../core/console/search.js";
import { followUpKey } from "../core/email/follow-up-changes.js";
import { describeItem, describeService } from "../core/email/lead-view.js";
import { NotFoundError } from "../core/errors.js";
import type { ShopContact } from "../core/extract/contact.js";
import { summarizeTranscript } from "../core/extract/summarize-transcript.js";
import type { OutcomeInput } from "../core/lead-outcome.js";
import type { LeadSummary } from "../core/lead-summary.js";
import type { AttributionRecord, AttributionStore } from "../ports/attribution-store.js";
import type { BlobStore } from "../ports/blob-store.js";
import type { Clock } from "../ports/clock.js";
import type { JournalEntry, LeadJournal, OutcomeEntry } from "../ports/lead-journal.js";
import type { LeadRecord, LeadStore } from "../ports/lead-store.js";
import type { ActivityCursor, ThreadRecord, ThreadStore } from "../ports/thread-store.js";
import type { LeadHandoffService, LeadResult } from "./lead-handoff.js";

const DAY_MS = 86_400_000;
/** Conversations read for one page of a filtered list before it answers with what it found. */
const SCAN_LIMIT = 500;
/** History entries read per conversation (the newest). */
const HISTORY_LIMIT = 100;

const cursorPattern = /^(\d{1,16})\.([A-Za-z0-9_-]{1,128})$/;

/** A list cursor as it travels in a link: `<epoch ms>.<thread id>`. */
export function encodeCursor(cursor: ActivityCursor): string {
  return `${cursor.at}.${cursor.threadId}`;
}

/**
 * What the console's list accepts (query parameters, all optional): a state, a first and last
 * day of the customer's last activity (epoch ms, already turned from the shop's dates by the
 * caller), a search over name, phone and email, and where the page starts.
 */
export const consoleQuerySchema = z.strictObject({
  state: z.enum(CONSOLE_STATES).optional(),
  since: z.number().int().nonnegative().optional(),
  until: z.number().int().nonnegative().optional(),
  q: z.string().trim().max(100).optional(),
  after: z.string().regex(cursorPattern, "is not a list position").optional(),
  limit: z.number().int().min(1).max(100).optional(),
});
export type ConsoleQuery = z.infer<typeof consoleQuerySchema>;

/** The owner's outcome as shown: the newest outcome entry. */
export type RecordedOutcome = Pick<OutcomeEntry, "outcome" | "value" | "currency" | "actor"> & { at: number };

/** One conversation in the console's list. */
export interface ConsoleRow {
  threadId: string;
  createdAt: number;
  lastActivityAt: number | null;
  customerName: string | null;
  phone: string | null;
  email: string | null;
  /** "2012 Honda Civic", "boat". */
  item: string | null;
  /** "seat repair". */
  service: string | null;
  photos: number;
  status: LeadStatus;
  /** When the lead email went out (epoch ms), or null. */
  sentAt: number | null;
  /** From the customer's last message before it to the lead email, in ms; null when not sent. */
  waitedMs: number | null;
  /** Where the visit came from, when known. */
  source: string | null;
  campaign: string | null;
  /** Whether the visit carried a Google click id (gclid, gbraid or wbraid). */
  clickId: boolean;
  outcome: RecordedOutcome | null;
  /** The handoff decisions, oldest first. */
  triggers: Extract<JournalEntry, { kind: "decision" }>[];
}

/** One page of the list; `next` continues it (null at the end). */
export interface ConsolePage {
  rows: ConsoleRow[];
  next: string | null;
  /** Conversations read to fill this page (a filter may pass over many). */
  scanned: number;
}

/** One email sent for the conversation: the lead email (`number` 0) or a follow-up. */
export interface SentEmail {
  number: number;
  subject: string | null;
  state: LeadRecord["state"];
  sentAt: number | null;
  attempts: number;
  lastError: string | null;
}

/** One photo of the transcript the console can show (from our own upload store only). */
export interface ConsolePhoto {
  index: number;
  name: string;
  mimeType: string;
}

/** Everything the conversation page shows. */
export interface ConversationView {
  row: ConsoleRow;
  transcript: Transcript;
  /** The transcript's attachments in order; `index` is what {@link LeadConsoleService.photo} takes. */
  photos: (ConsolePhoto & { turn: number; stored: boolean })[];
  summary: LeadSummary;
  emails: SentEmail[];
  /** Every history entry, oldest first. */
  history: JournalEntry[];
  attribution: [string, string][];
}

/** Options of {@link createLeadConsoleService}. */
export interface LeadConsoleOptions {
  threads: ThreadStore;
  leads: LeadStore;
  journal: LeadJournal;
  attribution: AttributionStore;
  blobs: BlobStore;
  handoff: Pick<LeadHandoffService, "handle">;
  clock: Clock;
  /** `LEAD_IDLE_DELAY_SECONDS` in ms: a customer active more recently is still writing. */
  idleDelayMs: number;
  defaultRegion: CountryCode;
  /** The shop's own phone and email, never read as the customer's. */
  shop: ShopContact;
  /** Only attachment links under this base are ever read. */
  previewBaseUrl: string;
  /** Lifetime of an outcome entry (`LEAD_JOURNAL_TTL_DAYS`). */
  journalTtlDays: number;
}

/**
 * The owner's console: every conversation with customer text, newest first, with its lead state;
 * one conversation in full; and the owner's actions. Sending goes through the handoff service with
 * an owner trigger, so the one lease decides as for every other trigger (never two emails).
 * Facts shown come from the rule-based summary of the transcript (no model call per page view).
 */
export function createLeadConsoleService(options: LeadConsoleOptions) {
  const { threads, leads, journal, clock } = options;

  function summaryOf(transcript: Transcript): LeadSummary {
    return summarizeTranscript(transcript, { defaultRegion: options.defaultRegion, shop: options.shop });
  }

  function rowOf(
    thread: ThreadRecord,
    transcript: Transcript,
    summary: LeadSummary,
    send: LeadRecord | null,
    history: JournalEntry[],
    visit: AttributionRecord | null,
  ): ConsoleRow {
    const now = clock.now();
    const live = send && send.ttl > now ? send : null;
    const triggers = history.filter((e): e is ConsoleRow["triggers"][number] => e.kind === "decision");
    const outcome = history.findLast((e): e is JournalEntry & OutcomeEntry => e.kind === "outcome");
    const lastDecision = triggers.at(-1);
    const a = visit?.attribution ?? {};
    return {
      threadId: thread.id,
      createdAt: thread.createdAt,
      lastActivityAt: thread.lastCustomerActivityAt,
      customerName: summary.customer_name,
      phone: summary.phone,
      email: summary.email,
      item: describeItem(summary),
      service: describeService(summary),
      photos: transcript.turns.reduce(
        (n, t) => n + (t.role === "customer" ? t.attachments.filter((x) => x.type === "image").length : 0),
        0,
      ),
      status: leadStatus({
        send: live,
        summary,
        lastCustomerActivityAt: thread.lastCustomerActivityAt,
        now,
        idleDelayMs: options.idleDelayMs,
        lastDecision: lastDecision ?? null,
      }),
      sentAt: live?.sentAt ?? null,
      waitedMs: waitedBeforeSend(live),
      source: a.utm_source ?? (a.gclid || a.gbraid || a.wbraid ? "google ads" : referrerHost(a.referrer)),
      campaign: a.utm_campaign ?? null,
      clickId: Boolean(a.gclid || a.gbraid || a.wbraid),
      outcome: outcome
        ? {
            outcome: outcome.outcome,
            value: outcome.value,
            currency: outcome.currency,
            actor: outcome.actor,
            at: outcome.at,
          }
        : null,
      triggers,
    };
  }

  async function load(thread: ThreadRecord) {
    const [items, send, history, visit] = await Promise.all([
      threads.listItems(thread.id),
      leads.get(thread.id),
      journal.list(thread.id, HISTORY_LIMIT),
      options.attribution.get(thread.id),
    ]);
    const transcript = buildTranscript(items);
    const summary = summaryOf(transcript);
    return {
      transcript,
      summary,
      send,
      history,
      visit,
      row: rowOf(thread, transcript, summary, send, history, visit),
    };
  }

  async function threadOrThrow(threadId: string): Promise<ThreadRecord> {
    const thread = await threads.getThread(threadId);
    if (!thread) throw new NotFoundError(`Conversation ${threadId} was not found.`);
    return thread;
  }

  /** The lead email's row and every follow-up's, in order. */
  async function sendRows(threadId: string, lead: LeadRecord | null): Promise<LeadRecord[]> {
    if (!lead) return [];
    const rows = [lead];
    // Follow-ups counted on the lead row, plus the one being tried (error or failed) if any.
    for (let n = 1; n <= lead.followUps + 1; n++) {
      const row = await leads.get(followUpKey(threadId, n));
      if (row) rows.push(row);
    }
    return rows;
  }

  return {
    /** One page of conversations, newest customer activity first, filtered. */
    async list(query: ConsoleQuery): Promise<ConsolePage> {
      const limit = query.limit ?? 25;
      const match = cursorPattern.exec(query.after ?? "");
      let before: ActivityCursor | null = match
        ? { at: Number(match[1]), threadId: match[2] as string }
        : query.until !== undefined
          ? { at: query.until, threadId: "" }
          : null;
      const rows: ConsoleRow[] = [];
      let scanned = 0;
      for (;;) {
        const want = Math.min(50, SCAN_LIMIT - scanned);
        const batch = await threads.listActive({ limit: want, before, since: query.since ?? null });
        for (const thread of batch) {
          scanned++;
          before = { at: thread.lastCustomerActivityAt ?? 0, threadId: thread.id };
          const { row } = await load(thread);
          if (query.state && row.status.state !== query.state) continue;
          if (query.q && !matchesSearch(row, query.q)) continue;
          rows.push(row);
          if (rows.length === limit) return { rows, next: encodeCursor(before), scanned };
        }
        if (batch.length < want || !before) return { rows, next: null, scanned };
        // A filter that matches little: answer what was found, and where to go on looking.
        if (scanned >= SCAN_LIMIT) return { rows, next: encodeCursor(before), scanned };
      }
    },

    /** One conversation in full; NotFoundError when there is no such thread. */
    async conversation(threadId: string): Promise<ConversationView> {
      const thread = await threadOrThrow(threadId);
      const { transcript, summary, send, history, visit, row } = await load(thread);
      const photos: ConversationView["photos"] = [];
      transcript.turns.forEach((turn, t) => {
        for (const a of turn.attachments) {
          photos.push({
            index: photos.length,
            turn: t,
            name: a.name,
            mimeType: a.mime_type,
            stored:
              a.mime_type.startsWith("image/") &&
              parseAttachmentStorageKey(a.preview_url, options.previewBaseUrl) !== null,
          });
        }
      });
      const emails = (await sendRows(threadId, send)).map((r, number) => ({
        number,
        subject: r.subject,
        state: r.state,
        sentAt: r.sentAt,
        attempts: r.attempts,
        lastError: r.lastError,
      }));
      return {
        row,
        transcript,
        photos,
        summary,
        emails,
        history,
        attribution: attributionRows(visit?.attribution ?? {}),
      };
    },

    /** The stored bytes of the conversation's n-th email (0: the lead email), or null. */
    async emailBytes(threadId: string, number: number): Promise<Uint8Array | null> {
      const key = number === 0 ? threadId : followUpKey(threadId, number);
      const row = await leads.get(key);
      if (!row?.emailKey) return null;
      const blob = await options.blobs.get(row.emailKey);
      return blob ? blob.bytes : null;
    },

    /**
     * The transcript's n-th attachment when it is an image in OUR upload store; null otherwise.
     * Nothing a customer names is fetched: the key comes from our own preview URL or nothing.
     */
    async photo(threadId: string, index: number): Promise<{ bytes: Uint8Array; contentType: string } | null> {
      const thread = await threadOrThrow(threadId);
      const transcript = buildTranscript(await threads.listItems(thread.id));
      const ref = transcript.turns.flatMap((t) => t.attachments)[index];
      if (!ref?.mime_type.startsWith("image/")) return null;
      const key = parseAttachmentStorageKey(ref.preview_url, options.previewBaseUrl);
      const blob = key ? await options.blobs.get(key) : null;
      if (!blob?.contentType.startsWith("image/")) return null;
      return { bytes: blob.bytes, contentType: blob.contentType };
    },

    /** "Send now" (or "send anyway" for a lead the rules call not ready) by the owner. */
    async sendNow(input: { threadId: string; actor: string; anyway: boolean }): Promise<LeadResult> {
      await threadOrThrow(input.threadId);
      return options.handoff.handle({
        threadId: input.threadId,
        reason: input.anyway ? "owner_anyway" : "owner",
        actor: input.actor,
      });
    },

    /** Retries a failed (or cooling-down) send now, through the same lease. */
    async retry(input: { threadId: string; actor: string }): Promise<LeadResult> {
      await threadOrThrow(input.threadId);
      return options.handoff.handle({ threadId: input.threadId, reason: "owner_retry", actor: input.actor });
    },

    /** Records what became of the lead; the newest outcome is the conversation's outcome. */
    async recordOutcome(input: {
      threadId: string;
      actor: string;
      outcome: OutcomeInput;
    }): Promise<JournalEntry> {
      await threadOrThrow(input.threadId);
      const at = clock.now();
      return journal.append({
        kind: "outcome",
        threadId: input.threadId,
        at,
        ttl: at + options.journalTtlDays * DAY_MS,
        actor: input.actor,
        ...input.outcome,
      });
    },
  };
}

/** How long the lead email waited after the customer's last message it covers; null when unknown. */
function waitedBeforeSend(send: LeadRecord | null): number | null {
  if (send?.sentAt == null || send.coveredThrough === null) return null;
  // Follow-ups move the covered mark past the first send: then the first wait is no longer known.
  return send.coveredThrough <= send.sentAt ? send.sentAt - send.coveredThrough : null;
}

/** The referrer's host ("google.com"), or null. */
function referrerHost(referrer: string | undefined): string | null {
  if (!referrer) return null;
  try {
    return new URL(referrer).hostname.replace(/^www\./, "") || null;
  } catch {
    return null;
  }
}

/** The console use case. */
export type LeadConsoleService = ReturnType<typeof createLeadConsoleService>;

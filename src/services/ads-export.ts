import type { CountryCode } from "libphonenumber-js";
import { z } from "zod";
import { clickConversionsCsv } from "../core/ads-export/clicks.js";
import { enhancedConversionsCsv } from "../core/ads-export/enhanced.js";
import { startOfDayInZone } from "../core/ads-export/time.js";
import type { ExportFile, ExportLead, ExportSettings } from "../core/ads-export/types.js";
import { buildTranscript } from "../core/chat/transcript.js";
import { ValidationError } from "../core/errors.js";
import { extractContact, type ShopContact } from "../core/extract/contact.js";
import type { AttributionRecord, AttributionStore, LeadsSentCursor } from "../ports/attribution-store.js";
import type { Clock } from "../ports/clock.js";
import type { LeadJournal, OutcomeEntry } from "../ports/lead-journal.js";
import type { ThreadStore } from "../ports/thread-store.js";
import { newestOutcomes } from "./newest-outcomes.js";

/** The two files Google Ads imports (docs/google-ads.md). */
export const ADS_EXPORT_KINDS = ["clicks", "enhanced"] as const;
export type AdsExportKind = (typeof ADS_EXPORT_KINDS)[number];

/**
 * What a caller asks for, checked at the edge (the CLI now, the owner's download route later):
 * the kind, and the first day (`YYYY-MM-DD`, on the shop's clocks) whose sent leads it covers.
 */
export const adsExportRequestSchema = z.strictObject({
  kind: z.enum(ADS_EXPORT_KINDS),
  since: z.iso.date(),
});
export type AdsExportRequest = z.infer<typeof adsExportRequestSchema>;

/** A download: its file name, its text, and what it holds and left out (for a log line). */
export interface AdsExportResult extends ExportFile {
  filename: string;
}

/** Options of {@link createAdsExportService}. */
export interface AdsExportOptions {
  /** Sent leads and their first-touch attribution (`leadSentAt` is stamped after each send). */
  attribution: AttributionStore;
  /** The owner's outcomes (the console): a `won` job adds a conversion with its value. */
  journal: Pick<LeadJournal, "listOutcomes">;
  /** The conversations, for the customer's email and phone (read for the enhanced export only). */
  threads: ThreadStore;
  /** The shop's own phone and email, never taken for the customer's (as the summarizer does). */
  shop: ShopContact;
  clock: Clock;
  /** `SHOP_TIME_ZONE`. */
  timeZone: string;
  /** `ADS_CONVERSION_NAME_LEAD` and `ADS_CONVERSION_NAME_WON`. */
  conversionNames: { lead: string; won: string };
  /** `ADS_CURRENCY`. */
  currency: string;
  /** `LEAD_DEFAULT_REGION`, for numbers written without a country code. */
  defaultRegion: CountryCode;
  /** Rows read from the store a page. @default 500 */
  pageSize?: number;
}

/** The earliest of the widget's first-seen time and the thread's creation: when the visit began. */
function clickTime(record: AttributionRecord): number {
  const firstSeen = Date.parse(record.attribution.first_seen_at ?? "");
  // The first-seen time comes from the visitor's clock: it never counts as later than our own.
  return Number.isFinite(firstSeen) ? Math.min(firstSeen, record.createdAt) : record.createdAt;
}

/**
 * The Google Ads exports: the sent leads (the attribution store's `leadSentAt`, one page at a time),
 * each with its click ids and, for the enhanced file, the contact the customer gave in the chat
 * (read from the transcript with the same extraction the summarizer uses: nothing else keeps it
 * after the send but the prepared email's bytes). A job the owner marked `won` in the console
 * (its newest outcome) adds a `won` conversion with its value, at the time it was recorded, even
 * when the lead itself went out before `since`.
 */
export function createAdsExportService(options: AdsExportOptions) {
  const { attribution, threads, clock } = options;
  const pageSize = options.pageSize ?? 500;

  /** Every sent lead from `since` on, in send order. */
  async function sentSince(since: number): Promise<AttributionRecord[]> {
    const rows: AttributionRecord[] = [];
    let after: LeadsSentCursor | null = null;
    for (;;) {
      const page = await attribution.listLeadsSent({ since, limit: pageSize, after });
      rows.push(...page);
      const last = page.at(-1);
      if (page.length < pageSize || !last || last.leadSentAt === null) return rows;
      after = { leadSentAt: last.leadSentAt, threadId: last.threadId };
    }
  }

  /** The customer's email and phone as they stated them in the conversation. */
  async function contactOf(threadId: string): Promise<Pick<ExportLead, "email" | "phone">> {
    const transcript = buildTranscript(await threads.listItems(threadId));
    const contact = extractContact(transcript, { defaultRegion: options.defaultRegion, shop: options.shop });
    return {
      ...(contact.email ? { email: contact.email } : {}),
      ...(contact.phone ? { phone: contact.phone } : {}),
    };
  }

  async function toLead(
    record: AttributionRecord,
    outcome: (OutcomeEntry & { at: number }) | undefined,
    withContact: boolean,
  ): Promise<ExportLead> {
    const { gclid, gbraid, wbraid } = record.attribution;
    const won =
      outcome?.outcome === "won" && outcome.value !== null
        ? {
            kind: "won" as const,
            value: Number(outcome.value),
            currency: outcome.currency ?? "",
            at: outcome.at,
          }
        : null;
    return {
      threadId: record.threadId,
      sentAt: record.leadSentAt,
      clickAt: clickTime(record),
      ...(won ? { outcome: won } : {}),
      ...(gclid ? { gclid } : {}),
      ...(gbraid ? { gbraid } : {}),
      ...(wbraid ? { wbraid } : {}),
      ...(withContact ? await contactOf(record.threadId) : {}),
    };
  }

  return {
    /**
     * The file for a kind and a first day. Throws a ValidationError (400) for a bad request, so a
     * route can hand it on as is.
     */
    async exportCsv(request: AdsExportRequest): Promise<AdsExportResult> {
      const parsed = adsExportRequestSchema.safeParse(request);
      if (!parsed.success) {
        throw new ValidationError('expected kind "clicks" or "enhanced" and since as YYYY-MM-DD');
      }
      const { kind, since } = parsed.data;
      const from = startOfDayInZone(since, options.timeZone);
      if (from === null) throw new ValidationError(`since ${since} is not a date`);
      const settings: ExportSettings = {
        since: from,
        timeZone: options.timeZone,
        conversionNames: options.conversionNames,
        currency: options.currency,
        defaultRegion: options.defaultRegion,
        now: clock.now(),
      };
      const records = await sentSince(from);
      const outcomes = await newestOutcomes(options.journal, { since: from, pageSize });
      // Won jobs whose lead went out before `since` (or never): their visit's row, read by id.
      const listed = new Set(records.map((r) => r.threadId));
      for (const [threadId, outcome] of outcomes) {
        if (listed.has(threadId) || outcome.outcome !== "won") continue;
        const record = await attribution.get(threadId);
        if (record) records.push(record);
      }
      const leads: ExportLead[] = [];
      for (const record of records)
        leads.push(await toLead(record, outcomes.get(record.threadId), kind === "enhanced"));
      const file =
        kind === "clicks" ? clickConversionsCsv(leads, settings) : enhancedConversionsCsv(leads, settings);
      return { filename: `google-ads-${kind}-since-${since}.csv`, ...file };
    },
  };
}

/** The export use case. */
export type AdsExportService = ReturnType<typeof createAdsExportService>;

import type { JournalEntry, LeadJournal, OutcomeCursor, OutcomeEntry } from "../ports/lead-journal.js";

/** An outcome entry as the journal answers it. */
export type RecordedOutcomeEntry = JournalEntry & OutcomeEntry;

/**
 * Each conversation's newest outcome recorded in [`since`, `until`) (a later one replaces an
 * earlier one), reading the journal's outcome index page by page: for the Google Ads export and
 * the weekly digest.
 */
export async function newestOutcomes(
  journal: Pick<LeadJournal, "listOutcomes">,
  range: { since: number; until?: number; pageSize?: number },
): Promise<Map<string, RecordedOutcomeEntry>> {
  const pageSize = range.pageSize ?? 500;
  const until = range.until ?? Number.POSITIVE_INFINITY;
  const newest = new Map<string, RecordedOutcomeEntry>();
  let after: OutcomeCursor | null = null;
  for (;;) {
    const page = await journal.listOutcomes({ since: range.since, limit: pageSize, after });
    for (const entry of page) {
      if (entry.at >= until) return newest;
      if (entry.kind === "outcome") newest.set(entry.threadId, entry);
    }
    const last = page.at(-1);
    if (page.length < pageSize || !last) return newest;
    after = { at: last.at, id: last.id };
  }
}

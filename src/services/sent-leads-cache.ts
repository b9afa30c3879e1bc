import type { LeadRecord } from "../ports/lead-store.js";

/** A sent lead and the user who owns its thread (so the cache answers only the owner). */
export interface SentLead {
  record: LeadRecord;
  ownerId: string | null;
}

/**
 * Remembers threads whose lead email is sent. `sent` is final until the row's ttl, so a cached
 * copy can never be wrong; it spares the store a read on every repeated trigger (the widget fires
 * `pagehide` on each tab switch). Bounded: the oldest entry goes when full.
 */
export function createSentLeadsCache(maxEntries = 10_000) {
  const entries = new Map<string, SentLead>();
  return {
    /** The sent record of a thread (and the thread's owner), if known and not past its ttl. */
    get(threadId: string, now: number): SentLead | null {
      const entry = entries.get(threadId);
      if (!entry) return null;
      if (entry.record.ttl > now) return entry;
      entries.delete(threadId);
      return null;
    },
    /** Keeps a record when it is `sent`; ignores any other state. */
    remember(record: LeadRecord, ownerId: string | null): void {
      if (record.state !== "sent") return;
      entries.delete(record.threadId);
      entries.set(record.threadId, { record, ownerId });
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    },
  };
}

import type { LeadRecord } from "../ports/lead-store.js";

/**
 * Remembers threads whose lead email is sent. `sent` is final until the row's ttl, so a cached
 * copy can never be wrong; it spares the store a read on every repeated trigger (the widget fires
 * `pagehide` on each tab switch). Bounded: the oldest entry goes when full.
 */
export function createSentLeadsCache(maxEntries = 10_000) {
  const entries = new Map<string, LeadRecord>();
  return {
    /** The sent record of a thread, if known and not past its ttl. */
    get(threadId: string, now: number): LeadRecord | null {
      const record = entries.get(threadId);
      if (!record) return null;
      if (record.ttl > now) return record;
      entries.delete(threadId);
      return null;
    },
    /** Keeps a record when it is `sent`; ignores any other state. */
    remember(record: LeadRecord): void {
      if (record.state !== "sent") return;
      entries.delete(record.threadId);
      entries.set(record.threadId, record);
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    },
  };
}

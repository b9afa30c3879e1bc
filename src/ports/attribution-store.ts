import type { Attribution } from "../core/attribution.js";

/** One row per thread (the reference deployment's ChatkitLeadAttributionTable). Times are epoch ms. */
export interface AttributionRecord {
  threadId: string;
  attribution: Attribution;
  createdAt: number;
  /** When the lead email went out (for offline conversion import); null before. */
  leadSentAt: number | null;
  /** Expiry of the row (`LEAD_ATTRIBUTION_TTL_DAYS`). */
  ttl: number;
}

/** Stores attribution per thread. */
export interface AttributionStore {
  /** Saves (inserts or replaces) the row. */
  put(record: AttributionRecord): Promise<void>;
  /** The row, or null when absent or past its ttl. */
  get(threadId: string): Promise<AttributionRecord | null>;
  /** Records when the lead email went out; no-op for absent rows. */
  markLeadSent(threadId: string, at: number): Promise<void>;
}

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
  /**
   * Deletes at most `limit` rows whose ttl has passed (`ttl <= now`), oldest expiry first, and
   * answers how many went. An indexed query, never a scan of the table; live rows are never touched.
   * (DynamoDB TTL does this on its own; there it may answer 0.)
   */
  prune(now: number, limit: number): Promise<number>;
}

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

/** Where {@link AttributionStore.listLeadsSent} resumes: the last row of the previous page. */
export interface LeadsSentCursor {
  leadSentAt: number;
  threadId: string;
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
   * Live rows whose lead went out at or after `since` (epoch ms), in send order (ties by thread id),
   * at most `limit`, starting after `after` (the last row of the previous page). For the Google Ads
   * exports: `leadSentAt` is the conversion, the attribution carries the click id.
   */
  listLeadsSent(query: {
    since: number;
    limit: number;
    after?: LeadsSentCursor | null;
  }): Promise<AttributionRecord[]>;
  /**
   * Deletes at most `limit` rows whose ttl has passed (`ttl <= now`), oldest expiry first, and
   * answers how many went. An indexed query, never a scan of the table; live rows are never touched.
   * (DynamoDB TTL does this on its own; there it may answer 0.)
   */
  prune(now: number, limit: number): Promise<number>;
}

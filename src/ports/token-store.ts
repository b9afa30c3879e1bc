import type { SmsLinkRecord } from "../core/sms-draft.js";

/** Stores click-safe SMS link tokens (the reference deployment's ChatkitSmsLinkTokenTable). */
export interface TokenStore {
  /** Saves a new token. */
  put(record: SmsLinkRecord): Promise<void>;
  /**
   * Reads a token, expired or not (the caller decides 410 vs 200); null when unknown. An expired
   * token answers until `prune` removes it; after that it is unknown (404).
   */
  get(token: string): Promise<SmsLinkRecord | null>;
  /**
   * Deletes at most `limit` tokens past their expiry (`expiresAt <= now`), oldest expiry first, and
   * answers how many went. An indexed query, never a scan of the table; live tokens are never touched.
   * (DynamoDB TTL does this on its own; there it may answer 0.)
   */
  prune(now: number, limit: number): Promise<number>;
}

import type { SmsLinkRecord } from "../core/sms-draft.js";

/** Stores click-safe SMS link tokens (the reference deployment's ChatkitSmsLinkTokenTable). */
export interface TokenStore {
  /** Saves a new token. */
  put(record: SmsLinkRecord): Promise<void>;
  /** Reads a token, expired or not (the caller decides 410 vs 200); null when unknown. */
  get(token: string): Promise<SmsLinkRecord | null>;
}

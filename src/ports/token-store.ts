/** What an SMS link token opens. Times are epoch ms. */
export interface SmsLinkRecord {
  token: string;
  threadId: string;
  /** E.164 phone number to text. */
  phone: string;
  customerName: string | null;
  /** The drafted reply. */
  body: string;
  createdAt: number;
  expiresAt: number;
}

/** Stores click-safe SMS link tokens (the spec's ChatkitSmsLinkTokenTable). */
export interface TokenStore {
  /** Saves a new token. */
  put(record: SmsLinkRecord): Promise<void>;
  /** Reads a token, expired or not (the caller decides 410 vs 200); null when unknown. */
  get(token: string): Promise<SmsLinkRecord | null>;
}

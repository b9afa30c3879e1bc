/** Send state of one thread's lead email. */
export type LeadState = "sending" | "sent" | "error";

/** One row per thread (the reference deployment's ChatkitLeadDedupeTable). Times are epoch ms. */
export interface LeadRecord {
  threadId: string;
  state: LeadState;
  /** Who holds the current lease; markSent/markError only apply for the holder. */
  leaseId: string;
  leaseExpiresAt: number;
  attempts: number;
  lastError: string | null;
  /** While state is `error`, no new attempt before this time. */
  retryAfter: number | null;
  messageId: string | null;
  sentAt: number | null;
  /** Expiry of the row itself (`LEAD_DEDUPE_TTL_DAYS`), epoch ms. */
  ttl: number;
}

/** The outcome of trying to take the send lease. */
export type LeaseResult = { acquired: true; record: LeadRecord } | { acquired: false; record: LeadRecord };

/** What a caller asks for when taking the lease. */
export interface AcquireLeaseInput {
  threadId: string;
  leaseId: string;
  now: number;
  leaseExpiresAt: number;
  ttl: number;
}

/**
 * Idempotent send bookkeeping. `acquireLease` must be ONE atomic conditional write (an upsert in
 * SQLite, a conditional PutItem in DynamoDB): it succeeds when there is no row, when a `sending`
 * lease has expired, or when an `error` row's `retryAfter` has passed; otherwise it changes nothing.
 */
export interface LeadStore {
  /** Reads the row, or null. */
  get(threadId: string): Promise<LeadRecord | null>;
  /** Takes the send lease atomically; on refusal returns the row that blocked it. */
  acquireLease(input: AcquireLeaseInput): Promise<LeaseResult>;
  /** Marks the lead sent, if `leaseId` still holds the lease. Returns false when it did not. */
  markSent(input: { threadId: string; leaseId: string; messageId: string; sentAt: number }): Promise<boolean>;
  /** Records a failed attempt and its cool-down, if `leaseId` still holds the lease. */
  markError(input: {
    threadId: string;
    leaseId: string;
    error: string;
    retryAfter: number;
  }): Promise<boolean>;
}

/**
 * Send state of one thread's lead email: `sending` while a holder has the lease, `sent` when
 * delivered, `error` after a failure that will be retried after a cool-down, `failed` after a
 * permanent one (a 5xx, a bad recipient): no more retries, the owner must look.
 */
export type LeadState = "sending" | "sent" | "error" | "failed";

/** One row per thread (the reference deployment's ChatkitLeadDedupeTable). Times are epoch ms. */
export interface LeadRecord {
  threadId: string;
  state: LeadState;
  /** Who holds the current lease; every later change applies only for the holder. */
  leaseId: string;
  leaseExpiresAt: number;
  attempts: number;
  lastError: string | null;
  /** While state is `error`, no new attempt before this time. */
  retryAfter: number | null;
  /** The Message-ID, fixed with the prepared message before the first attempt. */
  messageId: string | null;
  /**
   * Blob key of the prepared message, fixed before the first attempt: every resend after an
   * unclear outcome sends these same bytes, so a duplicate collapses in the owner's inbox.
   */
  emailKey: string | null;
  /** The prepared message's Subject (a follow-up answers `Re:` to it). */
  subject: string | null;
  /**
   * Time of the newest customer message the emails sent so far covered: later customer messages
   * may call for a follow-up.
   */
  coveredThrough: number | null;
  /** Follow-ups sent after the lead email. */
  followUps: number;
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

/** A thread the sweeper should look at, and the due time it was listed under. */
export interface DueLead {
  threadId: string;
  dueAt: number;
}

/** The holder's claim on a row: changes apply only while `leaseId` still holds it. */
interface Held {
  threadId: string;
  leaseId: string;
}

/**
 * Idempotent send bookkeeping, plus the list of threads the sweeper must look at.
 *
 * Every method either makes its change durably or throws: a write the store could not commit
 * (disk full, read-only, I/O error) is an exception, never a silent success, so the caller fails
 * closed and sends nothing it could not record. The `boolean` answers say whether the caller still
 * held the lease (false: someone else took over; nothing was changed).
 */
export interface LeadStore {
  /** Reads the row, or null. */
  get(threadId: string): Promise<LeadRecord | null>;
  /**
   * Takes the send lease with ONE atomic conditional write (an upsert in SQLite, a conditional
   * PutItem in DynamoDB). It succeeds when there is no row (or the row is past its ttl), when a
   * `sending` lease has expired, or when an `error` row's `retryAfter` has passed; otherwise it
   * changes nothing and returns the row that blocked it. A row past its ttl starts afresh.
   */
  acquireLease(input: AcquireLeaseInput): Promise<LeaseResult>;
  /** Fixes the prepared message (its blob key and Message-ID) before the first attempt. */
  prepare(
    input: Held & { emailKey: string; messageId: string; subject: string; coveredThrough: number | null },
  ): Promise<boolean>;
  /** Marks the lead sent. */
  markSent(input: Held & { messageId: string; sentAt: number }): Promise<boolean>;
  /** Records a failed attempt that will be retried after `retryAfter`. */
  markError(input: Held & { error: string; retryAfter: number }): Promise<boolean>;
  /** Records a permanent failure: no lease is granted again until the row expires. */
  markFailed(input: Held & { error: string }): Promise<boolean>;
  /**
   * The owner's retry from the console: a `failed` row, or an `error` row still cooling down,
   * becomes `error` with `retryAfter = now` (its prepared message, Message-ID and attempts kept),
   * so the next `acquireLease` takes it like any retry, through the same single gate. Answers
   * whether it applied (false for absent, expired, `sending` and `sent` rows: nothing changed).
   */
  reopen(input: { threadId: string; now: number }): Promise<boolean>;
  /** Gives the lease back at once (a shutdown cut the send short): the next attempt may start now. */
  releaseLease(input: Held & { now: number }): Promise<boolean>;
  /**
   * On a `sent` row: the emails now cover the customer's messages through `coveredThrough` and
   * `followUps` follow-ups went out. Applies only while the row still counts `expectFollowUps`, so
   * two processes never both count the same follow-up. Returns whether it applied.
   */
  recordCoverage(input: {
    threadId: string;
    expectFollowUps: number;
    followUps: number;
    coveredThrough: number;
  }): Promise<boolean>;
  /**
   * Deletes at most `limit` rows past their ttl (follow-up rows included), oldest first, and returns
   * the blob keys of their prepared messages, for the caller to delete. A query on an index.
   */
  prune(now: number, limit: number): Promise<{ threadId: string; emailKey: string | null }[]>;
  /** How many live rows are `failed` (for `/healthz`). */
  countFailed(now: number): Promise<number>;
  /** Puts a thread on the sweeper's list at `dueAt`, replacing any earlier due time. */
  schedule(threadId: string, dueAt: number): Promise<void>;
  /** Threads due at or before `now`, oldest first, at most `limit`: a query, never a scan. */
  listDue(now: number, limit: number): Promise<DueLead[]>;
  /**
   * After the sweeper looked at a thread listed at `seen.dueAt`: moves it to `nextDueAt`, or takes
   * it off the list when null, unless a newer `schedule` (new customer activity) moved it meanwhile.
   */
  settleDue(seen: DueLead, nextDueAt: number | null): Promise<void>;
}

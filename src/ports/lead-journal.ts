import type { LeadReason, TriggerReason } from "../core/lead-gate.js";
import type { LeadOutcome } from "../core/lead-outcome.js";

export type { LeadOutcome };

/** A handoff decision: one trigger (a page event, the sweeper, the owner) and what it decided. */
export interface DecisionEntry {
  kind: "decision";
  trigger: TriggerReason;
  leadReason: LeadReason;
  /** Who asked when a person did (the owner's name); null for the page and the sweeper. */
  actor: string | null;
  /** What was missing (`not_ready`), or the error (`error`, `failed`); short, for the console. */
  detail: string | null;
}

/** The owner recorded an outcome; the newest outcome entry of a thread is its outcome. */
export interface OutcomeEntry {
  kind: "outcome";
  outcome: LeadOutcome;
  /** The job's value for `won` (a decimal string such as "650.00", never a float); else null. */
  value: string | null;
  /** ISO 4217 code with `value`; else null. */
  currency: string | null;
  actor: string;
}

/** One line of a thread's history, as written. */
export type JournalEntryInput = (DecisionEntry | OutcomeEntry) & {
  threadId: string;
  /** Epoch ms. */
  at: number;
  /** Expiry of the entry, epoch ms (`LEAD_JOURNAL_TTL_DAYS`). */
  ttl: number;
};

/** One line of a thread's history, as stored: `id` is unique and orders entries of the same ms. */
export type JournalEntry = JournalEntryInput & { id: string };

/** Where {@link LeadJournal.listOutcomes} resumes: the last entry of the previous page. */
export interface OutcomeCursor {
  at: number;
  id: string;
}

/**
 * The history of each conversation as the owner sees it: every handoff decision and every
 * outcome, append-only. Every write is durable or throws (an outcome the owner recorded must not
 * be silently lost); readers never see a half-written entry.
 */
export interface LeadJournal {
  /** Appends one entry and answers it with its new id (unique, and increasing within one thread). */
  append(entry: JournalEntryInput): Promise<JournalEntry>;
  /** The live entries of one thread (ttl in the future), oldest first, at most `limit` (the newest ones). */
  list(threadId: string, limit: number): Promise<JournalEntry[]>;
  /**
   * Live outcome entries of every thread recorded at or after `since` (epoch ms), oldest first
   * (ties by id), at most `limit`, after `after`: for the "won" conversions export and the weekly
   * digest. An indexed query, never a scan.
   */
  listOutcomes(query: {
    since: number;
    limit: number;
    after?: OutcomeCursor | null;
  }): Promise<JournalEntry[]>;
  /**
   * Deletes at most `limit` entries whose ttl has passed, oldest expiry first, and answers how many
   * went. An indexed query (DynamoDB TTL does this on its own; there it may answer 0).
   */
  prune(now: number, limit: number): Promise<number>;
}

import type { LeadReason, TriggerReason } from "../../core/lead-gate.js";
import type { JournalEntry, LeadOutcome } from "../../ports/lead-journal.js";

/**
 * A journal entry's own columns as both stores keep them (snake_case; a DynamoDB item leaves out
 * what is null). The stores add their keys, ids and expiry around these.
 */
export interface JournalColumns {
  kind: string;
  trigger?: string | null;
  lead_reason?: string | null;
  actor?: string | null;
  detail?: string | null;
  outcome?: string | null;
  value?: string | null;
  currency?: string | null;
}

/**
 * The entry back from its columns. Rows are written only by `append()` from typed entries, so
 * their strings are trusted as the port's unions on the way back.
 */
export function entryFromColumns(
  common: Pick<JournalEntry, "id" | "threadId" | "at" | "ttl">,
  row: JournalColumns,
): JournalEntry {
  if (row.kind === "outcome") {
    return {
      ...common,
      kind: "outcome",
      outcome: row.outcome as LeadOutcome,
      value: row.value ?? null,
      currency: row.currency ?? null,
      actor: row.actor as string,
    };
  }
  return {
    ...common,
    kind: "decision",
    trigger: row.trigger as TriggerReason,
    leadReason: row.lead_reason as LeadReason,
    actor: row.actor ?? null,
    detail: row.detail ?? null,
  };
}

import type { LeadReason } from "../lead-gate.js";
import type { LeadSummary } from "../lead-summary.js";

/** A conversation's lead state as the owner's console shows and filters it. */
export const CONSOLE_STATES = [
  "open",
  "not_ready",
  "sending",
  "sent",
  "follow_up_sent",
  "error",
  "failed",
] as const;
export type ConsoleState = (typeof CONSOLE_STATES)[number];

/** How the console words each state. */
export const STATE_LABELS: Readonly<Record<ConsoleState, string>> = {
  open: "Open",
  not_ready: "Not ready",
  sending: "Sending",
  sent: "Sent",
  follow_up_sent: "Follow-up sent",
  error: "Error",
  failed: "Failed",
};

/** The send row's facts the state reads (the lead row of `LeadStore`). */
export interface SendFacts {
  state: "sending" | "sent" | "error" | "failed";
  followUps: number;
  retryAfter: number | null;
  lastError: string | null;
}

/** A conversation's state, why, and (for `error`) when it is tried again. */
export interface LeadStatus {
  state: ConsoleState;
  /** One short line for the owner; null when the state says it all. */
  why: string | null;
  /** Epoch ms of the next attempt (`error`); else null. */
  retryAt: number | null;
}

/** How the console words what a lead lacks (the summary's `missing` names). */
const MISSING_WORDS: Readonly<Record<string, string>> = {
  contact: "a phone or email",
  name: "a name",
  service: "what they need",
  vehicle: "the vehicle or item",
  spam: "looks like spam",
};

/** "missing a name, the vehicle or item", or "looks like spam". */
export function describeMissing(missing: readonly string[]): string {
  if (missing.includes("spam")) return MISSING_WORDS.spam as string;
  const words = missing.map((m) => MISSING_WORDS[m] ?? m.replace(/_/g, " "));
  return words.length ? `missing ${words.join(", ")}` : "not ready";
}

/** Everything {@link leadStatus} reads. */
export interface LeadStatusInput {
  /** The thread's send row, or null before any attempt. */
  send: SendFacts | null;
  /** The rule-based summary of the transcript. */
  summary: Pick<LeadSummary, "handoff_ready" | "missing" | "phone" | "email">;
  lastCustomerActivityAt: number | null;
  now: number;
  /** `LEAD_IDLE_DELAY_SECONDS` in ms. */
  idleDelayMs: number;
  /**
   * The newest handoff decision in the thread's history, when it came after the customer's last
   * message: a model summarizer's `not_ready` outranks what the rules read.
   */
  lastDecision: { leadReason: LeadReason; detail: string | null; at: number } | null;
}

/**
 * The state of one conversation: the send row when there is one; before that, what the handoff
 * would say now (still writing, no contact, not ready and why, or ready for the next sweep).
 */
export function leadStatus(input: LeadStatusInput): LeadStatus {
  const { send, summary } = input;
  const status = (state: ConsoleState, why: string | null = null, retryAt: number | null = null) => ({
    state,
    why,
    retryAt,
  });
  if (send) {
    if (send.state === "sent")
      return send.followUps > 0
        ? status("follow_up_sent", `${send.followUps} follow-up${send.followUps === 1 ? "" : "s"}`)
        : status("sent");
    if (send.state === "error") return status("error", send.lastError, send.retryAfter);
    if (send.state === "failed") return status("failed", send.lastError);
    return status("sending");
  }
  const last = input.lastCustomerActivityAt;
  if (last !== null && input.now - last < input.idleDelayMs)
    return status("open", "the customer is still writing");
  if (!summary.phone && !summary.email) return status("not_ready", describeMissing(["contact"]));
  if (summary.missing.includes("spam")) return status("not_ready", describeMissing(["spam"]));
  const decision = input.lastDecision;
  if (decision && decision.leadReason === "not_ready" && (last === null || decision.at >= last))
    return status("not_ready", decision.detail ? describeMissing(decision.detail.split(", ")) : "not ready");
  if (!summary.handoff_ready) return status("not_ready", describeMissing(summary.missing));
  return status("open", "ready: goes out on the next sweep");
}

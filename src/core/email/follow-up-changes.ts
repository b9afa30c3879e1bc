import type { Transcript } from "../chat/transcript.js";
import { countCustomerImages, renderTranscriptText } from "../chat/transcript.js";
import type { LeadSummary } from "../lead-summary.js";
import { ITEM_WORDS, SERVICE_WORDS } from "../vocabulary.js";
import { describePreference } from "./preference.js";

// After the lead email is out, the customer may keep chatting. What they add that the owner needs
// (a new phone or email, photos, a changed or added job, a time) goes out as ONE follow-up per quiet
// period; small talk ("thanks!") changes none of these facts and sends nothing.

/** One thing the owner learns from a follow-up. */
export interface FollowUpChange {
  /** The summary-card label it updates. */
  label: string;
  /** The new value, as the owner reads it. */
  value: string;
}

/** The transcript split at what the last email covered. */
export interface TranscriptSplit {
  /** Everything up to and including `coveredThrough`. */
  covered: Transcript;
  /** Only the turns after it. */
  added: Transcript;
}

/** Splits at `coveredThrough` (epoch ms): turns without a time count as covered. */
export function splitTranscript(transcript: Transcript, coveredThrough: number): TranscriptSplit {
  const isNew = (createdAt: number | null) => createdAt !== null && createdAt > coveredThrough;
  const covered = transcript.turns.filter((turn) => !isNew(turn.createdAt));
  const added = transcript.turns.filter((turn) => isNew(turn.createdAt));
  return {
    covered: { turns: covered, text: renderTranscriptText(covered) },
    added: { turns: added, text: renderTranscriptText(added) },
  };
}

/** The newest customer turn's time, or null. */
export function lastCustomerTurnAt(transcript: Transcript): number | null {
  const times = transcript.turns
    .filter((turn) => turn.role === "customer" && turn.createdAt !== null)
    .map((turn) => turn.createdAt as number);
  return times.length > 0 ? Math.max(...times) : null;
}

function itemOf(summary: LeadSummary): string | null {
  const v = summary.vehicle;
  const words = [v?.year, v?.make, v?.model].filter((w) => w !== null && w !== undefined);
  if (words.length > 0) return words.join(" ");
  return summary.item_type ? ITEM_WORDS[summary.item_type].noun : null;
}

/**
 * The details the customer added: the rule-based summary appends new sentences to what it had,
 * so only the new tail is news; details that were rewritten are shown whole.
 */
function addedDetails(was: string | null, now: string | null): string | null {
  if (!now || now === was) return null;
  if (!was || !now.startsWith(was)) return now;
  return now.slice(was.length).replace(/^[\s;,.]+/, "") || null;
}

/**
 * What the owner needs to hear about, comparing the summary the last email was built on (`before`)
 * with the summary now (`after`), plus photos sent since. Only facts that are new or changed count.
 */
export function followUpChanges(
  before: LeadSummary,
  after: LeadSummary,
  added: Transcript,
): FollowUpChange[] {
  const changes: FollowUpChange[] = [];
  const changed = (label: string, was: string | null, now: string | null) => {
    if (now && now !== was) changes.push({ label, value: now });
  };
  changed("Phone", before.phone, after.phone);
  changed("Email", before.email, after.email);
  changed("Prefers", describePreference(before), describePreference(after));
  changed("Vehicle / item", itemOf(before), itemOf(after));
  const service = (s: LeadSummary) => (s.service_category ? SERVICE_WORDS[s.service_category].field : null);
  changed("Service", service(before), service(after));
  changed("Details", before.service_details, addedDetails(before.service_details, after.service_details));
  changed("Timeline", before.timeline, after.timeline);
  changed("Budget", before.budget, after.budget);
  changed("Location", before.location, after.location);
  const photos = countCustomerImages(added);
  if (photos > 0) changes.push({ label: "Photos", value: `${photos} new (shown below)` });
  return changes;
}

/** Lead-store key of the n-th follow-up's send row (never a thread id: thread ids have no colon). */
export function followUpKey(threadId: string, n: number): string {
  return `${threadId}:f${n}`;
}

import type { LeadSummary } from "../lead-summary.js";

const CHANNEL = { call: "a call", text: "a text message", email: "email" } as const;

/**
 * How and when the customer wants to hear back, for the owner: "A text message, after 5pm",
 * "Mornings", or null when they said neither.
 */
export function describePreference(
  s: Pick<LeadSummary, "preferred_contact" | "contact_time">,
): string | null {
  const line = [s.preferred_contact ? CHANNEL[s.preferred_contact] : null, s.contact_time]
    .filter((part) => part)
    .join(", ");
  return line ? line.charAt(0).toUpperCase() + line.slice(1) : null;
}

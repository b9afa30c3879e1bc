import { composeOwnerEmail, leadMessageId } from "./compose.js";
import type { FollowUpChange } from "./follow-up-changes.js";
import { oneLine, truncate } from "./lead-view.js";
import type { ComposeLeadEmailInput, LeadEmail } from "./types.js";

/** What a follow-up is made of: the lead's facts now, with only the new turns and photos. */
export interface ComposeFollowUpInput extends ComposeLeadEmailInput {
  /** 1 for the first follow-up after the lead email. */
  number: number;
  /** The first email: the follow-up threads under it in the owner's inbox. */
  original: { subject: string; messageId: string };
  /** What is new or changed; never empty (small talk sends nothing). */
  changes: FollowUpChange[];
}

/**
 * A follow-up to the lead email (pure): `Re: <first subject>`, threaded with `In-Reply-To` and
 * `References`, showing only what changed, the new turns and the new photos inline. Its Message-ID
 * is fixed per follow-up number, so a resend collapses like the first email's.
 */
export function composeFollowUpEmail(input: ComposeFollowUpInput): LeadEmail {
  const original = oneLine(input.original.subject);
  const subject = truncate(/^re:/i.test(original) ? original : `Re: ${original}`, 130);
  const who = oneLine(input.summary.customer_name) || "The customer";
  const news = input.changes.map((change) => `${change.label.toLowerCase()}: ${oneLine(change.value)}`);
  const labels = new Set(input.changes.map((change) => change.label));
  return composeOwnerEmail(input, {
    subject,
    messageId: leadMessageId(`${input.threadId}-f${input.number}`, input.from),
    headers: { "In-Reply-To": input.original.messageId, References: input.original.messageId },
    view: (view) => ({
      ...view,
      summary: `${who} added to the request after the first email. New: ${news.join("; ")}.`,
      fields: view.fields.filter((field) => labels.has(field.label)),
      missing: [],
      diagnostics: [...view.diagnostics, ["Follow-up", String(input.number)]],
    }),
  });
}

import type { Transcript } from "../core/chat/transcript.js";
import type { LeadSummary } from "../core/lead-summary.js";
import type { Summarizer } from "../ports/summarizer.js";
import { createLeadEmailPreparer, type LeadEmailPreparerOptions } from "./lead-email.js";

/** Options of {@link createLeadPreview}: the summarizer, and what the email is built from. */
export interface LeadPreviewOptions extends LeadEmailPreparerOptions {
  summarizer: Summarizer;
}

/** What the owner would get for a transcript. */
export interface LeadPreviewResult {
  summary: LeadSummary;
  subject: string;
  html: string;
  /** The whole message, as the mailer would deliver it. */
  raw: Uint8Array;
}

/**
 * `lead-handoff preview`: the email a transcript would produce, built exactly as a real handoff
 * builds it, without sending it, recording anything or creating an SMS link token.
 */
export function createLeadPreview(options: LeadPreviewOptions) {
  const { summarizer } = options;
  const preparer = createLeadEmailPreparer(options);
  return {
    /** The LeadSummary alone (`lead-handoff summarize`). */
    summarize: (transcript: Transcript): Promise<LeadSummary> => summarizer.summarize(transcript),
    /** The whole email. */
    async preview(transcript: Transcript): Promise<LeadPreviewResult> {
      const summary = await summarizer.summarize(transcript);
      const { email, raw } = await preparer.compose({
        threadId: "preview",
        summary,
        transcript,
        // A preview creates no link token, so it shows no "Text" button.
        smsLinkUrl: null,
        trigger: "manual",
        summarizerName: summarizer.name,
        diagnostics: {},
        date: new Date(),
      });
      return { summary, subject: email.subject, html: email.html, raw };
    },
  };
}

/** The preview use case. */
export type LeadPreview = ReturnType<typeof createLeadPreview>;

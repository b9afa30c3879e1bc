import type { Transcript } from "../core/chat/transcript.js";
import { composeLeadEmail } from "../core/email/compose.js";
import type { LeadSummary } from "../core/lead-summary.js";
import type { BlobStore } from "../ports/blob-store.js";
import type { ImageShrinker } from "../ports/image-shrinker.js";
import type { Logger } from "../ports/logger.js";
import type { Summarizer } from "../ports/summarizer.js";
import { loadLeadAttachments } from "./lead-photos.js";
import { buildMime } from "./mime.js";

/** Options of {@link createLeadPreview}. */
export interface LeadPreviewOptions {
  summarizer: Summarizer;
  /** Where the photos the transcript links to are read from (our own blob store only). */
  blobs: BlobStore;
  shrinker: ImageShrinker;
  logger: Logger;
  /** `CHATKIT_ATTACHMENT_PREVIEW_BASE_URL`: only photos under it are loaded. */
  previewBaseUrl: string;
  /** `LEAD_INLINE_ATTACHMENT_MAX_BYTES`. */
  inlineMaxBytes: number;
  emailFrom: string;
  emailTo: string[];
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
  return {
    /** The LeadSummary alone (`lead-handoff summarize`). */
    summarize: (transcript: Transcript): Promise<LeadSummary> => summarizer.summarize(transcript),
    /** The whole email. */
    async preview(transcript: Transcript): Promise<LeadPreviewResult> {
      const summary = await summarizer.summarize(transcript);
      const attachments = await loadLeadAttachments(transcript.text, options);
      const email = composeLeadEmail({
        threadId: "preview",
        summary,
        transcript,
        attachments,
        // A preview creates no link token, so it shows no "Text" button.
        smsLinkUrl: null,
        from: options.emailFrom,
        to: options.emailTo,
        triggerReason: "manual",
        summarizerName: summarizer.name,
      });
      return { summary, subject: email.subject, html: email.html, raw: await buildMime(email) };
    },
  };
}

/** The preview use case. */
export type LeadPreview = ReturnType<typeof createLeadPreview>;

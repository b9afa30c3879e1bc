import type { Transcript } from "../core/chat/transcript.js";
import { composeLeadEmail } from "../core/email/compose.js";
import type { TriggerReason } from "../core/lead-gate.js";
import type { LeadSummary } from "../core/lead-summary.js";
import type { BlobStore } from "../ports/blob-store.js";
import type { ImageShrinker } from "../ports/image-shrinker.js";
import type { Logger } from "../ports/logger.js";
import type { OutgoingMail } from "../ports/mailer.js";
import { loadLeadAttachments } from "./lead-photos.js";
import { buildMime } from "./mime.js";

/** Options of {@link createLeadEmailPreparer}. */
export interface LeadEmailPreparerOptions {
  /** Photos are read from it, and the prepared message is kept in it. */
  blobs: BlobStore;
  shrinker: ImageShrinker;
  logger: Logger;
  previewBaseUrl: string;
  inlineMaxBytes: number;
  /** @default 10000000 */
  inlineBudgetBytes?: number | undefined;
  emailFrom: string;
  emailTo: string[];
}

/** What goes into one lead email, gathered by the handoff. */
export interface LeadEmailFacts {
  threadId: string;
  summary: LeadSummary;
  transcript: Transcript;
  smsLinkUrl: string | null;
  trigger: TriggerReason;
  summarizerName: string;
  diagnostics: Record<string, string>;
  /** The Date header: the time of the first attempt, kept for every resend. */
  date: Date;
}

/** A message fixed before its first attempt, and where it is kept. */
export interface PreparedLeadEmail {
  mail: OutgoingMail;
  emailKey: string;
  /** For the log line. */
  detail: { attachments: number; inlined: number; bytes: number };
}

const MESSAGE_TYPE = "message/rfc822";

/** Blob key of a thread's prepared message. */
export function preparedEmailKey(threadId: string): string {
  return `lead-emails/${threadId}.eml`;
}

/**
 * Builds the lead email once and keeps its bytes, so that a resend after an unclear outcome (a
 * connection dropped after DATA, a crash while waiting for the reply) is the very same message:
 * same Message-ID, same body, same SMS link, and the owner's inbox shows it once.
 */
export function createLeadEmailPreparer(options: LeadEmailPreparerOptions) {
  const { blobs } = options;
  const envelope = (raw: Uint8Array, messageId: string): OutgoingMail => ({
    raw,
    from: options.emailFrom,
    to: options.emailTo,
    messageId,
  });

  return {
    /** Composes, encodes and stores the message. Throws when it cannot be stored. */
    async prepare(facts: LeadEmailFacts): Promise<PreparedLeadEmail> {
      const attachments = await loadLeadAttachments(facts.transcript.text, options);
      const email = composeLeadEmail({
        threadId: facts.threadId,
        summary: facts.summary,
        transcript: facts.transcript,
        attachments,
        smsLinkUrl: facts.smsLinkUrl,
        from: options.emailFrom,
        to: options.emailTo,
        triggerReason: facts.trigger,
        summarizerName: facts.summarizerName,
        diagnostics: facts.diagnostics,
      });
      const raw = await buildMime(email, { date: facts.date });
      const emailKey = preparedEmailKey(facts.threadId);
      await blobs.put(emailKey, raw, { contentType: MESSAGE_TYPE });
      return {
        mail: envelope(raw, email.messageId),
        emailKey,
        detail: {
          attachments: attachments.length,
          inlined: attachments.filter((a) => a.inline).length,
          bytes: raw.byteLength,
        },
      };
    },

    /** The message prepared before, or null when its bytes are gone (then it is prepared again). */
    async load(emailKey: string, messageId: string): Promise<PreparedLeadEmail | null> {
      const blob = await blobs.get(emailKey);
      if (!blob) return null;
      const detail = { attachments: 0, inlined: 0, bytes: blob.bytes.byteLength };
      return { mail: envelope(blob.bytes, messageId), emailKey, detail };
    },
  };
}

/** The prepared-email use case. */
export type LeadEmailPreparer = ReturnType<typeof createLeadEmailPreparer>;

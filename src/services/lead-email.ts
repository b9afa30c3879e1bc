import type { Transcript } from "../core/chat/transcript.js";
import { composeLeadEmail } from "../core/email/compose.js";
import { composeFollowUpEmail } from "../core/email/follow-up.js";
import type { FollowUpChange } from "../core/email/follow-up-changes.js";
import type { LeadEmail } from "../core/email/types.js";
import type { TriggerReason } from "../core/lead-gate.js";
import type { LeadSummary } from "../core/lead-summary.js";
import type { BlobStore } from "../ports/blob-store.js";
import type { OutgoingMail } from "../ports/mailer.js";
import { type LoadLeadAttachmentsOptions, loadLeadAttachments } from "./lead-photos.js";
import { buildMime } from "./mime.js";

/** Options of {@link createLeadEmailPreparer}: where photos come from, plus the envelope. */
export interface LeadEmailPreparerOptions extends LoadLeadAttachmentsOptions {
  /** Photos are read from it, and the prepared message is kept in it. */
  blobs: BlobStore;
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
  subject: string;
  /** For the log line. */
  detail: { attachments: number; inlined: number; bytes: number };
}

const MESSAGE_TYPE = "message/rfc822";

/** What a follow-up adds to the facts of an email. */
export interface FollowUpFacts extends LeadEmailFacts {
  number: number;
  original: { subject: string; messageId: string };
  changes: FollowUpChange[];
}

/** Blob key of a thread's prepared message (`number` 0) or of its n-th follow-up. */
export function preparedEmailKey(threadId: string, number = 0): string {
  return `lead-emails/${threadId}${number > 0 ? `-f${number}` : ""}.eml`;
}

/**
 * Builds the lead email once and keeps its bytes, so that a resend after an unclear outcome (a
 * connection dropped after DATA, a crash while waiting for the reply) is the very same message:
 * same Message-ID, same body, same SMS link, and the owner's inbox shows it once.
 */
export function createLeadEmailPreparer(options: LeadEmailPreparerOptions) {
  const { blobs } = options;
  /** The mail to send, pointing at the kept copy when the store has it on local disk. */
  const envelope = (raw: Uint8Array, messageId: string, emailKey: string): OutgoingMail => {
    const localPath = blobs.localPath?.(emailKey);
    return {
      raw,
      from: options.emailFrom,
      to: options.emailTo,
      messageId,
      ...(localPath ? { localPath } : {}),
    };
  };

  /**
   * Composes and encodes the lead email, or, given follow-up facts, its n-th follow-up (only the
   * turns it is given are read for photos), handing the bytes to `onPiece` as they are encoded.
   * Stores nothing.
   */
  async function compose(facts: LeadEmailFacts | FollowUpFacts, onPiece?: (piece: Uint8Array) => void) {
    const attachments = await loadLeadAttachments(facts.transcript.text, options);
    const input = {
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
    };
    const email: LeadEmail =
      "number" in facts ? composeFollowUpEmail({ ...input, ...facts }) : composeLeadEmail(input);
    return { email, raw: await buildMime(email, { date: facts.date, onPiece }), attachments };
  }

  return {
    compose,

    /**
     * {@link compose}, keeping the bytes for every resend: written while they are encoded when the
     * store can, stored whole after otherwise. Throws when they cannot be stored.
     */
    async prepare(facts: LeadEmailFacts | FollowUpFacts): Promise<PreparedLeadEmail> {
      const emailKey = preparedEmailKey(facts.threadId, "number" in facts ? facts.number : 0);
      const stored = { contentType: MESSAGE_TYPE };
      const writer = await blobs.startPut?.(emailKey, stored);
      let composed: Awaited<ReturnType<typeof compose>>;
      try {
        composed = await compose(facts, writer?.append);
      } catch (error) {
        await writer?.discard();
        throw error;
      }
      const { email, raw, attachments } = composed;
      await (writer ? writer.commit() : blobs.put(emailKey, raw, stored));
      return {
        mail: envelope(raw, email.messageId, emailKey),
        emailKey,
        subject: email.subject,
        detail: {
          attachments: attachments.length,
          inlined: attachments.filter((a) => a.inline).length,
          bytes: raw.byteLength,
        },
      };
    },

    /** The message prepared before, or null when its bytes are gone (then it is prepared again). */
    async load(emailKey: string, messageId: string, subject: string): Promise<PreparedLeadEmail | null> {
      const blob = await blobs.get(emailKey);
      if (!blob) return null;
      const detail = { attachments: 0, inlined: 0, bytes: blob.bytes.byteLength };
      return { mail: envelope(blob.bytes, messageId, emailKey), emailKey, subject, detail };
    },
  };
}

/** The prepared-email use case. */
export type LeadEmailPreparer = ReturnType<typeof createLeadEmailPreparer>;

import type { Transcript, TranscriptTurn } from "../chat/transcript.js";
import type { TriggerReason } from "../lead-gate.js";
import type { LeadSummary } from "../lead-summary.js";

// The shapes of the lead email: what composing takes, what the renderers read, what comes out.

/** A photo embedded in the email as a `cid:` part. */
export interface InlinePhoto {
  cid: string;
  filename: string;
  contentType: string;
  bytes: Uint8Array;
}

/** One customer attachment: always listed as a link, shown inline when `inline` is set. */
export interface LeadEmailAttachment {
  name: string;
  mimeType: string;
  url: string;
  inline: InlinePhoto | null;
  /** Why it is not inline, e.g. "too large to show inline". */
  note: string | null;
}

/** Everything the lead email is made of; the lead service gathers it. */
export interface ComposeLeadEmailInput {
  threadId: string;
  summary: LeadSummary;
  transcript: Transcript;
  attachments: LeadEmailAttachment[];
  smsLinkUrl: string | null;
  from: string;
  to: string[];
  triggerReason: TriggerReason;
  summarizerName: string;
  /** Extra diagnostics rows (attribution, added later). */
  diagnostics?: Record<string, string>;
}

/** The finished email as a value; services/mime.ts turns it into bytes. */
export interface LeadEmail {
  subject: string;
  from: string;
  to: string[];
  replyTo: string | null;
  messageId: string;
  headers: Record<string, string>;
  text: string;
  html: string;
  inline: InlinePhoto[];
}

/** One row of the summary card. `href` is built by us (tel:/mailto:), never taken from input. */
export interface LeadField {
  label: string;
  value: string | null;
  href: string | null;
  /** The summarizer listed this field as missing: highlight it. */
  missing: boolean;
}

/** Everything the renderers need, already cleaned (single-line where it must be, URLs checked). */
export interface LeadEmailView {
  subject: string;
  /** The 2-3 sentence summary for the owner. */
  summary: string;
  firstName: string | null;
  phone: { display: string; tel: string } | null;
  email: string | null;
  /** http(s) only; null when absent or unsafe. */
  smsLinkUrl: string | null;
  fields: LeadField[];
  missing: string[];
  photos: Array<InlinePhoto & { alt: string }>;
  attachments: Array<{
    name: string;
    mimeType: string;
    url: string | null;
    inline: boolean;
    note: string | null;
  }>;
  turns: TranscriptTurn[];
  diagnostics: Array<[string, string]>;
}

import {
  buildLeadView,
  describeItem,
  describeService,
  oneLine,
  photoCount,
  plainEmail,
  truncate,
} from "./lead-view.js";
import { renderLeadHtml } from "./render-html.js";
import { renderLeadText } from "./render-text.js";
import type { ComposeLeadEmailInput, InlinePhoto, LeadEmail, LeadEmailView } from "./types.js";

const SUBJECT_MAX = 120;

function sanitizeToken(value: string, fallback: string): string {
  const cleaned = value.replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 128);
  return cleaned || fallback;
}

/** `<lead-<thread_id>@<domain of from>>`: deterministic, so a retried send carries the same id. */
export function leadMessageId(threadId: string, from: string): string {
  const address = /<([^<>]*)>/.exec(from)?.[1] ?? from;
  const domain = (address.split("@").pop() ?? "").replace(/[^A-Za-z0-9.-]/g, "").replace(/^\.+|\.+$/g, "");
  const host = address.includes("@") && domain ? domain : "lead-handoff.local";
  return `<lead-${sanitizeToken(threadId, "unknown")}@${host}>`;
}

/** `New lead: Maria Lopez - 2012 Honda Civic, seat repair (2 photos)`, header-safe and capped. */
export function leadSubject(input: ComposeLeadEmailInput): string {
  const name = oneLine(input.summary.customer_name);
  const what = [describeItem(input.summary), describeService(input.summary)].filter(Boolean).join(", ");
  const head = [name, oneLine(what)].filter(Boolean).join(" - ");
  const photos = photoCount(input);
  const tail = photos > 0 ? ` (${photos} ${photos === 1 ? "photo" : "photos"})` : "";
  return truncate(oneLine(`New lead${head ? `: ${head}` : ""}${tail}`), SUBJECT_MAX);
}

/** Content-IDs must be header-safe and unique; renamed consistently for the HTML and the MIME parts. */
function uniqueCids(photos: InlinePhoto[]): InlinePhoto[] {
  const seen = new Set<string>();
  return photos.map((photo, index) => {
    let cid = photo.cid.replace(/[^A-Za-z0-9_.@-]/g, "_").slice(0, 200) || `photo-${index + 1}@lead`;
    while (seen.has(cid)) cid = `${index + 1}.${cid}`;
    seen.add(cid);
    return { ...photo, cid, filename: oneLine(photo.filename) || `photo-${index + 1}.jpg` };
  });
}

/** How one email differs from the first lead email: its subject, id, view and extra headers. */
export interface EmailShape {
  subject: string;
  messageId: string;
  /** Adjusts what the renderers show (a follow-up shows only what changed). */
  view?: (view: LeadEmailView) => LeadEmailView;
  headers?: Record<string, string>;
}

/** Builds an owner email of the given shape from the lead's facts (pure). */
export function composeOwnerEmail(input: ComposeLeadEmailInput, shape: EmailShape): LeadEmail {
  const inline = uniqueCids(input.attachments.flatMap((a) => (a.inline ? [a.inline] : [])));
  const base = buildLeadView(input, shape.subject, inline);
  const view = shape.view ? shape.view(base) : base;
  return {
    subject: shape.subject,
    from: input.from,
    to: [...input.to],
    replyTo: plainEmail(input.summary.email),
    messageId: shape.messageId,
    headers: {
      // RFC 3834: responders must not auto-reply; the Reply-To is the customer.
      "Auto-Submitted": "auto-generated",
      "X-Auto-Response-Suppress": "OOF, AutoReply",
      "X-Lead-Thread-Id": sanitizeToken(input.threadId, "unknown"),
      ...shape.headers,
    },
    text: renderLeadText(view),
    html: renderLeadHtml(view),
    inline,
  };
}

/** Composes the owner's lead email (pure: same input, same output). */
export function composeLeadEmail(input: ComposeLeadEmailInput): LeadEmail {
  return composeOwnerEmail(input, {
    subject: leadSubject(input),
    messageId: leadMessageId(input.threadId, input.from),
  });
}

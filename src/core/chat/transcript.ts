import { z } from "zod";
import { attachmentSchema, createdAtSchema, readMessageItem } from "./message-item.js";

/** An attachment as it appears on a thread item (hosted ChatKit and our own store alike). */
export interface AttachmentRef {
  id: string;
  name: string;
  mime_type: string;
  type: "image" | "file";
  preview_url: string;
}

/** One turn of the conversation, in the words of whoever said it. */
export interface TranscriptTurn {
  role: "customer" | "assistant";
  text: string;
  /** Epoch milliseconds, or null when the item carried no timestamp. */
  createdAt: number | null;
  attachments: AttachmentRef[];
  /** The customer's thumbs up or down on an assistant reply (`items.feedback`), when given. */
  feedback?: "positive" | "negative";
  /**
   * What the customer quoted from earlier in the conversation (ChatKit `quoted_text`: replying to
   * a quote of, say, the assistant's message), on one line. It is NOT the customer's own words, so
   * it never goes into `text`: extraction (contact, name, vehicle) reads `text` only.
   */
  quoted?: string;
}

/** The conversation, both as turns and as the text the reference deployment builds. */
export interface Transcript {
  turns: TranscriptTurn[];
  /**
   * `Customer: ...` / `Assistant: ...` lines (a quote first as `> ...`) plus one
   * `Attachment: name (mime) url` line per attachment.
   */
  text: string;
}

const neutralItemSchema = z.object({
  role: z.enum(["user", "assistant"]),
  text: z.string(),
  created_at: createdAtSchema,
  attachments: z.array(attachmentSchema).default([]),
});

/** `created_at` is unix seconds on the hosted API and an ISO date in the self-hosted protocol. */
function toMillis(value: number | string | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return value < 1e12 ? value * 1000 : value;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? null : parsed;
}

/** One line, no control characters: customer text must not be able to forge transcript lines. */
function singleLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, " ").trim();
}

/** Longest quote shown, in characters: enough to tell which message the customer answers. */
const MAX_QUOTE_CHARS = 300;

/** The quote as one bounded line, or undefined when there is none. */
function quoteOf(parts: readonly (string | null | undefined)[]): string | undefined {
  const line = singleLine(parts.filter(Boolean).join(" "));
  if (!line) return undefined;
  const chars = Array.from(line);
  return chars.length <= MAX_QUOTE_CHARS ? line : `${chars.slice(0, MAX_QUOTE_CHARS - 1).join("")}…`;
}

/** Parses one thread item of any supported shape; returns null for item types we do not read. */
export function toTurn(item: unknown): TranscriptTurn | null {
  const message = readMessageItem(item);
  if (message) {
    const { type, content, attachments, created_at, feedback, quoted_text } = message;
    const role = type.endsWith("user_message") ? "customer" : "assistant";
    // Only a customer quotes; the quote stays out of `text`, so extraction never reads it.
    const quoted =
      role === "customer"
        ? quoteOf([
            quoted_text,
            ...content.filter((part) => part.type === "quoted_text").map((part) => part.text),
          ])
        : undefined;
    // A tag the customer picked in the composer reads as what it says ("Seat repair").
    const text = content
      .filter(
        (part) => part.type === "input_text" || part.type === "output_text" || part.type === "input_tag",
      )
      .map((part) => part.text ?? "")
      .join("\n")
      .trim();
    return {
      role,
      text,
      createdAt: toMillis(created_at),
      attachments,
      ...(feedback ? { feedback } : {}),
      ...(quoted ? { quoted } : {}),
    };
  }
  const neutral = neutralItemSchema.safeParse(item);
  if (neutral.success) {
    const { role, text, attachments, created_at } = neutral.data;
    return {
      role: role === "user" ? "customer" : "assistant",
      text: text.trim(),
      createdAt: toMillis(created_at),
      attachments,
    };
  }
  return null;
}

/**
 * Builds the transcript from thread items (hosted `chatkit.*` items, our own items, or neutral
 * `{role, text}` items), in chronological order. Items without a timestamp keep their position.
 */
export function buildTranscript(items: readonly unknown[]): Transcript {
  const turns = items
    .map((item, index) => ({ turn: toTurn(item), index }))
    .filter((entry): entry is { turn: TranscriptTurn; index: number } => entry.turn !== null)
    .sort((a, b) => {
      const ta = a.turn.createdAt;
      const tb = b.turn.createdAt;
      if (ta === null || tb === null || ta === tb) return a.index - b.index;
      return ta - tb;
    })
    .map((entry) => entry.turn)
    .filter((turn) => turn.text.length > 0 || turn.attachments.length > 0);
  return { turns, text: renderTranscriptText(turns) };
}

/**
 * The customer's ratings of the assistant's replies as one diagnostics row for the owner, or
 * nothing when they rated none: `{ "Reply feedback": "1 helpful, 2 not helpful" }`.
 */
export function feedbackRow(transcript: Transcript): Record<string, string> {
  const rated = transcript.turns.flatMap((turn) => (turn.feedback ? [turn.feedback] : []));
  if (rated.length === 0) return {};
  const helpful = rated.filter((kind) => kind === "positive").length;
  return { "Reply feedback": `${helpful} helpful, ${rated.length - helpful} not helpful` };
}

/**
 * One `Attachment: <name> (<mime>) <preview_url>` line, each part flattened to one line. The widget
 * on the hosted page writes the same form for the photos it uploaded (web/widget/hosted-photos.ts).
 */
export function attachmentLine(a: Pick<AttachmentRef, "name" | "mime_type" | "preview_url">): string {
  return `Attachment: ${singleLine(a.name)} (${singleLine(a.mime_type)}) ${singleLine(a.preview_url)}`;
}

/**
 * Renders turns in the reference deployment's text form. A quote comes first, as `> ...` on the
 * speaker's line, and the customer's own words follow as continuation lines.
 */
export function renderTranscriptText(turns: readonly TranscriptTurn[]): string {
  const lines: string[] = [];
  for (const turn of turns) {
    const speaker = turn.role === "customer" ? "Customer" : "Assistant";
    const said = turn.text ? turn.text.split(/\r?\n/) : [];
    const [first, ...rest] = turn.quoted ? [`> ${singleLine(turn.quoted)}`, ...said] : said;
    if (first !== undefined) lines.push(`${speaker}: ${first}`, ...rest.map((line) => `  ${line}`));
    for (const a of turn.attachments) lines.push(attachmentLine(a));
  }
  return lines.join("\n");
}

/** True when the customer has said or sent anything. */
export function hasCustomerInput(transcript: Transcript): boolean {
  return transcript.turns.some((turn) => turn.role === "customer");
}

/** Text of what the customer said, one entry per turn (never the assistant's words). */
export function customerTexts(transcript: Transcript): string[] {
  return transcript.turns.filter((t) => t.role === "customer" && t.text).map((t) => t.text);
}

const ATTACHMENT_LINE = /^Attachment: (.*) \(([^()\s]+)\) (\S+)$/;

/** Counts the images the customer attached (the assistant never sends photos of the job). */
export function countCustomerImages(transcript: Transcript): number {
  return transcript.turns
    .filter((turn) => turn.role === "customer")
    .flatMap((turn) => turn.attachments)
    .filter((a) => a.type === "image" || a.mime_type.toLowerCase().startsWith("image/")).length;
}

/** An attachment as read back from an `Attachment:` transcript line. */
export interface TranscriptAttachment {
  name: string;
  mime_type: string;
  preview_url: string;
}

/** Parses the `Attachment:` lines of a transcript text back into attachments, in order. */
export function extractAttachments(text: string): TranscriptAttachment[] {
  const found: TranscriptAttachment[] = [];
  for (const line of text.split("\n")) {
    const match = ATTACHMENT_LINE.exec(line);
    if (match?.[1] !== undefined && match[2] && match[3]) {
      found.push({ name: match[1], mime_type: match[2], preview_url: match[3] });
    }
  }
  return found;
}

/** The only storage keys we ever read: our own upload prefix, a plain id and a short extension. */
const STORAGE_KEY = /^chatkit-attachments\/[A-Za-z0-9_-]{1,128}\.[a-z0-9]{1,8}$/;

/** True when `key` has the exact shape of a key our upload endpoint creates. */
export function isAttachmentStorageKey(key: string): boolean {
  return STORAGE_KEY.test(key);
}

/**
 * Extracts the blob key from a preview URL, but only when the URL points at OUR preview endpoint
 * (same origin and path as `previewBaseUrl`) and carries exactly one raw `id=` of the form
 * `chatkit-attachments/<id>.<ext>`. Anything else (other hosts, `..`, percent-encoding, absolute
 * paths, extra characters) returns null: we never fetch a URL the customer could have named.
 */
export function parseAttachmentStorageKey(previewUrl: string, previewBaseUrl: string): string | null {
  let url: URL;
  let base: URL;
  try {
    url = new URL(previewUrl);
    base = new URL(previewBaseUrl);
  } catch {
    return null;
  }
  const trim = (path: string) => path.replace(/\/+$/, "");
  if (url.origin !== base.origin || trim(url.pathname) !== trim(base.pathname)) return null;
  if (url.username || url.password || url.hash) return null;
  const params = url.search.replace(/^\?/, "").split("&");
  if (params.length !== 1) return null;
  const [name, value, ...extra] = (params[0] ?? "").split("=");
  if (name !== "id" || value === undefined || extra.length > 0) return null;
  // The raw (undecoded) value must already be a valid key, so `%2F`, `%2e%2e` and friends never pass.
  return isAttachmentStorageKey(value) ? value : null;
}

/**
 * The upload key one line of customer text names, when the line has the `Attachment:` form and its
 * URL is OUR preview URL of one of our keys (see {@link parseAttachmentStorageKey}); else null. The
 * key still says nothing about who uploaded it: the caller checks that against the upload's row.
 */
export function attachmentLineKey(line: string, previewBaseUrl: string): string | null {
  const url = ATTACHMENT_LINE.exec(line.trim())?.[3];
  return url ? parseAttachmentStorageKey(url, previewBaseUrl) : null;
}

/** The attachment id inside one of our keys (`chatkit-attachments/<id>.<ext>`), or null. */
export function attachmentIdOfKey(key: string): string | null {
  if (!isAttachmentStorageKey(key)) return null;
  return key.slice(key.indexOf("/") + 1, key.lastIndexOf("."));
}

/** The preview URL our upload endpoint hands out for a key. */
export function attachmentPreviewUrl(previewBaseUrl: string, key: string): string {
  return `${previewBaseUrl}?id=${key}`;
}

import type { LeadSummary } from "../lead-summary.js";
import { ITEM_WORDS, SERVICE_WORDS } from "../vocabulary.js";
import { describePreference } from "./preference.js";
import type { ComposeLeadEmailInput, InlinePhoto, LeadEmailView, LeadField } from "./types.js";

// What the lead email shows, cleaned once here so both renderers (HTML and text) stay simple and
// agree: customer text single-line where it must be, control characters gone, URLs checked.

/** Removes control characters (C0, DEL, C1, Unicode line separators) and collapses whitespace. */
export function oneLine(value: string | null | undefined): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  return (value ?? "").replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\s]+/g, " ").trim();
}

/** Like oneLine but keeps line breaks (transcript text, details). */
export function multiLine(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  return value.replace(/\r\n?/g, "\n").replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/g, " ");
}

/** Caps on code points (never splits a surrogate pair), marking the cut with an ellipsis. */
export function truncate(value: string, max: number): string {
  const chars = Array.from(value);
  return chars.length <= max
    ? value
    : `${chars
        .slice(0, max - 1)
        .join("")
        .trimEnd()}…`;
}

/** The URL when it is absolute http(s), else null: nothing else may become an href. */
export function safeHttpUrl(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** The address when it plainly looks like one (safe as a header value and a mailto:), else null. */
export function plainEmail(value: string | null | undefined): string | null {
  const trimmed = (value ?? "").trim();
  return trimmed.length <= 254 && EMAIL.test(trimmed) ? trimmed : null;
}

/** "2012 Honda Civic", or the item type ("boat") when no make/model is known. */
export function describeItem(summary: LeadSummary): string | null {
  const v = summary.vehicle;
  if (v && (v.make || v.model)) return oneLine([v.year, v.make, v.model].filter(Boolean).join(" ")) || null;
  if (summary.item_type) return ITEM_WORDS[summary.item_type].field || null;
  return null;
}

/** "seat repair"; "other service" for the catch-all. */
export function describeService(summary: LeadSummary): string | null {
  if (!summary.service_category) return null;
  return SERVICE_WORDS[summary.service_category].field;
}

/** The photos the owner gets: image attachments, else what the summarizer counted. */
export function photoCount(input: ComposeLeadEmailInput): number {
  const images = input.attachments.filter((a) => a.mimeType.toLowerCase().startsWith("image/")).length;
  return input.attachments.length > 0 ? images : input.summary.photo_count;
}

function formatPhone(e164: string): { display: string; tel: string } | null {
  const tel = e164.replace(/[^\d+]/g, "");
  if (!/^\+?\d{5,16}$/.test(tel)) return null;
  const nanp = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(tel);
  return { display: nanp ? `(${nanp[1]}) ${nanp[2]}-${nanp[3]}` : tel, tel };
}

/** Cleans and labels everything the renderers show; the renderers only format and escape. */
export function buildLeadView(
  input: ComposeLeadEmailInput,
  subject: string,
  inline: InlinePhoto[],
): LeadEmailView {
  const s = input.summary;
  const missing = s.missing.map(oneLine).filter(Boolean);
  const isMissing = (...keys: string[]) => missing.some((m) => keys.includes(m.toLowerCase()));
  const phone = s.phone ? formatPhone(s.phone) : null;
  const email = plainEmail(s.email);
  const name = truncate(oneLine(s.customer_name), 80) || null;
  const field = (
    lbl: string,
    value: string | null,
    keys: string[],
    href: string | null = null,
  ): LeadField => ({
    label: lbl,
    value: value ? multiLine(value).trim() || null : null,
    href,
    missing: !value && isMissing(...keys),
  });
  const photos = photoCount(input);
  return {
    subject,
    summary: multiLine(s.summary).trim(),
    firstName: name ? truncate(name.split(" ")[0] ?? name, 30) : null,
    phone,
    email,
    smsLinkUrl: safeHttpUrl(input.smsLinkUrl),
    fields: [
      field("Name", name, ["name", "customer_name"]),
      field("Phone", phone?.display ?? null, ["contact", "phone"], phone ? `tel:${phone.tel}` : null),
      field("Email", email, ["contact", "email"], email ? `mailto:${email}` : null),
      field("Prefers", describePreference(s), ["preferred_contact", "contact_time"]),
      field("Vehicle / item", describeItem(s), ["vehicle", "item_type", "item"]),
      field("Service", describeService(s), ["service", "service_category"]),
      field("Details", s.service_details, ["details", "service_details"]),
      field("Timeline", s.timeline, ["timeline"]),
      field("Budget", s.budget, ["budget"]),
      field("Location", s.location, ["location"]),
      field("Photos", photos > 0 ? `${photos} (${inline.length} shown below)` : null, ["photos", "photo"]),
    ],
    missing,
    photos: inline.map((p, i) => ({ ...p, alt: `Customer photo ${i + 1}: ${p.filename}` })),
    attachments: input.attachments.map((a) => ({
      name: oneLine(a.name) || "attachment",
      mimeType: oneLine(a.mimeType),
      url: safeHttpUrl(a.url),
      inline: a.inline !== null,
      note: a.note ? oneLine(a.note) : null,
    })),
    turns: input.transcript.turns.map((t) => ({
      ...t,
      text: multiLine(t.text),
      ...(t.quoted ? { quoted: oneLine(t.quoted) } : {}),
      attachments: t.attachments.map((a) => ({ ...a, name: oneLine(a.name) || "attachment" })),
    })),
    diagnostics: [
      ["Thread", oneLine(input.threadId)],
      ["Trigger", input.triggerReason],
      ["Summarizer", oneLine(input.summarizerName)],
      ...Object.entries(input.diagnostics ?? {}).map(([k, v]): [string, string] => [oneLine(k), oneLine(v)]),
    ],
  };
}

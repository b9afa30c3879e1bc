import { z } from "zod";

/** Longest click id or UTM value we keep; real ones are far shorter, so longer means junk. */
export const MAX_ATTRIBUTION_VALUE_CHARS = 200;
/** Longest landing page or referrer URL we keep (URLs with tracking query strings get long). */
export const MAX_ATTRIBUTION_URL_CHARS = 2000;

/** Known keys, in the order the email's diagnostics block shows them, with their labels. */
export const ATTRIBUTION_LABELS = {
  gclid: "Google click ID (gclid)",
  gbraid: "Google app click ID (gbraid)",
  wbraid: "Google web-to-app click ID (wbraid)",
  utm_source: "UTM source",
  utm_medium: "UTM medium",
  utm_campaign: "UTM campaign",
  utm_term: "UTM term",
  utm_content: "UTM content",
  landing_page: "Landing page",
  referrer: "Referrer",
  first_seen_at: "First seen",
} as const;

export type AttributionKey = keyof typeof ATTRIBUTION_LABELS;

const value = z.string().max(MAX_ATTRIBUTION_VALUE_CHARS).exactOptional();
// Only http(s): a `javascript:` or `data:` URL must never reach the owner's email as a link.
const webUrl = z
  .url({ protocol: /^https?$/, hostname: z.regexes.hostname })
  .max(MAX_ATTRIBUTION_URL_CHARS)
  .exactOptional();

/**
 * `metadata.attribution` as `threads.create` accepts it: known keys only (an unknown key is an
 * error, so a typo or a widget bug shows up instead of silently losing data), every value bounded.
 * Keys are optional but, when present, must be valid; `exactOptional` keeps the output free of
 * `key: undefined` (exactOptionalPropertyTypes).
 */
export const attributionSchema = z.strictObject({
  gclid: value,
  gbraid: value,
  wbraid: value,
  utm_source: value,
  utm_medium: value,
  utm_campaign: value,
  utm_term: value,
  utm_content: value,
  landing_page: webUrl,
  referrer: webUrl,
  first_seen_at: z.iso.datetime({ offset: true }).exactOptional(),
});

/**
 * Where the visitor came from (first touch), as the widget captured it and the server validated it.
 * The one attribution type: the store port and the widget use it too.
 */
export type Attribution = z.infer<typeof attributionSchema>;

/**
 * Rows for the lead email's diagnostics block: `[label, value]` in a fixed order, skipping absent
 * and blank values so the owner sees only what is known. Takes any partial record so stored rows
 * (read back from a database, not re-validated) work too.
 */
export function attributionRows(
  attribution: Readonly<Partial<Record<AttributionKey, string>>>,
): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  for (const [key, label] of Object.entries(ATTRIBUTION_LABELS) as Array<[AttributionKey, string]>) {
    const text = attribution[key]?.trim();
    if (text) rows.push([label, text]);
  }
  return rows;
}

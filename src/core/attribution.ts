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
 * A valid attribution: known keys only, every value bounded. Keys are optional but, when present,
 * must be valid; `exactOptional` keeps the output free of `key: undefined`
 * (exactOptionalPropertyTypes). `threads.create` does not refuse what fails here: it keeps the valid
 * keys through {@link sanitizeAttribution} and logs the names of the others.
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

/** The most dropped keys {@link sanitizeAttribution} names; the rest are counted. */
export const MAX_DROPPED_KEYS_NAMED = 20;

/** What {@link sanitizeAttribution} kept and which keys it dropped. */
export interface SanitizedAttribution {
  /** Every known key whose value is valid, unchanged. */
  attribution: Attribution;
  /**
   * Names of the dropped keys (never their values), in input order: known keys with an invalid
   * value, and unknown keys. An unknown key is named only when it looks like a parameter name
   * (`[A-Za-z0-9_.-]`, at most 40 characters), else `(unnamed)`; past {@link MAX_DROPPED_KEYS_NAMED}
   * one `(+N more)` stands for the rest. `*` means the whole value was not an object.
   */
  dropped: string[];
}

const KEY_NAME = /^[A-Za-z0-9_.-]{1,40}$/;

/**
 * Keeps what is valid of a client's `metadata.attribution`: each known key is checked on its own,
 * so one bad value (a relative `landing_page`, an over-long UTM tag, a number) or an unknown key
 * costs only itself, never the rest and never the conversation. Pure: logging is the caller's.
 */
export function sanitizeAttribution(input: unknown): SanitizedAttribution {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return { attribution: {}, dropped: ["*"] };
  }
  const record = input as Record<string, unknown>;
  const shape = attributionSchema.shape;
  const valid = new Set<string>();
  const dropped: string[] = [];
  for (const key of Object.keys(record)) {
    const field = Object.hasOwn(shape, key) ? shape[key as AttributionKey] : undefined;
    if (field && record[key] !== undefined && field.safeParse(record[key]).success) valid.add(key);
    else dropped.push(field || KEY_NAME.test(key) ? key : "(unnamed)");
  }
  // The schema's key order, as attributionSchema.parse would give for a valid input.
  const attribution: Partial<Record<AttributionKey, string>> = {};
  for (const key of Object.keys(shape) as AttributionKey[]) {
    if (valid.has(key)) attribution[key] = record[key] as string;
  }
  if (dropped.length > MAX_DROPPED_KEYS_NAMED) {
    const more = dropped.length - MAX_DROPPED_KEYS_NAMED;
    dropped.splice(MAX_DROPPED_KEYS_NAMED, more, `(+${more} more)`);
  }
  return { attribution, dropped };
}

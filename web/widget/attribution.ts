import type { Attribution } from "../../src/core/attribution.js";
import { ATTRIBUTION_KEY, load, save } from "./storage.js";

export type { Attribution };

/** First touch is kept this long, then the next landing replaces it. */
export const ATTRIBUTION_TTL_MS = 90 * 24 * 60 * 60 * 1000;

/** The keys the server accepts (it rejects unknown keys, so utm_id and friends are not sent). */
const PARAMS = [
  "gclid",
  "gbraid",
  "wbraid",
  "utm_source",
  "utm_medium",
  "utm_campaign",
  "utm_term",
  "utm_content",
] as const;

interface Stored {
  saved_at: number;
  data: Attribution;
}

/** An http(s) URL within the server's bound, or undefined (the server refuses anything else). */
function webUrl(value: string): string | undefined {
  if (!/^https?:\/\//i.test(value) || value.length > 2000) return undefined;
  return value;
}

/** Reads the attribution of this landing from the URL and the referrer. */
export function readLanding(href: string, referrer: string, now: Date): Attribution {
  const url = new URL(href);
  const data: Attribution = {};
  for (const key of PARAMS) {
    const value = url.searchParams.get(key)?.trim();
    // Empty values are refused by the server; absurdly long ones are junk.
    if (value && value.length <= 200) data[key] = value;
  }
  url.hash = "";
  const landing = webUrl(url.href);
  if (landing) data.landing_page = landing;
  const ref = webUrl(referrer);
  if (ref) data.referrer = ref;
  data.first_seen_at = now.toISOString();
  return data;
}

/**
 * Keeps the first touch: stores this landing unless a touch younger than 90 days is stored, and
 * returns what to send with `threads.create`.
 */
export function captureAttribution(now = new Date()): Attribution {
  const raw = load(ATTRIBUTION_KEY);
  if (raw) {
    try {
      const stored = JSON.parse(raw) as Stored;
      if (now.getTime() - stored.saved_at < ATTRIBUTION_TTL_MS && stored.data) return stored.data;
    } catch {
      // Corrupt entry: replaced below.
    }
  }
  const data = readLanding(location.href, document.referrer, now);
  save(ATTRIBUTION_KEY, JSON.stringify({ saved_at: now.getTime(), data } satisfies Stored));
  return data;
}

// The "text the customer back" link: its record, token shape, lifetime, drafted reply and sms: URI.

import type { ServiceCategory } from "./lead-summary.js";
import { SERVICE_WORDS } from "./vocabulary.js";

/** What an SMS link token opens. Times are epoch ms. */
export interface SmsLinkRecord {
  token: string;
  threadId: string;
  /** E.164 phone number to text. */
  phone: string;
  customerName: string | null;
  /** The drafted reply. */
  body: string;
  createdAt: number;
  expiresAt: number;
}

/** Which SMS URI form and page layout a visitor gets. */
export type SmsPlatform = "ios" | "android" | "desktop";

const DAY_MS = 86_400_000;

/**
 * Token shape: base64url, 22 chars (128 bits) or more. Checked before any store read so junk
 * (`../x`, huge strings) never reaches a database.
 */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{22,64}$/;

/** True when `token` looks like one we issue (not whether it exists). */
export function isSmsLinkTokenShape(token: string): boolean {
  return TOKEN_SHAPE.test(token);
}

/** Expiry time (epoch ms) of a link created at `now` that lives `ttlDays` days. */
export function newSmsLinkExpiry(now: number, ttlDays: number): number {
  return now + ttlDays * DAY_MS;
}

/** Strips control characters and collapses whitespace: the name is customer text. */
export function tidy(text: string | null | undefined, max: number): string {
  const clean = (text ?? "")
    .replace(/\p{Cc}+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  // By code point, so a cut never splits an emoji's surrogate pair.
  const chars = Array.from(clean);
  return chars.length > max ? chars.slice(0, max).join("").trim() : clean;
}

/**
 * A friendly drafted reply, e.g. "Hi Maria, this is Craig's Auto Upholstery about your seat
 * repair request. " The trailing space leaves the cursor ready for the owner's own words.
 */
export function smsDraftBody(input: {
  customerName: string | null;
  shopName?: string;
  service?: ServiceCategory | null;
}): string {
  // First name only: "Hi Maria" reads like a person; "Hi Maria Lopez-Garcia" like a form letter.
  const firstName = tidy(input.customerName, 40).split(" ")[0] ?? "";
  const greeting = firstName ? `Hi ${firstName}` : "Hi";
  const service = input.service ? SERVICE_WORDS[input.service].request : "";
  const request = service ? `your ${service} request` : "your request";
  const shop = tidy(input.shopName, 80);
  return shop
    ? `${greeting}, this is ${shop} about ${request}. `
    : `${greeting}, following up on ${request}. `;
}

/**
 * An `sms:` URI that opens the Messages app with a drafted body. iOS (8+) reads the body after
 * `&` straight after the number; Android follows RFC 5724 (`?body=`).
 */
export function smsUri(phone: string, body: string, platform: "ios" | "android"): string {
  // Only + and digits: the number ends up in a URI and must not smuggle in parameters.
  const number = phone.replace(/[^\d+]/g, "");
  const separator = platform === "ios" ? "&" : "?";
  return `sms:${number}${separator}body=${encodeURIComponent(body)}`;
}

/** Guesses the platform from a User-Agent header. iPadOS claims to be a Mac; the page script fixes that. */
export function detectPlatform(userAgent: string | undefined): SmsPlatform {
  const ua = userAgent ?? "";
  if (/\b(iPhone|iPad|iPod)\b/i.test(ua)) return "ios";
  if (/\bAndroid\b/i.test(ua)) return "android";
  return "desktop";
}

/** "+15125550123" -> "+1 512-555-0123"; other numbers as given. */
export function formatPhoneForDisplay(phone: string): string {
  const nanp = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(phone);
  return nanp ? `+1 ${nanp[1]}-${nanp[2]}-${nanp[3]}` : phone;
}

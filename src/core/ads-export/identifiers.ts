import { createHash } from "node:crypto";
import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js";

/**
 * Email and phone as enhanced conversions for leads want them: normalized, then SHA-256 as lowercase
 * hex. The rules are Google's, from "Normalization and hashing" in
 * https://developers.google.com/google-ads/api/docs/conversions/upload-identifiers and the
 * `UserIdentifier` reference (https://developers.google.com/google-ads/api/reference/rpc/latest/UserIdentifier):
 * trim leading and trailing whitespace, lowercase, phone numbers in E.164 (`+16502531234`), and
 * remove every period before the domain of gmail.com and googlemail.com addresses
 * (the same list in https://developers.google.com/doubleclick-advertisers/guides/conversions_ec).
 * Google lists no other rewriting: a `+tag` stays, since the Google tag on the site hashes it the
 * same way and the two hashes must meet.
 */

/** Domains whose mailbox names ignore periods (Google's list). */
const GMAIL_DOMAINS = new Set(["gmail.com", "googlemail.com"]);
/** One `@`, something on each side, no whitespace inside. */
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Google's normalized form of an email address, or null when it is not one. */
export function normalizeEmail(raw: string): string | null {
  const email = raw.trim().toLowerCase();
  if (!EMAIL_SHAPE.test(email)) return null;
  const at = email.lastIndexOf("@");
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (!GMAIL_DOMAINS.has(domain)) return email;
  const bare = local.replaceAll(".", "");
  return bare ? `${bare}@${domain}` : null;
}

/** E.164 (`+15125550123`), or null when libphonenumber finds no valid number. */
export function normalizePhone(raw: string, defaultRegion: CountryCode): string | null {
  const parsed = parsePhoneNumberFromString(raw.trim(), defaultRegion);
  return parsed?.isValid() ? parsed.number : null;
}

/** SHA-256 of the UTF-8 text, lowercase hex (64 characters). */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** The hashed email for the upload, or null when there is no usable address. */
export function hashedEmail(raw: string | undefined): string | null {
  const email = raw === undefined ? null : normalizeEmail(raw);
  return email === null ? null : sha256Hex(email);
}

/** The hashed phone for the upload, or null when there is no valid number. */
export function hashedPhone(raw: string | undefined, defaultRegion: CountryCode): string | null {
  const phone = raw === undefined ? null : normalizePhone(raw, defaultRegion);
  return phone === null ? null : sha256Hex(phone);
}

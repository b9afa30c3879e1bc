import type { CountryCode } from "libphonenumber-js";
import type { BusinessProfile } from "../business-profile.js";
import { findEmails, findPhones } from "./contact.js";

/**
 * The shop's own phone numbers and email addresses (E.164 and lowercased). A customer who writes
 * "I tried calling you at (512) 555-0142" has not given their number: these are never the customer's.
 */
export interface ShopContact {
  phones: ReadonlySet<string>;
  emails: ReadonlySet<string>;
}

/** No shop contact known (tests, the CLI on a bare transcript). */
export const NO_SHOP_CONTACT: ShopContact = { phones: new Set(), emails: new Set() };

/** The shop's contact as the business profile states it, normalized like the customer's. */
export function shopContactOf(
  profile: Pick<BusinessProfile, "phone" | "email">,
  region: CountryCode,
): ShopContact {
  return {
    phones: new Set(findPhones(profile.phone, region)),
    emails: new Set(profile.email ? findEmails(profile.email) : []),
  };
}

import type { CountryCode } from "libphonenumber-js";
import type { BusinessProfile } from "../business-profile.js";
import { findEmails, findPhones, type ShopContact } from "./contact.js";

export type { ShopContact };

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

import { conversionsOf, countSkip, parametersRow, withinClickWindow } from "./conversions.js";
import { toCsv } from "./csv.js";
import { hashedEmail, hashedPhone } from "./identifiers.js";
import type { ExportFile, ExportLead, ExportSettings } from "./types.js";

/**
 * Enhanced conversions for leads: the customer's email and phone, normalized and SHA-256 hashed
 * (identifiers.ts), with the conversion name and time, for every sent lead with a usable contact,
 * click id or not: Google matches the hashes against the data its tag saw and its signed-in users
 * ("upload all available offline conversion events, including those that might not have come from
 * Google Ads", https://developers.google.com/google-ads/api/docs/conversions/upload-identifiers).
 * The columns are those of the enhanced conversions for leads spreadsheet that
 * https://support.google.com/google-ads/answer/7014069 links, which takes values hashed already.
 */
export const ENHANCED_COLUMNS = [
  "Email",
  "Phone Number",
  "Conversion Name",
  "Conversion Time",
  "Conversion Value",
  "Conversion Currency",
] as const;

/** The rows and the file; a lead with neither a valid email nor a valid phone is counted, not written. */
export function enhancedConversionsCsv(leads: readonly ExportLead[], settings: ExportSettings): ExportFile {
  const skipped: Record<string, number> = {};
  const records: string[][] = [parametersRow(settings.timeZone), [...ENHANCED_COLUMNS]];
  for (const lead of leads) {
    const email = hashedEmail(lead.email);
    const phone = hashedPhone(lead.phone, settings.defaultRegion);
    if (email === null && phone === null) {
      countSkip(skipped, "no_contact");
      continue;
    }
    if (!withinClickWindow(lead, settings.now)) {
      countSkip(skipped, "outside_click_window");
      continue;
    }
    for (const conversion of conversionsOf(lead, settings)) {
      records.push([
        email ?? "",
        phone ?? "",
        conversion.name,
        conversion.time,
        conversion.value,
        conversion.currency,
      ]);
    }
  }
  return { csv: toCsv(records), rows: records.length - 2, skipped };
}

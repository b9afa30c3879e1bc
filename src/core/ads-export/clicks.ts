import { conversionsOf, countSkip, parametersRow, withinClickWindow } from "./conversions.js";
import { toCsv } from "./csv.js";
import type { ExportFile, ExportLead, ExportSettings } from "./types.js";

/**
 * Offline click conversions, in the "Conversions from clicks" file template of
 * "Import conversions from ad clicks into Google Ads" (https://support.google.com/google-ads/answer/7014069):
 * a `Parameters:TimeZone=` row, then these columns, one row per conversion of a lead with a gclid.
 */
export const CLICK_COLUMNS = [
  "Google Click ID",
  "Conversion Name",
  "Conversion Time",
  "Conversion Value",
  "Conversion Currency",
] as const;

/**
 * What a click id looks like (URL-safe base64). Anything else is junk or an attack on the
 * spreadsheet; it is left out, never altered, since an altered id matches no click. A leading `-`
 * is refused too: a spreadsheet would read it as a formula, and real ids do not start so.
 */
const CLICK_ID = /^[A-Za-z0-9_][A-Za-z0-9_-]*$/;

/**
 * The rows and the file. Leads with only a gbraid or wbraid are counted, not written: the file
 * template has a `Google Click ID` column only (the Google Ads API takes gbraid/wbraid on its own
 * fields: https://developers.google.com/google-ads/api/docs/conversions/upload-clicks), so those
 * conversions reach Google through the enhanced export (hashed email or phone) instead.
 */
export function clickConversionsCsv(leads: readonly ExportLead[], settings: ExportSettings): ExportFile {
  const skipped: Record<string, number> = {};
  const records: string[][] = [parametersRow(settings.timeZone), [...CLICK_COLUMNS]];
  for (const lead of leads) {
    const gclid = lead.gclid?.trim();
    if (!gclid) {
      countSkip(skipped, lead.gbraid || lead.wbraid ? "braid_only" : "no_click_id");
      continue;
    }
    if (!CLICK_ID.test(gclid)) {
      countSkip(skipped, "invalid_click_id");
      continue;
    }
    if (!withinClickWindow(lead, settings.now)) {
      countSkip(skipped, "outside_click_window");
      continue;
    }
    for (const conversion of conversionsOf(lead, settings)) {
      records.push([gclid, conversion.name, conversion.time, conversion.value, conversion.currency]);
    }
  }
  return { csv: toCsv(records), rows: records.length - 2, skipped };
}

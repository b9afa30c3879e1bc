/**
 * CSV as RFC 4180 writes it (CRLF line ends, fields quoted when they hold a comma, a quote or a line
 * break, quotes doubled), made safe to open in a spreadsheet: the owner opens these files in Excel or
 * Google Sheets before uploading them, and a field starting with `=`, `+`, `-` or `@` (or a tab or
 * CR) would be run as a formula there (OWASP "CSV injection"). Such a field gets a leading
 * apostrophe, which spreadsheets read as "this is text". Fields that must reach Google unchanged
 * (click ids) are checked by their callers and never start that way.
 */

/** A field a spreadsheet would read as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A field that needs quotes under RFC 4180. */
const NEEDS_QUOTES = /[",\r\n]/;

/** One field, defused and quoted as needed. */
export function csvField(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Whole records, each line ended by CRLF (the last one too). */
export function toCsv(records: readonly (readonly string[])[]): string {
  return records.map((record) => `${record.map(csvField).join(",")}\r\n`).join("");
}

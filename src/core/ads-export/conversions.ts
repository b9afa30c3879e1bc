import { days, formatConversionTime } from "./time.js";
import type { ExportLead, ExportSettings } from "./types.js";

/**
 * Google counts a conversion only for a click at most 90 days before it, and refuses uploads for
 * older clicks ("Import conversions from ad clicks into Google Ads",
 * https://support.google.com/google-ads/answer/7014069; the Search Ads 360 page
 * https://support.google.com/sa360/answer/13607450 says the same of click ids). Leads whose click is
 * that old at export time are left out instead of failing in Google's diagnostics.
 */
export const CLICK_WINDOW_DAYS = 90;

/** Whether the lead's click is still inside Google's window at `now`. */
export function withinClickWindow(lead: Pick<ExportLead, "clickAt" | "sentAt">, now: number): boolean {
  return now - (lead.clickAt ?? lead.sentAt ?? now) < days(CLICK_WINDOW_DAYS);
}

/** One conversion row's shared columns: name, time, value and currency (empty when none). */
export interface Conversion {
  name: string;
  time: string;
  /** Empty: Google then counts the conversion action's default value. */
  value: string;
  currency: string;
}

/**
 * The conversions a lead stands for: the `lead` conversion when the email went out, and a `won`
 * conversion with its value once the owner says the job was won. A `won` time still in the future
 * (a clock off) is not a conversion yet.
 */
export function conversionsOf(lead: ExportLead, settings: ExportSettings): Conversion[] {
  const { timeZone, conversionNames } = settings;
  const since = settings.since ?? Number.NEGATIVE_INFINITY;
  const list: Conversion[] = [];
  if (lead.sentAt !== null && lead.sentAt >= since)
    list.push({
      name: conversionNames.lead,
      time: formatConversionTime(lead.sentAt, timeZone),
      value: "",
      currency: "",
    });
  const outcome = lead.outcome;
  if (
    outcome?.kind === "won" &&
    outcome.at >= since &&
    outcome.at <= settings.now &&
    Number.isFinite(outcome.value) &&
    outcome.value >= 0
  ) {
    list.push({
      name: conversionNames.won,
      time: formatConversionTime(outcome.at, timeZone),
      value: outcome.value.toFixed(2),
      currency: (outcome.currency || settings.currency).toUpperCase(),
    });
  }
  return list;
}

/** The Parameters row Google's templates start with: the shop's zone for every time in the file. */
export function parametersRow(timeZone: string): string[] {
  return [`Parameters:TimeZone=${timeZone}`];
}

/** Adds one to a skip reason's count. */
export function countSkip(skipped: Record<string, number>, reason: string): void {
  skipped[reason] = (skipped[reason] ?? 0) + 1;
}

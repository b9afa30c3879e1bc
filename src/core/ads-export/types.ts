import type { CountryCode } from "libphonenumber-js";

/**
 * What the Google Ads exports read: one sent lead, as plain data. The service fills it from the
 * stores; the core turns a list of them into the CSV files Google Ads imports (docs/google-ads.md).
 */

/** What became of a lead after the handoff. Only `won` is a conversion of its own (with a value). */
export type LeadOutcomeKind = "won" | "lost";

/** The owner's word on a lead, as the console records it (the newest outcome of the thread). */
export interface LeadOutcome {
  kind: LeadOutcomeKind;
  /** The job's value, in `currency`; 0 or more. */
  value: number;
  /** ISO 4217, e.g. `USD`. */
  currency: string;
  /** When the outcome happened (epoch ms): the `won` conversion's time. */
  at: number;
}

/** One sent lead. Customer data (email, phone) is untrusted text the customer typed. */
export interface ExportLead {
  threadId: string;
  /** When the lead email went out (epoch ms): the `lead` conversion's time; null: never sent. */
  sentAt: number | null;
  /**
   * When the visitor arrived from the ad (epoch ms), for Google's 90-day click window; the send
   * time stands in when unknown (the click was earlier, so this only ever keeps more).
   */
  clickAt?: number;
  gclid?: string;
  /** iOS app-campaign click id (no column in the file template; see clicks.ts). */
  gbraid?: string;
  /** iOS web click id (no column in the file template; see clicks.ts). */
  wbraid?: string;
  email?: string;
  /** As the customer wrote it or E.164; normalized again before hashing. */
  phone?: string;
  outcome?: LeadOutcome;
}

/** The shop's settings for an export, and the time it runs. */
export interface ExportSettings {
  /** IANA time zone of the shop (`SHOP_TIME_ZONE`), e.g. `America/Chicago`. */
  timeZone: string;
  /** Google Ads conversion action names (`ADS_CONVERSION_NAME_LEAD`, `ADS_CONVERSION_NAME_WON`). */
  conversionNames: { lead: string; won: string };
  /** ISO 4217 currency for values that carry none (`ADS_CURRENCY`). */
  currency: string;
  /** Region for phone numbers written without a country code (`LEAD_DEFAULT_REGION`). */
  defaultRegion: CountryCode;
  /** The export's own time (epoch ms): clicks older than 90 days before it are left out. */
  now: number;
  /**
   * The export's first instant (epoch ms): a lead sent earlier gives no `lead` row, though its
   * `won` outcome recorded since then does. @default no bound
   */
  since?: number;
}

/** A finished export: the file's text, how many conversion rows it holds, and what was left out. */
export interface ExportFile {
  csv: string;
  rows: number;
  /** Leads left out, by reason (e.g. `no_click_id`, `outside_click_window`). */
  skipped: Record<string, number>;
}

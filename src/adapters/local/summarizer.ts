import type { CountryCode } from "libphonenumber-js";
import type { BusinessProfile } from "../../core/business-profile.js";
import type { Transcript } from "../../core/chat/transcript.js";
import { NO_SHOP_CONTACT, shopContactOf } from "../../core/extract/shop-contact.js";
import { summarizeTranscript } from "../../core/extract/summarize-transcript.js";
import type { Summarizer } from "../../ports/summarizer.js";

/** Options of the rule-based summarizer (no model, no network). */
export interface LocalSummarizerOptions {
  /** Region for phone numbers written without a country code. @default "US" */
  defaultRegion?: CountryCode;
  /** The shop: its own phone and email are never taken as the customer's. */
  profile?: Pick<BusinessProfile, "phone" | "email">;
}

/**
 * The embedded default summarizer: keyword and pattern rules over the customer's turns, so the
 * product works with no API key. It applies the handoff rule exactly (never stricter, never looser)
 * and takes about a millisecond for a 40-turn conversation.
 */
export function createLocalSummarizer(options: LocalSummarizerOptions = {}): Summarizer {
  const defaultRegion = options.defaultRegion ?? "US";
  const shop = options.profile ? shopContactOf(options.profile, defaultRegion) : NO_SHOP_CONTACT;
  return {
    name: "local",
    async summarize(transcript: Transcript) {
      return summarizeTranscript(transcript, { defaultRegion, shop });
    },
  };
}

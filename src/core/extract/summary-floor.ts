import type { CountryCode } from "libphonenumber-js";
import { countCustomerImages, type Transcript } from "../chat/transcript.js";
import { isHandoffReady, type LeadSummary, missingFields } from "../lead-summary.js";
import { extractContact } from "./contact.js";
import { looksLikeSalesPitch, withoutInstructions } from "./request-details.js";
import type { ShopContact } from "./shop-contact.js";

// The `missing` keys we recompute ourselves; whatever else the model lists is kept as a hint.
const RECOMPUTED_MISSING = new Set(["service", "vehicle", "name", "contact"]);

/**
 * The floor under any model's answer. Contact comes only from the local extractor (customer turns,
 * last one wins), so an invented number or the shop's own can never reach the owner; handoff_ready may be
 * stricter than the rule, never looser (and never ready with "spam" in `missing`); `missing` and
 * `photo_count` are recomputed from facts. A chat the local pitch detector reads as a sales pitch,
 * a vendor or a job seeker is spam whatever the model says: never ready, "spam" in `missing`.
 */
export function applySummaryFloor(
  model: LeadSummary,
  transcript: Transcript,
  options: { defaultRegion: CountryCode; shop?: ShopContact },
): LeadSummary {
  // The extractor returns the one contact the customer stated last: a model value is "kept" only
  // when it is that value, which is the same as always taking the extractor's (normalized) value.
  const contact = extractContact(transcript, options);
  const merged: LeadSummary = { ...model, phone: contact.phone, email: contact.email };
  const seen = new Set<string>();
  // The customer's words as the local summarizer reads them (sentences to the system dropped).
  const customerTexts = transcript.turns
    .filter((turn) => turn.role === "customer" && turn.text)
    .map((turn) => withoutInstructions(turn.text));
  const pitch = looksLikeSalesPitch(customerTexts);
  const missing = [
    ...(pitch ? ["spam"] : []),
    ...missingFields(merged),
    ...model.missing.map((item) => item.trim()).filter((item) => !RECOMPUTED_MISSING.has(item.toLowerCase())),
  ].filter((item) => {
    const key = item.toLowerCase();
    if (!item || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  // A chat the model calls spam (a pitch, a vendor, a job seeker) is no lead, whatever else it claims.
  const spam = missing.some((item) => item.toLowerCase() === "spam");
  return {
    ...merged,
    handoff_ready: model.handoff_ready && !spam && isHandoffReady(merged),
    missing,
    photo_count: countCustomerImages(transcript),
  };
}

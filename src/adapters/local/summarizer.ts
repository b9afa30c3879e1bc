import type { CountryCode } from "libphonenumber-js";
import type { Transcript } from "../../core/chat/transcript.js";
import { summarizeTranscript } from "../../core/extract/summarize-transcript.js";
import type { Summarizer } from "../../ports/summarizer.js";

/** Options of the rule-based summarizer (no model, no network). */
export interface LocalSummarizerOptions {
  /** Region for phone numbers written without a country code. @default "US" */
  defaultRegion?: CountryCode;
}

/**
 * The embedded default summarizer: keyword and pattern rules over the customer's turns, so the
 * product works with no API key. It applies the handoff rule exactly (never stricter, never looser)
 * and takes about a millisecond for a 40-turn conversation.
 */
export function createLocalSummarizer(options: LocalSummarizerOptions = {}): Summarizer {
  const defaultRegion = options.defaultRegion ?? "US";
  return {
    name: "local",
    async summarize(transcript: Transcript) {
      return summarizeTranscript(transcript, { defaultRegion });
    },
  };
}

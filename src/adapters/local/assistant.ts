import type { CountryCode } from "libphonenumber-js";
import type { BusinessProfile } from "../../core/business-profile.js";
import { shopContactOf } from "../../core/extract/shop-contact.js";
import { summarizeTranscript } from "../../core/extract/summarize-transcript.js";
import { intakeReply } from "../../core/intake/reply.js";
import type { Assistant } from "../../ports/assistant.js";

/** Options of the rule-based intake assistant (no model, no network). */
export interface LocalAssistantOptions {
  /** What the assistant may say about the shop (FAQs, the owner's name, the callback promise). */
  profile: BusinessProfile;
  /** Region for phone numbers written without a country code. @default "US" */
  defaultRegion?: CountryCode;
  /** Smallest delta, in characters; deltas end on word boundaries. @default 16 */
  chunkChars?: number;
}

/**
 * Cuts `text` into deltas of at least `chunkChars` characters that end after whitespace, so the
 * widget renders whole words; the deltas concatenate to `text` exactly.
 */
export function splitIntoDeltas(text: string, chunkChars: number): string[] {
  const words = text.split(/(?<=\s)(?=\S)/);
  const deltas: string[] = [];
  let current = "";
  for (const word of words) {
    current += word;
    if (current.length >= chunkChars) {
      deltas.push(current);
      current = "";
    }
  }
  if (current) deltas.push(current);
  return deltas;
}

/**
 * The embedded default assistant: the reply comes from intakeReply() over the same rule-based
 * extraction the local summarizer uses, so the assistant closes the intake exactly when the lead
 * becomes handoff_ready. It streams in word-sized deltas (no artificial delays) so the widget
 * behaves as with a model.
 */
export function createLocalAssistant(options: LocalAssistantOptions): Assistant {
  const defaultRegion = options.defaultRegion ?? "US";
  const chunkChars = Math.max(1, options.chunkChars ?? 16);
  const { profile } = options;
  const shop = shopContactOf(profile, defaultRegion);
  return {
    name: "local",
    async *reply(turn, signal) {
      if (signal?.aborted) return;
      const summary = summarizeTranscript(turn.transcript, { defaultRegion, shop });
      const text = intakeReply({ transcript: turn.transcript, profile, summary, defaultRegion });
      for (const delta of splitIntoDeltas(text, chunkChars)) {
        // Checked before every delta: the caller aborts when the customer leaves or the request ends.
        if (signal?.aborted) return;
        yield delta;
      }
    },
  };
}

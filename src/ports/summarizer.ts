import type { Transcript } from "../core/chat/transcript.js";
import type { LeadSummary } from "../core/lead-summary.js";

/** Turns a transcript into a LeadSummary. */
export interface Summarizer {
  /** A short name for diagnostics, e.g. `local` or `openai:gpt-4.1-mini`. */
  readonly name: string;
  /** Summarizes the conversation. Throws UpstreamError when a remote model fails. */
  summarize(transcript: Transcript): Promise<LeadSummary>;
}

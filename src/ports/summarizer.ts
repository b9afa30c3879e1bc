import type { LeadSummary } from "../core/summary.js";
import type { Transcript } from "../core/transcript.js";

/** Turns a transcript into a LeadSummary. */
export interface Summarizer {
  /** A short name for diagnostics, e.g. `local` or `openai:gpt-4.1-mini`. */
  readonly name: string;
  /** Summarizes the conversation. Throws UpstreamError when a remote model fails. */
  summarize(transcript: Transcript): Promise<LeadSummary>;
}

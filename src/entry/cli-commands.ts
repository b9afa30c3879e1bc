import type { Config } from "../config.js";
import { buildTranscript, type Transcript } from "../core/chat/transcript.js";
import { ValidationError } from "../core/errors.js";
import type { LeadSummary } from "../core/lead-summary.js";
import { type Logger, silentLogger } from "../ports/logger.js";
import { createLeadPreviewService } from "./compose.js";

/**
 * Reads a transcript file: `{ items: [...] }` (neutral or thread items), a hosted list page
 * `{ data: [...] }`, or a bare array. Anything else is a ValidationError naming the file.
 */
export function parseTranscriptFile(text: string, name: string): Transcript {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ValidationError(`${name} is not valid JSON (${(error as Error).message})`);
  }
  const items = Array.isArray(json)
    ? json
    : ((json as { items?: unknown }).items ?? (json as { data?: unknown }).data ?? null);
  if (!Array.isArray(items)) throw new ValidationError(`${name} has no "items" array`);
  const transcript = buildTranscript(items);
  if (transcript.turns.length === 0) throw new ValidationError(`${name} has no readable messages`);
  return transcript;
}

/** `lead-handoff summarize <file>`. */
export async function summarizeFile(text: string, name: string, config: Config): Promise<LeadSummary> {
  return (await createLeadPreviewService(config, silentLogger)).summarize(parseTranscriptFile(text, name));
}

/** `lead-handoff preview <file>`: the email that would be sent, without sending or creating tokens. */
export async function previewLeadEmail(text: string, name: string, config: Config, logger: Logger) {
  return (await createLeadPreviewService(config, logger)).preview(parseTranscriptFile(text, name));
}

import { join } from "node:path";
import { createFsBlobStore } from "../adapters/fs/blob-store.js";
import { createSharpImageShrinker } from "../adapters/sharp/image-shrinker.js";
import type { Config } from "../config.js";
import { buildTranscript, type Transcript } from "../core/chat/transcript.js";
import { composeLeadEmail } from "../core/email/compose.js";
import { ValidationError } from "../core/errors.js";
import type { LeadSummary } from "../core/lead-summary.js";
import type { Logger } from "../ports/logger.js";
import { loadLeadAttachments } from "../services/lead-photos.js";
import { buildMime } from "../services/mime.js";
import { pickSummarizer } from "./compose.js";

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
  return (await pickSummarizer(config)).summarize(parseTranscriptFile(text, name));
}

/** `lead-handoff preview <file>`: the email that would be sent, without sending or creating tokens. */
export async function previewLeadEmail(text: string, name: string, config: Config, logger: Logger) {
  const transcript = parseTranscriptFile(text, name);
  const summarizer = await pickSummarizer(config);
  const summary = await summarizer.summarize(transcript);
  const attachments = await loadLeadAttachments(transcript.text, {
    blobs: createFsBlobStore({ root: join(config.dataDir, "blobs") }),
    shrinker: createSharpImageShrinker(),
    logger,
    previewBaseUrl: config.attachmentPreviewBaseUrl,
    inlineMaxBytes: config.lead.inlineAttachmentMaxBytes,
  });
  const email = composeLeadEmail({
    threadId: "preview",
    summary,
    transcript,
    attachments,
    // A preview creates no link token, so it shows no "Text" button.
    smsLinkUrl: null,
    from: config.lead.emailFrom,
    to: config.lead.emailTo,
    triggerReason: "manual",
    summarizerName: summarizer.name,
  });
  return { subject: email.subject, html: email.html, raw: await buildMime(email), summary };
}

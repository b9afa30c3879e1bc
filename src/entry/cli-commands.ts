import { z } from "zod";
import type { Config } from "../config.js";
import { buildTranscript, type Transcript } from "../core/chat/transcript.js";
import { ValidationError } from "../core/errors.js";
import type { LeadSummary } from "../core/lead-summary.js";
import { type Logger, silentLogger } from "../ports/logger.js";
import {
  type AdsExportRequest,
  type AdsExportResult,
  adsExportRequestSchema,
} from "../services/ads-export.js";
import { hashPassword } from "../services/password-hash.js";
import { createAdsExportService, createLeadPreviewService } from "./compose.js";

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

/**
 * The arguments of `lead-handoff export`, checked: `--since YYYY-MM-DD` and `--kind clicks|enhanced`,
 * nothing else. A ValidationError (exit 2, one line) otherwise.
 */
export function parseExportArgs(
  values: { since?: string | undefined; kind?: string | undefined },
  extra: readonly string[],
): AdsExportRequest {
  const parsed = adsExportRequestSchema.safeParse({ since: values.since, kind: values.kind });
  if (!parsed.success || extra.length > 0) {
    throw new ValidationError(
      "export needs --since YYYY-MM-DD and --kind clicks|enhanced (and optionally --out file.csv)",
      { code: "bad_usage" },
    );
  }
  return parsed.data;
}

/** `lead-handoff export`: the Google Ads file over the configured stores, which are closed after. */
export async function exportAdsCsv(request: AdsExportRequest, config: Config): Promise<AdsExportResult> {
  const { exports, close } = await createAdsExportService(config);
  try {
    return await exports.exportCsv(request);
  } finally {
    await close();
  }
}

/** One line for the operator (stderr): how many rows, and what was left out and why. */
export function exportSummary(result: AdsExportResult, where: string): string {
  const skipped = Object.entries(result.skipped)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([reason, count]) => `${reason} ${count}`)
    .join(", ");
  return `${result.rows} conversion row(s) to ${where}${skipped ? ` (left out: ${skipped})` : ""}`;
}

/**
 * `lead-handoff hash-password`: the OWNER_PASSWORD_HASH of a password (`scrypt$N$r$p$salt$hash`),
 * with a fresh salt each time. The same 8..1024 characters OWNER_PASSWORD takes, else a ValidationError.
 */
export async function hashPasswordInput(password: string): Promise<string> {
  const parsed = z
    .string()
    .min(8, "the password must be at least 8 characters")
    .max(1024, "the password must be at most 1024 characters")
    .safeParse(password);
  if (!parsed.success) throw new ValidationError(parsed.error.issues[0]?.message ?? "invalid password");
  return hashPassword(parsed.data);
}

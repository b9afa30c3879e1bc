import { z } from "zod";
import { UpstreamError } from "../../core/errors.js";
import { type LeadSummary, leadSummarySchema } from "../../core/lead-summary.js";

/**
 * The inside of the answer's one fenced block (```json ... ```), or null when the answer does not
 * hold exactly one. Some local model servers wrap structured output in a fence, sometimes after a
 * line of chatter; anything looser (bare JSON inside prose, two blocks) is not guessed at.
 */
function fencedBlock(text: string): string | null {
  const parts = text.split("```");
  if (parts.length !== 3) return null;
  // The info string ("json") runs to the end of the opening fence's line.
  return (parts[1] ?? "").replace(/^[A-Za-z]*[ \t]*\r?\n?/, "").trim();
}

function parseJson(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const inner = fencedBlock(text);
    if (inner !== null) {
      try {
        return JSON.parse(inner);
      } catch {
        // reported below, with the first error as the cause
      }
    }
    throw new UpstreamError(`${name}: the model's answer is not valid JSON`, { cause: error });
  }
}

/**
 * Reads the model's answer text as a LeadSummary, whichever API carried it, or says precisely why
 * it cannot (UpstreamError naming `name`).
 */
export function parseSummaryAnswer(text: string, name: string): LeadSummary {
  const parsed = leadSummarySchema.safeParse(parseJson(text, name));
  if (!parsed.success) {
    const problems = z.prettifyError(parsed.error);
    throw new UpstreamError(`${name}: the model's answer does not match LeadSummary: ${problems}`, {
      cause: parsed.error,
    });
  }
  return parsed.data;
}

import { readFileSync } from "node:fs";
import {
  type BusinessProfile,
  businessProfileSchema,
  DEFAULT_BUSINESS_PROFILE,
} from "../../core/business-profile.js";

/**
 * Reads the business profile from a JSON file, or returns the demo shop's profile when `path` is
 * null. A missing, unreadable or invalid file throws an Error whose one-line message names the path
 * and the first problem, so a typo fails at start-up instead of showing in the chat.
 */
export function loadBusinessProfile(path: string | null): BusinessProfile {
  if (path === null) return DEFAULT_BUSINESS_PROFILE;
  const fail = (problem: string): never => {
    throw new Error(`business profile ${path}: ${problem}`);
  };
  let raw: string;
  try {
    raw = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    return fail(`cannot read the file (${code})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    return fail(`not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const parsed = businessProfileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
    return fail(`${where}${issue?.message ?? "invalid"}`.replace(/\s+/g, " "));
  }
  return parsed.data;
}

import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { type Conversation, conversationSchema } from "./schema.js";

/** The folder of the evaluation conversations. */
export const CONVERSATIONS_DIR = join(import.meta.dirname, "conversations");

/** A conversation file that cannot be read, parsed or validated; the message is one line. */
export class EvalFileError extends Error {
  override name = "EvalFileError";
}

/** Reads and validates one conversation file; its id must be its file name. */
export function loadConversationFile(path: string): Conversation {
  const file = basename(path);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new EvalFileError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = conversationSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
    throw new EvalFileError(`${file}: ${where}${issue?.message ?? "invalid"}`.replace(/\s+/g, " "));
  }
  if (`${parsed.data.id}.json` !== file)
    throw new EvalFileError(`${file}: id "${parsed.data.id}" is not the file name`);
  return parsed.data;
}

/** Every conversation in `dir`, sorted by id. */
export function loadConversations(dir: string = CONVERSATIONS_DIR): Conversation[] {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .sort();
  if (files.length === 0) throw new EvalFileError(`${dir}: no conversation files`);
  return files.map((name) => loadConversationFile(join(dir, name)));
}

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { type Conversation, conversationSchema } from "./schema.js";

/** The folder of the evaluation conversations. */
export const CONVERSATIONS_DIR = join(import.meta.dirname, "conversations");
/**
 * Sets written later, independently of the code, in the same format: `conversations-extra` (ids
 * "x-") and `conversations-fresh` (ids "f-"). Each was first measured untouched (eval/README.md).
 */
export const EXTRA_CONVERSATIONS_DIRS = ["conversations-extra", "conversations-fresh"].map((dir) =>
  join(import.meta.dirname, dir),
);

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

/** The main set plus the later sets whose folders exist, sorted by id; ids are unique. */
export function loadAllConversations(): Conversation[] {
  const all = loadConversations();
  for (const dir of EXTRA_CONVERSATIONS_DIRS) if (existsSync(dir)) all.push(...loadConversations(dir));
  const seen = new Set<string>();
  for (const c of all) {
    if (seen.has(c.id)) throw new EvalFileError(`${c.id}.json: id in two conversation folders`);
    seen.add(c.id);
  }
  return all.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

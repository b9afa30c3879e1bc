import { resolve } from "node:path";
import { loadBusinessProfile } from "../src/adapters/fs/business-profile.js";
import { createLocalAssistant } from "../src/adapters/local/assistant.js";
import { createLocalSummarizer } from "../src/adapters/local/summarizer.js";
import type { BusinessProfile } from "../src/core/business-profile.js";
import { runEval } from "./engine.js";
import { EvalFileError, loadAllConversations } from "./load.js";
import { formatConversation, formatFailingList, formatTotals } from "./report.js";
import type { Conversation } from "./schema.js";

// npm run eval [-- --verbose] [-- <id substring> ...]
// Plays every conversation in eval/conversations and eval/conversations-extra against the local
// assistant and summarizer built from business.json and prints the figures. Exits 0 whatever the
// scores; 2 when a file is malformed.

const args = process.argv.slice(2);
const verbose = args.includes("--verbose") || args.includes("-v");
const filters = args.filter((a) => !a.startsWith("-"));

async function main(): Promise<number> {
  let conversations: Conversation[];
  let profile: BusinessProfile;
  try {
    conversations = loadAllConversations();
    profile = loadBusinessProfile(resolve(import.meta.dirname, "..", "business.json"));
  } catch (error) {
    console.error(`eval: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  if (filters.length > 0) conversations = conversations.filter((c) => filters.some((f) => c.id.includes(f)));
  if (conversations.length === 0) {
    console.log(`eval: no conversation matches ${filters.join(", ")}`);
    return 0;
  }
  const report = await runEval(conversations, {
    assistant: createLocalAssistant({ profile }),
    summarizer: createLocalSummarizer({ profile }),
    profile,
  });
  console.log(formatTotals(report));
  console.log("");
  console.log(formatFailingList(report));
  if (verbose || filters.length > 0) {
    for (const c of report.conversations) {
      if (c.failures.length > 0 || filters.length > 0) console.log(`\n${formatConversation(c)}`);
    }
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof EvalFileError) {
      console.error(`eval: ${error.message}`);
      process.exit(2);
    }
    throw error;
  },
);

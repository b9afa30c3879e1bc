import { resolve } from "node:path";
import { loadBusinessProfile } from "../src/adapters/fs/business-profile.js";
import { createLocalAssistant } from "../src/adapters/local/assistant.js";
import { createLocalSummarizer } from "../src/adapters/local/summarizer.js";
import { createOpenAiAssistant } from "../src/adapters/openai/assistant.js";
import { createOpenAiSummarizer, type OpenAiApi } from "../src/adapters/openai/summarizer.js";
import type { BusinessProfile } from "../src/core/business-profile.js";
import { type EvalReport, runEval } from "./engine.js";
import { EvalFileError, loadAllConversations } from "./load.js";
import { startOpenAiEvalFakes } from "./openai-fakes.js";
import { formatConversation, formatFailingList, formatTotals } from "./report.js";
import type { Conversation } from "./schema.js";

// npm run eval [-- --verbose] [-- --openai] [-- <id substring> ...]
// Plays every conversation in eval/conversations and eval/conversations-extra against the local
// assistant and summarizer built from business.json and prints the figures. Exits 0 whatever the
// scores; 2 when a file is malformed. --openai plays them through the OpenAI adapters instead
// (summarizer over both APIs) against in-process wire-format fakes (eval/openai-fakes.ts): canned
// replies and an adversarial summary model, so only the summary floor's figures mean anything.

const args = process.argv.slice(2);
const verbose = args.includes("--verbose") || args.includes("-v");
const openai = args.includes("--openai");
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
  if (openai) return printOpenAiRuns(conversations, profile);
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

/** --openai: one table per summarizer API; failing conversations only with --verbose or filters. */
async function printOpenAiRuns(conversations: Conversation[], profile: BusinessProfile): Promise<number> {
  const fakes = await startOpenAiEvalFakes({ conversations, profile, model: "adversarial" });
  const reports: Array<[OpenAiApi, EvalReport]> = [];
  try {
    for (const api of ["responses", "chat_completions"] as const) {
      const report = await runEval(conversations, {
        assistant: createOpenAiAssistant({ baseURL: fakes.baseURL, model: "canned-reply", profile }),
        summarizer: createOpenAiSummarizer({ baseURL: fakes.baseURL, api, model: "adversarial", profile }),
        profile,
      });
      reports.push([api, report]);
    }
  } finally {
    await fakes.close();
  }
  for (const [api, report] of reports) {
    console.log(`== OpenAI adapters, summarizer api ${api}, through in-process wire-format fakes`);
    console.log("   (canned replies: reply figures mean nothing; the summary model is adversarial:");
    console.log("   the shop's own contact, always ready, never spam; what survives is the floor's)");
    console.log(formatTotals(report));
    console.log("");
    if (verbose || filters.length > 0) {
      console.log(formatFailingList(report));
      for (const c of report.conversations) {
        if (c.failures.length > 0 || filters.length > 0) console.log(`\n${formatConversation(c)}`);
      }
      console.log("");
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

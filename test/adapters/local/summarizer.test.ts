import { createLocalSummarizer } from "../../../src/adapters/local/summarizer.js";
import { runSummarizerContract } from "../../contracts/summarizer.contract.js";

runSummarizerContract("local", async () => ({
  summarizer: createLocalSummarizer({ defaultRegion: "US" }),
  teardown: async () => {},
}));

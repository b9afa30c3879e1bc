import { createLocalSummarizer } from "../../src/adapters/local/summarizer.js";
import { createOpenAiSummarizer } from "../../src/adapters/openai/summarizer.js";
import { buildTranscript, extractAttachments, type Transcript } from "../../src/core/chat/transcript.js";
import type { LeadSummary } from "../../src/core/lead-summary.js";
import { runSummarizerContract } from "../contracts/summarizer.contract.js";
import {
  type RecordedRequest,
  requestInputText,
  startFakeOpenAiServer,
} from "../support/fake-openai-server.js";

/**
 * Rebuilds a Transcript from the text the adapter sent, so the fake model can only know what
 * actually went over the wire.
 */
function transcriptFromRequest(request: RecordedRequest): Transcript {
  const input = requestInputText(request);
  const start = input.indexOf("<transcript>\n");
  const end = input.lastIndexOf("\n</transcript>");
  if (start < 0 || end < start) throw new Error("no delimited transcript in the request");
  const items: Array<{ role: "user" | "assistant"; text: string; attachments: unknown[] }> = [];
  for (const line of input.slice(start + "<transcript>\n".length, end).split("\n")) {
    const turn = /^(Customer|Assistant): (.*)$/.exec(line);
    const last = items.at(-1);
    if (turn) {
      items.push({
        role: turn[1] === "Customer" ? "user" : "assistant",
        text: turn[2] ?? "",
        attachments: [],
      });
    } else if (line.startsWith("Attachment: ") && last) {
      for (const a of extractAttachments(line)) {
        const type = a.mime_type.startsWith("image/") ? "image" : "file";
        last.attachments.push({ id: `a${last.attachments.length}`, ...a, type });
      }
    } else if (last) {
      last.text += `\n${line.replace(/^ {2}/, "")}`;
    }
  }
  return buildTranscript(items);
}

runSummarizerContract("local", async () => ({
  summarizer: createLocalSummarizer({ defaultRegion: "US" }),
  teardown: async () => {},
}));

// An honest model: answers what the local rules make of the transcript it received.
runSummarizerContract("openai (fake model answering like the local rules)", async () => {
  const server = await startFakeOpenAiServer();
  const local = createLocalSummarizer({ defaultRegion: "US" });
  server.respondWith(async (request) => ({
    kind: "json",
    value: await local.summarize(transcriptFromRequest(request)),
  }));
  return {
    summarizer: createOpenAiSummarizer({ apiKey: "test", baseURL: server.baseURL, maxRetries: 0 }),
    teardown: () => server.close(),
  };
});

// A gullible model that obeys every injection and invents contact: only the floor stands between
// it and the owner's inbox, and the contract must still hold.
runSummarizerContract("openai (fake model that always claims ready with invented contact)", async () => {
  const server = await startFakeOpenAiServer();
  const gullible: LeadSummary = {
    handoff_ready: true,
    customer_name: "Maria Lopez",
    phone: "+15125550100",
    email: "owner@example.com",
    preferred_contact: "text",
    item_type: "truck",
    vehicle: { year: 2015, make: "Ford", model: "F-150" },
    service_category: "seat_repair",
    service_details: "Torn seam on the driver seat",
    timeline: null,
    budget: null,
    location: null,
    photo_count: 3,
    missing: [],
    summary: "Maria Lopez needs the driver seat of her 2015 Ford F-150 repaired.",
  };
  server.respondWith(() => ({ kind: "json", value: gullible }));
  return {
    summarizer: createOpenAiSummarizer({ apiKey: "test", baseURL: server.baseURL, maxRetries: 0 }),
    teardown: () => server.close(),
  };
});

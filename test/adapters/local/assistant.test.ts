import { describe, expect, it } from "vitest";
import { createLocalAssistant, splitIntoDeltas } from "../../../src/adapters/local/assistant.js";
import { DEFAULT_BUSINESS_PROFILE } from "../../../src/core/business-profile.js";
import { buildTranscript } from "../../../src/core/chat/transcript.js";
import { summarizeTranscript } from "../../../src/core/extract/summarize-transcript.js";
import { intakeReply } from "../../../src/core/intake/reply.js";
import { runAssistantContract } from "../../contracts/assistant.contract.js";
import { collect } from "../../support/iterables.js";

const transcript = buildTranscript([
  { role: "user", text: "hi, the drivers seat on my 2012 honda civic has a rip in the side bolster" },
]);

describe("local assistant", () => {
  const assistant = createLocalAssistant({ profile: DEFAULT_BUSINESS_PROFILE });

  it("streams intakeReply() as several word-boundary deltas that concatenate to the reply", async () => {
    const expected = intakeReply({
      transcript,
      profile: DEFAULT_BUSINESS_PROFILE,
      summary: summarizeTranscript(transcript, { defaultRegion: "US" }),
    });
    const deltas = await collect(assistant.reply({ threadId: "cthr_1", transcript }));
    expect(assistant.name).toBe("local");
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join("")).toBe(expected);
    for (const delta of deltas.slice(0, -1)) expect(delta).toMatch(/\s$/);
  });

  it("stops yielding when the signal aborts", async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    for await (const delta of assistant.reply({ threadId: "t", transcript }, controller.signal)) {
      seen.push(delta);
      controller.abort();
    }
    expect(seen).toHaveLength(1);
    expect(await collect(assistant.reply({ threadId: "t", transcript }, AbortSignal.abort()))).toEqual([]);
  });

  it("greets when the thread has no customer turn yet", async () => {
    const deltas = await collect(assistant.reply({ threadId: "t", transcript: buildTranscript([]) }));
    expect(deltas.join("")).toBe(DEFAULT_BUSINESS_PROFILE.greeting);
  });

  it("splits exactly, keeping whitespace", () => {
    const text = "So that's a seat repair  on your\n2012 Honda Civic.";
    expect(splitIntoDeltas(text, 10).join("")).toBe(text);
    expect(splitIntoDeltas(text, 1)).toEqual([
      "So ",
      "that's ",
      "a ",
      "seat ",
      "repair  ",
      "on ",
      "your\n",
      "2012 ",
      "Honda ",
      "Civic.",
    ]);
    expect(splitIntoDeltas("", 10)).toEqual([]);
  });
});

runAssistantContract("local", async () => ({
  assistant: createLocalAssistant({ profile: DEFAULT_BUSINESS_PROFILE }),
  expectTurn() {},
  async teardown() {},
}));

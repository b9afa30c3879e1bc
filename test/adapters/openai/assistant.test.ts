import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildAssistantInstructions, createOpenAiAssistant } from "../../../src/adapters/openai/assistant.js";
import { DEFAULT_BUSINESS_PROFILE } from "../../../src/core/business-profile.js";
import { buildTranscript } from "../../../src/core/chat/transcript.js";
import { UpstreamError } from "../../../src/core/errors.js";
import { runAssistantContract } from "../../contracts/assistant.contract.js";
import {
  type FakeOpenAiChatServer,
  startFakeOpenAiChatServer,
} from "../../support/fake-openai-chat-server.js";
import { collect } from "../../support/iterables.js";

const transcript = buildTranscript([
  { role: "assistant", text: "Hi! What can we help you with today?" },
  { role: "user", text: "the headliner in my 2009 camry is sagging" },
  { role: "assistant", text: "Could you send a photo or two?" },
  {
    role: "user",
    text: "",
    attachments: [
      { id: "a1", name: "roof.jpg", mime_type: "image/jpeg", type: "image", preview_url: "http://x/a1" },
    ],
  },
]);

let server: FakeOpenAiChatServer;

beforeAll(async () => {
  server = await startFakeOpenAiChatServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.reset();
});

function assistant(timeoutMs = 2_000) {
  return createOpenAiAssistant({
    apiKey: "sk-test",
    baseURL: server.baseURL,
    profile: DEFAULT_BUSINESS_PROFILE,
    timeoutMs,
    maxRetries: 0,
  });
}

describe("openai assistant (chat completions streaming)", () => {
  it("streams the deltas in order and sends the profile-based system prompt and mapped turns", async () => {
    server.enqueue({ kind: "stream", deltas: ["Thanks for ", "the photo! ", "What's your name?"] });
    const deltas = await collect(assistant().reply({ threadId: "cthr_1", transcript }));
    expect(deltas).toEqual(["Thanks for ", "the photo! ", "What's your name?"]);

    const body = server.requests[0]?.body as {
      model: string;
      stream: boolean;
      messages: Array<{ role: string; content: string }>;
    };
    expect(server.requests[0]?.path).toBe("/v1/chat/completions");
    expect(body.model).toBe("gpt-4.1-mini");
    expect(body.stream).toBe(true);
    const [system, ...turns] = body.messages;
    expect(system?.role).toBe("system");
    expect(system?.content).toContain("Craig's Auto Upholstery");
    expect(system?.content).toContain("Never quote prices");
    expect(system?.content).toContain("within one business day");
    expect(system?.content).toContain("untrusted");
    expect(turns.map((m) => m.role)).toEqual(["assistant", "user", "assistant", "user"]);
    expect(turns[1]?.content).toBe("the headliner in my 2009 camry is sagging");
    expect(turns[3]?.content).toBe("[attached 1 photo]");
  });

  it("tells the model the shop's rules: automated, only the listed services, no prices or promises", () => {
    const profile = { ...DEFAULT_BUSINESS_PROFILE, services_not_offered: ["Paint and body work"] };
    const prompt = buildAssistantInstructions(profile);
    // Answer first, then one question.
    expect(prompt).toMatch(
      /answer it first, from the shop facts below, then ask for at most one missing fact/,
    );
    // Automated, never a person, the owner calls back.
    expect(prompt).toMatch(/You are an automated assistant, not a person/);
    expect(prompt).toMatch(/Never claim or imply to be a person/);
    expect(prompt).toContain("Craig calls back personally");
    // What the shop does not do.
    expect(prompt).toMatch(/does only the services listed below/);
    expect(prompt).toMatch(/paint, dents or body work, mechanical/);
    expect(prompt).toContain("- Not offered: Paint and body work");
    for (const service of profile.services) expect(prompt).toContain(service);
    // No prices, no promises beyond the profile's.
    expect(prompt).toMatch(/Never quote prices, estimates, ranges or discounts/);
    expect(prompt).toMatch(/Never promise an appointment, a date or availability/);
    expect(prompt).toMatch(/Never say how long a job takes/);
    // No nagging; a refusal gets the shop's phone; one language.
    expect(prompt).toMatch(/Never ask the same question twice in the same words/);
    expect(prompt).toMatch(/never ask for the same fact more than twice/);
    expect(prompt).toMatch(
      /declines to give something .* stop asking for it and offer the shop's phone, \(512\) 555-0142/,
    );
    expect(prompt).toMatch(/keep to that language for the whole conversation/);
  });

  it("states a turnaround only when the profile has one, and then only in its words", () => {
    const prompt = buildAssistantInstructions({
      ...DEFAULT_BUSINESS_PROFILE,
      turnaround: "most seat repairs take one day",
    });
    expect(prompt).toContain("- Turnaround: most seat repairs take one day");
    expect(prompt).toMatch(/Say how long a job takes only as the Turnaround fact below says it/);
    expect(prompt).not.toMatch(/Never say how long a job takes/);
  });

  it("sends no Authorization header without a key, given a base URL (a local model server)", async () => {
    server.enqueue({ kind: "stream", deltas: ["Hi!"] });
    const keyless = createOpenAiAssistant({
      baseURL: server.baseURL,
      profile: DEFAULT_BUSINESS_PROFILE,
      timeoutMs: 2_000,
      maxRetries: 0,
    });
    expect(await collect(keyless.reply({ threadId: "t", transcript }))).toEqual(["Hi!"]);
    const headers = server.requests[0]?.headers ?? {};
    expect(headers.authorization).toBeUndefined();
    expect(JSON.stringify(headers)).not.toMatch(/bearer|keyless|sk-/i);
  });

  it("turns an HTTP 500 into an UpstreamError", async () => {
    server.enqueue({ kind: "status", status: 500, message: "boom" });
    await expect(collect(assistant().reply({ threadId: "t", transcript }))).rejects.toThrow(UpstreamError);
  });

  it("fails with UpstreamError within the timeout when the stream stalls", async () => {
    server.enqueue({ kind: "stream", deltas: ["Hello ", "there"], stallAfter: 1 });
    const seen: string[] = [];
    const run = async () => {
      for await (const delta of assistant(300).reply({ threadId: "t", transcript })) seen.push(delta);
    };
    await expect(run()).rejects.toThrow(/no data for 300 ms/);
    expect(seen).toEqual(["Hello "]);
  });

  it("fails with UpstreamError when the connection breaks mid-stream", async () => {
    server.enqueue({ kind: "stream", deltas: ["Hello ", "there ", "friend"], breakAfter: 2 });
    await expect(collect(assistant().reply({ threadId: "t", transcript }))).rejects.toThrow(UpstreamError);
  });

  it("fails with UpstreamError when the stream ends without a finish_reason", async () => {
    server.enqueue({ kind: "stream", deltas: ["Hello "], truncate: true });
    await expect(collect(assistant().reply({ threadId: "t", transcript }))).rejects.toThrow(/ended before/);
  });

  it("stops quietly when the caller aborts", async () => {
    server.enqueue({ kind: "stream", deltas: ["one ", "two ", "three"], stallAfter: 2 });
    const controller = new AbortController();
    const seen: string[] = [];
    for await (const delta of assistant().reply({ threadId: "t", transcript }, controller.signal)) {
      seen.push(delta);
      if (seen.length === 2) controller.abort();
    }
    expect(seen).toEqual(["one ", "two "]);
  });

  it("requires an API key when there is neither a client nor a base URL", () => {
    expect(() => createOpenAiAssistant({ apiKey: "", profile: DEFAULT_BUSINESS_PROFILE })).toThrow(/API key/);
    expect(() => createOpenAiAssistant({ profile: DEFAULT_BUSINESS_PROFILE })).toThrow(/API key/);
  });
});

runAssistantContract("openai (local wire-format server)", async () => {
  const server = await startFakeOpenAiChatServer();
  return {
    assistant: createOpenAiAssistant({
      apiKey: "sk-test",
      baseURL: server.baseURL,
      profile: DEFAULT_BUSINESS_PROFILE,
      timeoutMs: 2_000,
      maxRetries: 0,
    }),
    expectTurn: () =>
      server.enqueue({ kind: "stream", deltas: ["Sorry about the seat! ", "Could you send a photo?"] }),
    teardown: () => server.close(),
  };
});

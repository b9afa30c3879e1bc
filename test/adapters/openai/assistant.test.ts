import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createOpenAiAssistant } from "../../../src/adapters/openai/assistant.js";
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
  server.requests.length = 0;
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

  it("turns an HTTP 500 into an UpstreamError", async () => {
    server.enqueue({ kind: "status", status: 500, message: "boom" });
    await expect(collect(assistant().reply({ threadId: "t", transcript }))).rejects.toThrow(UpstreamError);
  });

  it("fails with UpstreamError within the timeout when the stream stalls", async () => {
    server.enqueue({ kind: "stream", deltas: ["Hello ", "there"], stallAfter: 1 });
    const started = Date.now();
    const seen: string[] = [];
    const run = async () => {
      for await (const delta of assistant(300).reply({ threadId: "t", transcript })) seen.push(delta);
    };
    await expect(run()).rejects.toThrow(/no data for 300 ms/);
    expect(seen).toEqual(["Hello "]);
    expect(Date.now() - started).toBeLessThan(2_000);
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

  it("requires an API key", () => {
    expect(() => createOpenAiAssistant({ apiKey: "", profile: DEFAULT_BUSINESS_PROFILE })).toThrow(/API key/);
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

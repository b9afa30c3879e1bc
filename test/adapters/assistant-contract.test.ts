import { createLocalAssistant } from "../../src/adapters/local/assistant.js";
import { createOpenAiAssistant } from "../../src/adapters/openai/assistant.js";
import { DEFAULT_BUSINESS_PROFILE } from "../../src/core/business-profile.js";
import { runAssistantContract } from "../contracts/assistant.contract.js";
import { startFakeOpenAiChatServer } from "../support/fake-openai-chat-server.js";

runAssistantContract("local", async () => ({
  assistant: createLocalAssistant({ profile: DEFAULT_BUSINESS_PROFILE }),
  expectTurn() {},
  async teardown() {},
}));

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

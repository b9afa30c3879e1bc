import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config.js";
import { DEFAULT_BUSINESS_PROFILE } from "../../../src/core/business-profile.js";
import { buildTranscript } from "../../../src/core/chat/transcript.js";
import { createLeadPreviewService } from "../../../src/entry/compose.js";
import { silentLogger } from "../../../src/ports/logger.js";
import {
  type FakeOpenAiChatServer,
  startFakeOpenAiChatServer,
} from "../../support/fake-openai-chat-server.js";
import { sampleSummary } from "../../support/lead-email.js";
import { makeTempDir } from "../../support/temp-dir.js";

// The README's "Local models" settings, end to end from the environment: a keyless OpenAI-compatible
// server (here a local wire-format fake) gets chat completions with the JSON schema format and no
// Authorization header, and the floor still decides contact.

const shop = DEFAULT_BUSINESS_PROFILE;

const transcript = buildTranscript([
  { role: "assistant", text: `Hi! You can also call us at ${shop.phone}.` },
  { role: "user", text: "The driver seat of my 2015 Ford F-150 Lariat has a torn seam. I'm Maria." },
  { role: "user", text: `I already tried ${shop.phone}, reach me at 512-555-0147 after 5pm.` },
]);

describe("a local model server through OPENAI_BASE_URL, without a key", () => {
  const temp = makeTempDir();
  let server: FakeOpenAiChatServer;
  beforeAll(async () => {
    server = await startFakeOpenAiChatServer();
  });
  afterAll(async () => {
    await server.close();
    temp.remove();
  });
  beforeEach(() => server.reset());

  async function summarizeWith(env: Record<string, string>) {
    const profile = join(temp.dir, "business.json");
    writeFileSync(profile, JSON.stringify(shop));
    const config = loadConfig({ DATA_DIR: temp.dir, BUSINESS_PROFILE: profile, ...env });
    const preview = await createLeadPreviewService(config, silentLogger);
    return preview.summarize(transcript);
  }

  it("summarizes through chat completions with the settings the README gives", async () => {
    // The model repeats the shop's own number as the customer's: the floor puts the customer's back.
    server.enqueue({
      kind: "json",
      value: sampleSummary({
        phone: "+15125550142",
        email: null,
        contact_time: "after 5pm",
        item_type: "truck",
        vehicle: { year: 2015, make: "Ford", model: "F-150 Lariat" },
      }),
    });
    const summary = await summarizeWith({
      OPENAI_BASE_URL: server.baseURL,
      OPENAI_API: "chat_completions",
      OPENAI_MODEL: "qwen2.5:14b",
      SUMMARIZER: "openai",
      ASSISTANT: "openai",
    });
    expect(summary).toMatchObject({
      phone: "+15125550147",
      contact_time: "after 5pm",
      vehicle: { model: "F-150 Lariat" },
      handoff_ready: true,
    });

    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request?.path).toBe("/v1/chat/completions");
    expect(request?.headers.authorization).toBeUndefined();
    const body = request?.body as { model: string; response_format: { type: string } };
    expect(body.model).toBe("qwen2.5:14b");
    expect(body.response_format.type).toBe("json_schema");
  });

  it("sends the key as a bearer token when one is set (vLLM --api-key)", async () => {
    server.enqueue({ kind: "json", value: sampleSummary() });
    await summarizeWith({
      OPENAI_BASE_URL: server.baseURL,
      OPENAI_API: "chat_completions",
      OPENAI_API_KEY: "local-secret",
      SUMMARIZER: "openai",
    });
    expect(server.requests[0]?.headers.authorization).toBe("Bearer local-secret");
  });
});

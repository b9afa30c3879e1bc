import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { loadSessionKey, withOpenAiKey } from "../../src/entry/backends.js";
import { awsEnv } from "../support/aws-emulators.js";
import type { FakeHttpServer } from "../support/fake-http-server.js";
import { type FakeSecretsReply, startFakeSecretsManager } from "../support/fake-secrets-manager.js";

/** Secrets the composition root reads from Secrets Manager at start (on AWS, one read per cold start). */
describe("secrets read at start", () => {
  let secrets: FakeHttpServer<FakeSecretsReply>;
  beforeAll(async () => {
    secrets = await startFakeSecretsManager();
    Object.assign(process.env, awsEnv({}), { AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.origin });
  });
  afterAll(async () => secrets.close());

  it("fills the OpenAI key from OPENAI_API_KEY_SECRET_ID, and leaves a given key alone", async () => {
    secrets.enqueue({ secret: { SecretString: "sk-from-secrets-manager" } });
    const config = loadConfig({ SUMMARIZER: "openai", OPENAI_API_KEY_SECRET_ID: "lead-handoff/openai" });
    expect(config.openai.apiKey).toBeNull();
    expect((await withOpenAiKey(config)).openai.apiKey).toBe("sk-from-secrets-manager");
    expect(secrets.requests.at(-1)?.body).toEqual({ SecretId: "lead-handoff/openai" });

    const given = loadConfig({ OPENAI_API_KEY: "sk-env", OPENAI_API_KEY_SECRET_ID: "lead-handoff/openai" });
    const before = secrets.requests.length;
    expect((await withOpenAiKey(given)).openai.apiKey).toBe("sk-env");
    expect(secrets.requests).toHaveLength(before);
  });

  it("names the setting and the secret in one line when the OpenAI key cannot be read", async () => {
    secrets.enqueue({ status: 400, type: "AccessDeniedException", message: "not allowed" });
    const config = loadConfig({ ASSISTANT: "openai", OPENAI_API_KEY_SECRET_ID: "lead-handoff/openai" });
    await expect(withOpenAiKey(config)).rejects.toThrow(
      "OPENAI_API_KEY_SECRET_ID lead-handoff/openai: access denied (AccessDeniedException)",
    );
  });

  it("takes the session key from SESSION_SECRET_ID when SESSION_SECRET is not set", async () => {
    secrets.enqueue({ secret: { SecretString: "k".repeat(48) } });
    const key = await loadSessionKey(loadConfig({ SESSION_SECRET_ID: "lead-handoff/session" }));
    expect(Buffer.from(key).toString("utf8")).toBe("k".repeat(48));
    const fromEnv = await loadSessionKey(
      loadConfig({ SESSION_SECRET: "e".repeat(40), SESSION_SECRET_ID: "lead-handoff/session" }),
    );
    expect(Buffer.from(fromEnv).toString("utf8")).toBe("e".repeat(40));
  });
});

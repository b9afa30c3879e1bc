import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadSessionKeyFromSecretsManager } from "../../../src/adapters/secrets-manager/session-key.js";
import { TEST_CREDENTIALS, TEST_REGION } from "../../support/aws-emulators.js";
import type { FakeHttpServer } from "../../support/fake-http-server.js";
import {
  type FakeSecretsReply as Reply,
  startFakeSecretsManager,
} from "../../support/fake-secrets-manager.js";

const SECRET_ID = "arn:aws:secretsmanager:us-east-1:123456789012:secret:lead-handoff/session-AbCdEf";

describe("loadSessionKeyFromSecretsManager", () => {
  let fake: FakeHttpServer<Reply>;
  let client: SecretsManagerClient;
  afterEach(async () => {
    client.destroy();
    await fake.close().catch(() => undefined); // already closed by the test of an unreachable service
    vi.unstubAllEnvs();
  });

  async function start(options: { maxAttempts?: number } = {}) {
    fake = await startFakeSecretsManager();
    client = new SecretsManagerClient({
      endpoint: fake.origin,
      region: TEST_REGION,
      credentials: TEST_CREDENTIALS,
      ...options,
    });
  }

  /** The error message of a load that must fail. */
  async function failure(timeoutMs?: number): Promise<string> {
    const error = await loadSessionKeyFromSecretsManager({
      secretId: SECRET_ID,
      client,
      ...(timeoutMs ? { timeoutMs } : {}),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    const { message } = error as Error;
    expect(message).not.toContain("\n");
    return message;
  }

  it("reads the SecretString once and answers its UTF-8 bytes", async () => {
    await start();
    const secret = "ñ".repeat(32); // 32 characters, 64 bytes
    fake.enqueue({ secret: { SecretString: secret } });
    const key = await loadSessionKeyFromSecretsManager({ secretId: SECRET_ID, client });
    expect(Buffer.from(key).equals(Buffer.from(secret, "utf8"))).toBe(true);
    expect(key).toHaveLength(64);

    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request?.method).toBe("POST");
    expect(request?.path).toBe("/");
    expect(request?.headers["x-amz-target"]).toBe("secretsmanager.GetSecretValue");
    expect(request?.headers["content-type"]).toBe("application/x-amz-json-1.1");
    expect(request?.body).toEqual({ SecretId: SECRET_ID });
  });

  it("builds its own client from the SDK's environment when none is given", async () => {
    await start();
    vi.stubEnv("AWS_ENDPOINT_URL_SECRETS_MANAGER", fake.origin);
    vi.stubEnv("AWS_REGION", TEST_REGION);
    vi.stubEnv("AWS_ACCESS_KEY_ID", TEST_CREDENTIALS.accessKeyId);
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", TEST_CREDENTIALS.secretAccessKey);
    fake.enqueue({ secret: { SecretString: "k".repeat(32) } });
    const key = await loadSessionKeyFromSecretsManager({ secretId: "lead-handoff/session" });
    expect(new TextDecoder().decode(key)).toBe("k".repeat(32));
    expect(fake.requests[0]?.body).toEqual({ SecretId: "lead-handoff/session" });
  });

  it.each([
    ["ResourceNotFoundException", 400, "secret not found (ResourceNotFoundException)"],
    ["AccessDeniedException", 400, "access denied (AccessDeniedException)"],
    ["DecryptionFailure", 400, "the secret cannot be decrypted with its KMS key (DecryptionFailure)"],
    [
      "InvalidRequestException",
      400,
      "the secret cannot be read now (deleted or scheduled for deletion?) (InvalidRequestException)",
    ],
    ["InternalServiceError", 500, "cannot be read: Secrets Manager is down (InternalServiceError)"],
  ])("names the secret and the %s in one line", async (type, status, what) => {
    await start({ maxAttempts: 1 });
    const message = type === "InternalServiceError" ? "Secrets Manager is\ndown" : "nope";
    fake.enqueue({ status, type, message });
    expect(await failure()).toBe(`SESSION_SECRET_ID ${SECRET_ID}: ${what}`);
  });

  it("refuses an empty, short or binary secret without showing its value", async () => {
    await start();
    fake.enqueue(
      { secret: { SecretString: "" } },
      { secret: { SecretString: "hunter2-but-longer" } },
      { secret: { SecretBinary: Buffer.from("x".repeat(40)).toString("base64") } },
    );
    expect(await failure()).toBe(`SESSION_SECRET_ID ${SECRET_ID}: the secret is empty`);
    expect(await failure()).toBe(
      `SESSION_SECRET_ID ${SECRET_ID}: the secret is 18 characters; at least 32 are required`,
    );
    expect(await failure()).toBe(
      `SESSION_SECRET_ID ${SECRET_ID}: the secret has no SecretString (binary secrets are not supported)`,
    );
  });

  it("gives up after timeoutMs when Secrets Manager does not answer", async () => {
    await start();
    fake.enqueue({ silent: true }, { silent: true }, { silent: true });
    const started = Date.now();
    expect(await failure(300)).toBe(
      `SESSION_SECRET_ID ${SECRET_ID}: no answer from Secrets Manager within 300 ms`,
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("says so when Secrets Manager cannot be reached", async () => {
    await start({ maxAttempts: 1 });
    await fake.close(); // the port now refuses connections
    expect(await failure()).toMatch(
      new RegExp(`^SESSION_SECRET_ID ${SECRET_ID}: cannot be read: .*\\(ECONNREFUSED\\)$`),
    );
  });
});

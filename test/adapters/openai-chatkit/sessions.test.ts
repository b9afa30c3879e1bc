import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { HostedChatKitError } from "../../../src/adapters/openai-chatkit/errors.js";
import {
  createHostedChatKitSessions,
  type HostedChatKitSessionsOptions,
} from "../../../src/adapters/openai-chatkit/sessions.js";
import {
  CHATKIT_BETA_HEADER,
  type FakeChatKitServer,
  startFakeChatKitServer,
} from "../../support/fake-chatkit-server.js";

const API_KEY = "sk-test-sessions-0123456789";
const WORKFLOW = "wf_fake_upholstery";
const MB = 1024 * 1024;

let fake: FakeChatKitServer;

beforeAll(async () => {
  fake = await startFakeChatKitServer();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
  fake.setDelayMs(0);
});

function sessions(options: { apiKey?: string } & Partial<Omit<HostedChatKitSessionsOptions, "client">> = {}) {
  const { apiKey = API_KEY, ...rest } = options;
  return createHostedChatKitSessions({
    client: new OpenAI({ apiKey, baseURL: fake.baseUrl }),
    workflowId: WORKFLOW,
    maxFileBytes: 10 * MB,
    ...rest,
  });
}

describe("createHostedChatKitSessions", () => {
  it("creates a session for the user with the workflow, expiry and upload limits", async () => {
    const before = Math.floor(Date.now() / 1000);
    const session = await sessions({ maxFiles: 4 }).create("user_abc", 900);
    const after = Math.floor(Date.now() / 1000);

    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request).toMatchObject({ method: "POST", path: "/v1/chatkit/sessions" });
    expect(request?.headers["openai-beta"]).toContain(CHATKIT_BETA_HEADER);
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request?.body).toEqual({
      user: "user_abc",
      workflow: { id: WORKFLOW },
      expires_after: { anchor: "created_at", seconds: 900 },
      chatkit_configuration: { file_upload: { enabled: true, max_file_size: 10, max_files: 4 } },
    });

    expect(session.clientSecret).toMatch(/^ek_fake_[0-9a-f]+$/);
    expect(session.expiresAt).toBeGreaterThanOrEqual(before + 900);
    expect(session.expiresAt).toBeLessThanOrEqual(after + 900);
    expect(Object.keys(session).sort()).toEqual(["clientSecret", "expiresAt"]);
  });

  it("sends at most 10 files by default and the byte limit rounded down to whole MB (512 at most)", async () => {
    await sessions({ maxFileBytes: 10_000_000 }).create("user_a", 60);
    await sessions({ maxFileBytes: 2048 * MB }).create("user_b", 60);

    const uploads = fake.requests.map(
      (request) =>
        (request.body as { chatkit_configuration: { file_upload: unknown } }).chatkit_configuration
          .file_upload,
    );
    expect(uploads).toEqual([
      { enabled: true, max_file_size: 9, max_files: 10 },
      { enabled: true, max_file_size: 512, max_files: 10 },
    ]);
  });

  it("refuses a configuration ChatKit cannot express", () => {
    expect(() => sessions({ maxFileBytes: MB - 1 })).toThrow(/maxFileBytes must be at least/);
    expect(() => sessions({ maxFiles: 0 })).toThrow(/maxFiles must be a positive integer/);
    expect(() => sessions({ workflowId: "" })).toThrow(/workflowId is required/);
  });

  it("an expired key fails with status 401 and no key anywhere", async () => {
    const key = "sk-test-expired-0123456789abcdef";
    fake.expireKey(key);

    const error = await sessions({ apiKey: key })
      .create("user_abc", 600)
      .then(
        () => null,
        (caught: unknown) => caught,
      );

    expect(error).toBeInstanceOf(HostedChatKitError);
    expect(error).toMatchObject({ status: 401, upstreamStatus: 401, upstreamCode: "invalid_api_key" });
    const { message, stack } = error as HostedChatKitError;
    expect(message).toMatch(/^hosted ChatKit sessions\.create failed: HTTP 401/);
    for (const text of [message, stack ?? "", JSON.stringify(error)]) {
      expect(text).not.toContain(key);
      expect(text).not.toContain("0123456789abcdef");
    }
  });

  it("other upstream errors keep their status and are not retried", async () => {
    fake.failNext(503, { message: "overloaded" });
    await expect(sessions().create("user_abc", 600)).rejects.toMatchObject({
      name: "HostedChatKitError",
      status: 503,
    });
    expect(fake.requests).toHaveLength(1);
  });

  it("a slow upstream rejects within the timeout, without retries", async () => {
    fake.setDelayMs(5_000);

    const started = performance.now();
    const error = await sessions({ timeoutMs: 200 })
      .create("user_abc", 600)
      .then(
        () => null,
        (caught: unknown) => caught,
      );
    const elapsed = performance.now() - started;

    expect(error).toBeInstanceOf(HostedChatKitError);
    expect(error).toMatchObject({ status: 504, upstreamStatus: null, upstreamCode: "timeout" });
    expect((error as Error).message).toContain("timed out after 200 ms");
    expect(elapsed).toBeLessThan(2_000);
    expect(fake.requests).toHaveLength(1);
  });
});

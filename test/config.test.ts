import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";

describe("loadConfig", () => {
  it("needs nothing on the embedded default and applies the reference deployment's defaults", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 8787,
      publicBaseUrl: "http://localhost:8787",
      attachmentPreviewBaseUrl: "http://localhost:8787/api/attachments",
      attachmentMaxBytes: 20_000_000,
      attachmentRetentionDays: 365,
      attributionTtlDays: 180,
      smsLinkTokenTtlDays: 7,
      store: "sqlite",
      blobs: "fs",
      mailer: "outbox",
      summarizer: "local",
      assistant: "local",
      chatRuntime: "self",
      lead: {
        idleDelayMs: 300_000,
        requireIdleForAll: false,
        dedupeTtlDays: 30,
        inlineAttachmentMaxBytes: 3_000_000,
        defaultRegion: "US",
        emailTo: ["owner@lead-handoff.localhost"],
        emailFrom: "leads@lead-handoff.localhost",
      },
    });
    expect(config.dataDir).toMatch(/\.data$/);
  });

  it("reads the chat runtime settings", () => {
    const config = loadConfig({
      PORT: "9000",
      ALLOWED_ORIGINS: "https://craigs.example, http://localhost:3000/",
      SESSION_TTL_SECONDS: "300",
      RATE_LIMIT_UPLOADS_PER_USER: "0",
      BUSINESS_PROFILE: "/etc/shop.json",
    });
    expect(config.allowedOrigins).toEqual(["https://craigs.example", "http://localhost:3000"]);
    expect(config.session).toEqual({ secret: null, ttlSeconds: 300 });
    expect(config.rateLimits).toMatchObject({ uploadsPerUserPer10Min: 0, messagesPerUserPerMin: 30 });
    expect(config.businessProfilePath).toBe("/etc/shop.json");
    expect(loadConfig({ PORT: "9000" }).allowedOrigins).toEqual([
      "http://localhost:9000",
      "http://127.0.0.1:9000",
    ]);
  });

  it("admits requests first in, first out unless HTTP_ADMISSION=off (the bench's baseline)", () => {
    expect(loadConfig({}).httpAdmission).toBe("fifo");
    expect(loadConfig({ HTTP_ADMISSION: "off" }).httpAdmission).toBe("off");
    expect(() => loadConfig({ HTTP_ADMISSION: "lifo" })).toThrow(
      'HTTP_ADMISSION="lifo" is not valid: expected one of fifo, off',
    );
  });

  it("trusts no proxy unless TRUST_PROXY says how many stand in front", () => {
    expect(loadConfig({}).trustProxy).toBe(0);
    expect(loadConfig({ TRUST_PROXY: "" }).trustProxy).toBe(0);
    expect(loadConfig({ TRUST_PROXY: "0" }).trustProxy).toBe(0);
    expect(loadConfig({ TRUST_PROXY: "1" }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: " 2 " }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: "10" }).trustProxy).toBe(10);
  });

  it("reads the owner password or its scrypt hash; neither means loopback-only owner pages", () => {
    const hash = `scrypt$32768$8$1$${Buffer.alloc(16, 1).toString("base64")}$${Buffer.alloc(32, 2).toString("base64")}`;
    expect(loadConfig({}).owner).toEqual({ password: null, passwordHash: null });
    expect(loadConfig({ OWNER_PASSWORD: "  " }).owner).toEqual({ password: null, passwordHash: null });
    // Taken as typed: a space at either end is part of the password.
    expect(loadConfig({ OWNER_PASSWORD: " open sesame " }).owner).toEqual({
      password: " open sesame ",
      passwordHash: null,
    });
    expect(loadConfig({ OWNER_PASSWORD_HASH: ` ${hash} ` }).owner).toEqual({
      password: null,
      passwordHash: hash,
    });
  });

  it("reads overrides", () => {
    const config = loadConfig({
      PORT: "9000",
      DATA_DIR: "/tmp/x",
      PUBLIC_BASE_URL: "https://leads.example.com/",
      LEAD_IDLE_DELAY_SECONDS: "60",
      LEAD_REQUIRE_IDLE_FOR_ALL: "true",
      LEAD_EMAIL_TO: "craig@example.com, sam@example.com",
      LEAD_DEFAULT_REGION: "gb",
      MAILER: "smtp",
      SMTP_URL: "smtp://u:p@127.0.0.1:2525",
    });
    expect(config.publicBaseUrl).toBe("https://leads.example.com");
    expect(config.attachmentPreviewBaseUrl).toBe("https://leads.example.com/api/attachments");
    expect(config.lead).toMatchObject({
      idleDelayMs: 60_000,
      requireIdleForAll: true,
      emailTo: ["craig@example.com", "sam@example.com"],
      defaultRegion: "GB",
    });
    expect(config.dataDir).toBe("/tmp/x");
    expect(config.mailer).toBe("smtp");
  });

  it("reads the AWS settings, with the reference deployment's table names by default", () => {
    const config = loadConfig({
      STORE: "dynamodb",
      BLOBS: "s3",
      MAILER: "ses",
      ATTACHMENT_BUCKET: "shop-uploads",
      S3_FORCE_PATH_STYLE: "true",
      THREADS_TABLE: "shop-threads",
      SESSION_SECRET_ID: "arn:aws:secretsmanager:us-east-1:1:secret:key",
    });
    expect(config).toMatchObject({ store: "dynamodb", blobs: "s3", mailer: "ses" });
    expect(config.aws).toEqual({
      tables: {
        leads: "ChatkitLeadDedupeTable",
        attribution: "ChatkitLeadAttributionTable",
        smsTokens: "ChatkitSmsLinkTokenTable",
        threads: "shop-threads",
        rateLimits: "ChatkitRateLimitTable",
        journal: "ChatkitLeadJournalTable",
      },
      bucket: "shop-uploads",
      s3ForcePathStyle: true,
      sesConfigurationSet: null,
      sessionSecretId: "arn:aws:secretsmanager:us-east-1:1:secret:key",
    });
  });

  it("reads the OpenAI settings: the Responses API by default, chat completions on request", () => {
    expect(loadConfig({}).openai).toEqual({
      apiKey: null,
      apiKeySecretId: null,
      model: "gpt-4.1-mini",
      baseUrl: null,
      api: "responses",
    });
    const local = loadConfig({
      OPENAI_BASE_URL: "http://127.0.0.1:11434/v1/",
      OPENAI_API: "chat_completions",
      OPENAI_MODEL: "qwen2.5:14b",
    });
    expect(local.openai).toEqual({
      apiKey: null,
      apiKeySecretId: null,
      model: "qwen2.5:14b",
      baseUrl: "http://127.0.0.1:11434/v1",
      api: "chat_completions",
    });
    expect(loadConfig({ OPENAI_API: "responses" }).openai.api).toBe("responses");
  });

  it("needs no OpenAI key for the model adapters when OPENAI_BASE_URL points at a server of one's own", () => {
    const env = { OPENAI_BASE_URL: "http://127.0.0.1:11434/v1", OPENAI_API: "chat_completions" };
    const config = loadConfig({ ...env, SUMMARIZER: "openai", ASSISTANT: "openai" });
    expect(config).toMatchObject({ summarizer: "openai", assistant: "openai" });
    expect(config.openai.apiKey).toBeNull();
    // A key given anyway (vLLM --api-key) is used.
    expect(loadConfig({ ...env, SUMMARIZER: "openai", OPENAI_API_KEY: "local-key" }).openai.apiKey).toBe(
      "local-key",
    );
    // Without a base URL the key (or its secret) is still required.
    expect(() => loadConfig({ SUMMARIZER: "openai" })).toThrow(ConfigError);
    expect(loadConfig({ SUMMARIZER: "openai", OPENAI_API_KEY_SECRET_ID: "openai-key" }).summarizer).toBe(
      "openai",
    );
  });

  it.each([
    [{ PORT: "eighty" }, 'PORT="eighty" is not valid: expected a whole number from 0 to 65535'],
    [{ LEAD_IDLE_DELAY_SECONDS: "-5" }, "LEAD_IDLE_DELAY_SECONDS"],
    [
      { LEAD_REQUIRE_IDLE_FOR_ALL: "maybe" },
      'LEAD_REQUIRE_IDLE_FOR_ALL="maybe" is not valid: expected true or false',
    ],
    [{ MAILER: "carrier-pigeon" }, 'MAILER="carrier-pigeon" is not valid: expected one of outbox, smtp, ses'],
    [{ CHAT_RUNTIME: "chatkit" }, "CHATKIT_WORKFLOW_ID is required when CHAT_RUNTIME=chatkit"],
    [
      { CHAT_RUNTIME: "chatkit", CHATKIT_WORKFLOW_ID: "wf_1" },
      "OPENAI_API_KEY is required when CHAT_RUNTIME=chatkit",
    ],
    [{ CHAT_RUNTIME: "hosted" }, 'CHAT_RUNTIME="hosted" is not valid: expected one of self, chatkit'],
    [{ BLOBS: "s3" }, "ATTACHMENT_BUCKET is required when BLOBS=s3"],
    [{ LEADS_TABLE: "x" }, 'LEADS_TABLE="x" is not valid: expected a DynamoDB table name'],
    [{ S3_FORCE_PATH_STYLE: "sometimes" }, "S3_FORCE_PATH_STYLE"],
    [{ PUBLIC_BASE_URL: "ftp://x" }, "PUBLIC_BASE_URL"],
    [{ LEAD_EMAIL_TO: "craig" }, 'LEAD_EMAIL_TO="craig"'],
    [{ LEAD_DEFAULT_REGION: "XX" }, "LEAD_DEFAULT_REGION"],
    [{ OPENAI_BASE_URL: "localhost:1234" }, "OPENAI_BASE_URL"],
    [
      { ASSISTANT: "openai" },
      "OPENAI_API_KEY is required when ASSISTANT=openai (unless OPENAI_BASE_URL is set)",
    ],
    [
      { CHAT_RUNTIME: "chatkit", CHATKIT_WORKFLOW_ID: "wf_1", OPENAI_BASE_URL: "http://127.0.0.1:11434/v1" },
      "OPENAI_API_KEY is required when CHAT_RUNTIME=chatkit",
    ],
    [
      { OPENAI_API: "completions" },
      'OPENAI_API="completions" is not valid: expected one of responses, chat_completions',
    ],
    [{ SUMMARIZER: "openai", OPENAI_BASE_URL: "localhost:11434" }, "OPENAI_BASE_URL"],
    [{ SESSION_SECRET: "short" }, "SESSION_SECRET"],
    [{ SESSION_TTL_SECONDS: "5" }, "SESSION_TTL_SECONDS"],
    [{ ALLOWED_ORIGINS: "*" }, "ALLOWED_ORIGINS"],
    [{ ALLOWED_ORIGINS: "https://shop.example/path" }, "ALLOWED_ORIGINS"],
    [{ RATE_LIMIT_MESSAGES_PER_USER: "lots" }, "RATE_LIMIT_MESSAGES_PER_USER"],
    [{ TRUST_PROXY: "11" }, 'TRUST_PROXY="11" is not valid: expected a whole number from 0 to 10'],
    [{ TRUST_PROXY: "-1" }, 'TRUST_PROXY="-1" is not valid: expected a whole number from 0 to 10'],
    [{ TRUST_PROXY: "true" }, 'TRUST_PROXY="true" is not valid: expected a whole number from 0 to 10'],
    [{ TRUST_PROXY: "1.5" }, 'TRUST_PROXY="1.5" is not valid: expected a whole number from 0 to 10'],
    [
      { SUMMARIZER: "openai" },
      "OPENAI_API_KEY is required when SUMMARIZER=openai (unless OPENAI_BASE_URL is set)",
    ],
    [{ MAILER: "smtp" }, "SMTP_URL is required when MAILER=smtp"],
    [{ OWNER_PASSWORD: "short" }, 'OWNER_PASSWORD="(hidden)" is not valid: expected 8 to 1024 characters'],
    [
      { OWNER_PASSWORD_HASH: "hunter2" },
      'OWNER_PASSWORD_HASH="(hidden)" is not valid: expected scrypt$N$r$p$salt$hash',
    ],
    [{ OWNER_PASSWORD_HASH: "scrypt$16$8$1$AQEBAQEBAQE=$AgICAgICAgICAgICAgICAg==" }, "OWNER_PASSWORD_HASH"],
    [{ OWNER_PASSWORD_HASH: "scrypt$32768$8$1$not*base64$AgICAgICAgICAgICAgICAg==" }, "OWNER_PASSWORD_HASH"],
    [{ OWNER_PASSWORD_HASH: "bcrypt$2b$10$abcdefghijklmnopqrstuv" }, "OWNER_PASSWORD_HASH"],
    [
      {
        OWNER_PASSWORD: "open sesame",
        OWNER_PASSWORD_HASH: "scrypt$32768$8$1$AQEBAQEBAQE=$AgICAgICAgICAgICAgICAg==",
      },
      "OWNER_PASSWORD and OWNER_PASSWORD_HASH are both set: keep one",
    ],
    [
      { SHOP_TIME_ZONE: "Central Time" },
      'SHOP_TIME_ZONE="Central Time" is not valid: expected an IANA time zone like America/Chicago',
    ],
    [{ SHOP_TIME_ZONE: "America/Springfield" }, "SHOP_TIME_ZONE"],
    [{ SHOP_TIME_ZONE: "-05:00" }, "SHOP_TIME_ZONE"],
    [
      { ADS_CURRENCY: "dollars" },
      'ADS_CURRENCY="dollars" is not valid: expected a three-letter ISO 4217 code',
    ],
    [{ ADS_CONVERSION_NAME_LEAD: "x".repeat(101) }, "ADS_CONVERSION_NAME_LEAD"],
  ])("fails with one line for %j", (env, expected) => {
    try {
      loadConfig(env);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toContain(expected);
      expect(message).not.toContain("\n");
    }
  });

  it("reads the Google Ads export settings, with the demo shop's defaults", () => {
    expect(loadConfig({}).ads).toEqual({
      timeZone: "America/Chicago",
      conversionNameLead: "Website chat lead",
      conversionNameWon: "Website chat job won",
      currency: "USD",
    });
    expect(
      loadConfig({
        SHOP_TIME_ZONE: "europe/berlin",
        ADS_CONVERSION_NAME_LEAD: "Chat lead",
        ADS_CONVERSION_NAME_WON: "Job won",
        ADS_CURRENCY: "eur",
      }).ads,
    ).toEqual({
      // Intl's canonical spelling, as the Parameters row writes it.
      timeZone: "Europe/Berlin",
      conversionNameLead: "Chat lead",
      conversionNameWon: "Job won",
      currency: "EUR",
    });
  });
});

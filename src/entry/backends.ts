import { join } from "node:path";
import type { Config } from "../config.js";
import type { AttributionStore } from "../ports/attribution-store.js";
import type { BlobStore } from "../ports/blob-store.js";
import type { HostedChatSessions } from "../ports/hosted-chat-sessions.js";
import type { ImageShrinker } from "../ports/image-shrinker.js";
import type { LeadJournal } from "../ports/lead-journal.js";
import type { LeadStore } from "../ports/lead-store.js";
import type { Mailer } from "../ports/mailer.js";
import type { MessageDecoder } from "../ports/message-decoder.js";
import type { OutboxReader } from "../ports/outbox-reader.js";
import type { RateLimitStore } from "../ports/rate-limit-store.js";
import type { ThreadStore } from "../ports/thread-store.js";
import type { TokenStore } from "../ports/token-store.js";

/*
 * The backend choices of the composition root. Every adapter module is imported only when the
 * config picks it, so the embedded default never loads the AWS SDK and a Lambda bundle never
 * loads better-sqlite3 or esbuild.
 */

/** Every store of one process, and how to close them. */
export interface Stores {
  threads: ThreadStore;
  attribution: AttributionStore;
  tokens: TokenStore;
  leads: LeadStore;
  /** Each conversation's history and the owner's outcomes (the console). */
  journal: LeadJournal;
  rateLimits: RateLimitStore;
  close(): Promise<void>;
}

async function openSqliteStores(config: Config, now: () => number): Promise<Stores> {
  const [{ openSqliteDatabase }, threads, attribution, tokens, leads, journal, memory] = await Promise.all([
    import("../adapters/sqlite/database.js"),
    import("../adapters/sqlite/thread-store.js"),
    import("../adapters/sqlite/attribution-store.js"),
    import("../adapters/sqlite/token-store.js"),
    import("../adapters/sqlite/lead-store.js"),
    import("../adapters/sqlite/lead-journal.js"),
    import("../adapters/memory/rate-limit-store.js"),
  ]);
  const db = openSqliteDatabase({ path: join(config.dataDir, "lead-handoff.sqlite") });
  return {
    threads: threads.createSqliteThreadStore({ db }),
    attribution: attribution.createSqliteAttributionStore({ db, now }),
    tokens: tokens.createSqliteTokenStore({ db }),
    leads: leads.createSqliteLeadStore({ db }),
    journal: journal.createSqliteLeadJournal({ db, now }),
    // One server: its own memory is the shared place.
    rateLimits: memory.createMemoryRateLimitStore(),
    async close() {
      db.close();
    },
  };
}

async function openDynamoDbStores(config: Config, now: () => number): Promise<Stores> {
  const [{ createDynamoDbDocumentClient }, threads, attribution, tokens, leads, journal, rateLimits] =
    await Promise.all([
      import("../adapters/dynamodb/client.js"),
      import("../adapters/dynamodb/thread-store.js"),
      import("../adapters/dynamodb/attribution-store.js"),
      import("../adapters/dynamodb/token-store.js"),
      import("../adapters/dynamodb/lead-store.js"),
      import("../adapters/dynamodb/lead-journal.js"),
      import("../adapters/dynamodb/rate-limit-store.js"),
    ]);
  const client = createDynamoDbDocumentClient();
  const names = config.aws.tables;
  return {
    // A thread lives as long as its photos are kept.
    threads: threads.createDynamoDbThreadStore({
      client,
      tableName: names.threads,
      ttlDays: config.attachmentRetentionDays,
    }),
    attribution: attribution.createDynamoDbAttributionStore({ client, tableName: names.attribution, now }),
    tokens: tokens.createDynamoDbTokenStore({ client, tableName: names.smsTokens }),
    leads: leads.createDynamoDbLeadStore({ client, tableName: names.leads }),
    journal: journal.createDynamoDbLeadJournal({ client, tableName: names.journal, now }),
    rateLimits: rateLimits.createDynamoDbRateLimitStore({ client, tableName: names.rateLimits }),
    async close() {
      client.destroy();
    },
  };
}

/** The stores `STORE` picks: SQLite in `DATA_DIR` (default) or DynamoDB. */
export function openStores(config: Config, now: () => number): Promise<Stores> {
  return config.store === "dynamodb" ? openDynamoDbStores(config, now) : openSqliteStores(config, now);
}

/** Runs `load` once, on the first call that needs what it loads. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => {
    loaded ??= load();
    return loaded;
  };
}

/**
 * The S3 store, its SDK loaded on first use: on Lambda most functions (sessions, SMS links, the
 * widget) never touch S3, and their cold start should not parse its client.
 */
function lazyS3BlobStore(bucket: string, forcePathStyle: boolean): BlobStore {
  const store = once(async () => {
    const { createS3BlobStore } = await import("../adapters/s3/blob-store.js");
    return createS3BlobStore({ bucket, forcePathStyle });
  });
  return {
    put: async (key, bytes, options) => (await store()).put(key, bytes, options),
    get: async (key) => (await store()).get(key),
    head: async (key) => (await store()).head(key),
    delete: async (key) => (await store()).delete(key),
    downloadUrl: async (key, options) => (await store()).downloadUrl?.(key, options) ?? null,
  };
}

/**
 * Photo downscaling with sharp, loaded on the first photo that needs it (a Lambda that never
 * sends mail never loads the native module).
 */
export function lazySharpShrinker(): ImageShrinker {
  const shrinker = once(async () => {
    const { createSharpImageShrinker } = await import("../adapters/sharp/image-shrinker.js");
    return createSharpImageShrinker();
  });
  return { shrink: async (source, options) => (await shrinker()).shrink(source, options) };
}

/** Shows stored emails in the owner's console; mailparser is loaded on the first one shown. */
export function openMessageDecoder(): MessageDecoder {
  const decoder = once(async () =>
    (await import("../adapters/outbox/outbox-reader.js")).createMessageDecoder(),
  );
  return { decode: async (raw) => (await decoder()).decode(raw) };
}

/** Where uploads and prepared emails live: `DATA_DIR/blobs` (default) or the S3 bucket. */
export async function openBlobStore(config: Config): Promise<BlobStore> {
  if (config.blobs === "s3" && config.aws.bucket)
    return lazyS3BlobStore(config.aws.bucket, config.aws.s3ForcePathStyle);
  const { createFsBlobStore } = await import("../adapters/fs/blob-store.js");
  return createFsBlobStore({ root: join(config.dataDir, "blobs"), flush: true });
}

/** The mailer `MAILER` picks, and the outbox reader when it is the embedded outbox. */
export async function openMailer(config: Config): Promise<{ mailer: Mailer; outbox: OutboxReader | null }> {
  if (config.mailer === "ses") {
    const set = config.aws.sesConfigurationSet;
    // Loaded on the first send: only the lead-email function and the sweeper ever send.
    const ses = once(async () => {
      const { createSesMailer } = await import("../adapters/ses/mailer.js");
      return createSesMailer(set ? { configurationSet: set } : {});
    });
    return { mailer: { send: async (mail) => (await ses()).send(mail) }, outbox: null };
  }
  if (config.mailer === "smtp" && config.smtpUrl) {
    const { createSmtpMailer } = await import("../adapters/smtp/mailer.js");
    // Every step well inside the delivery deadline, which is well inside the send lease.
    const sendMs = config.lead.sendTimeoutMs;
    const mailer = createSmtpMailer({
      url: config.smtpUrl,
      connectionTimeout: Math.min(10_000, sendMs / 4),
      greetingTimeout: Math.min(10_000, sendMs / 4),
      socketTimeout: Math.min(30_000, sendMs / 2),
    });
    return { mailer, outbox: null };
  }
  const [{ createOutboxMailer }, { createOutboxReader }] = await Promise.all([
    import("../adapters/outbox/mailer.js"),
    import("../adapters/outbox/outbox-reader.js"),
  ]);
  const dir = join(config.dataDir, "outbox");
  // Durable before the lead is marked sent: a power cut must not lose an email the state calls sent.
  return { mailer: createOutboxMailer({ dir, fsync: true }), outbox: createOutboxReader({ dir }) };
}

/** Hosted OpenAI ChatKit as the chat runtime: its sessions, and its threads for the lead service. */
export interface HostedChatKit {
  sessions: HostedChatSessions;
  threads: ThreadStore;
}

/**
 * With `CHAT_RUNTIME=chatkit` (the config already holds the OpenAI key, see {@link withOpenAiKey}):
 * sessions come from the workflow and the lead service reads threads from OpenAI. Null otherwise.
 */
export async function openHostedChatKit(config: Config): Promise<HostedChatKit | null> {
  if (config.chatRuntime !== "chatkit" || !config.chatkitWorkflowId) return null;
  const [{ default: OpenAI }, { createHostedChatKitSessions }, { createHostedChatKitThreadStore }] =
    await Promise.all([
      import("openai"),
      import("../adapters/openai-chatkit/sessions.js"),
      import("../adapters/openai-chatkit/thread-store.js"),
    ]);
  const client = new OpenAI({
    apiKey: config.openai.apiKey,
    ...(config.openai.baseUrl ? { baseURL: config.openai.baseUrl } : {}),
  });
  return {
    sessions: createHostedChatKitSessions({
      client,
      workflowId: config.chatkitWorkflowId,
      maxFileBytes: config.attachmentMaxBytes,
    }),
    // Reading a thread must leave a /lead room to answer within the send deadline.
    threads: createHostedChatKitThreadStore({
      client,
      timeoutMs: Math.min(10_000, config.lead.sendTimeoutMs / 2),
    }),
  };
}

/**
 * The config with the OpenAI key in place: `OPENAI_API_KEY`, else read once from the Secrets
 * Manager secret `OPENAI_API_KEY_SECRET_ID` (on AWS, so the key never sits in a function's env).
 */
export async function withOpenAiKey(config: Config): Promise<Config> {
  const { apiKey, apiKeySecretId } = config.openai;
  if (apiKey || !apiKeySecretId) return config;
  const { readSecretString } = await import("../adapters/secrets-manager/session-key.js");
  const key = await readSecretString({ secretId: apiKeySecretId, setting: "OPENAI_API_KEY_SECRET_ID" });
  return { ...config, openai: { ...config.openai, apiKey: key } };
}

/**
 * The session HMAC key: `SESSION_SECRET`, else the Secrets Manager secret `SESSION_SECRET_ID`
 * (read once per process, a Lambda cold start), else the key file in `DATA_DIR`.
 */
export async function loadSessionKey(config: Config): Promise<Uint8Array> {
  if (!config.session.secret && config.aws.sessionSecretId) {
    const { loadSessionKeyFromSecretsManager } = await import("../adapters/secrets-manager/session-key.js");
    return loadSessionKeyFromSecretsManager({ secretId: config.aws.sessionSecretId });
  }
  const { loadOrCreateSessionKey } = await import("../adapters/fs/session-key.js");
  return loadOrCreateSessionKey({ secret: config.session.secret, dataDir: config.dataDir });
}

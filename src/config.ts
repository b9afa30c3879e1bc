import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { type CountryCode, getCountries } from "libphonenumber-js";
import { z } from "zod";
import { PASSWORD_HASH_FORMAT, parsePasswordHash } from "./core/password-hash.js";
import type { RateLimitSettings } from "./core/rate-limit.js";

/** A bad environment value. Its message is one line naming the variable, the value and what is allowed. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** Validated settings. Only this module reads process.env. */
export interface Config {
  port: number;
  dataDir: string;
  publicBaseUrl: string;
  attachmentPreviewBaseUrl: string;
  attachmentMaxBytes: number;
  attachmentRetentionDays: number;
  lead: {
    idleDelayMs: number;
    requireIdleForAll: boolean;
    /** How often the in-process sweeper looks for due leads (`LEAD_SWEEP_INTERVAL_SECONDS`); 0: never. */
    sweepIntervalMs: number;
    /**
     * The longest one delivery may take (`LEAD_SEND_TIMEOUT_SECONDS`); the SMTP timeouts and the
     * send lease (twice this) follow from it.
     */
    sendTimeoutMs: number;
    dedupeTtlDays: number;
    inlineAttachmentMaxBytes: number;
    emailTo: string[];
    emailFrom: string;
    defaultRegion: CountryCode;
  };
  attributionTtlDays: number;
  /** How long a shutdown waits for chat replies and sends in flight (`SHUTDOWN_GRACE_SECONDS`). */
  shutdownGraceMs: number;
  /**
   * `HTTP_ADMISSION`: `fifo` hands the server's requests to the app one per event-loop turn in
   * arrival order, so a busy process still accepts new connections (src/entry/admission.ts);
   * `off` hands each one over as it is read (the bench's baseline).
   */
  httpAdmission: "fifo" | "off";
  smsLinkTokenTtlDays: number;
  /** `SHOP_NAME`: overrides the business profile's name where the shop signs (the drafted SMS reply). */
  shopName: string | null;
  store: "sqlite" | "dynamodb";
  blobs: "fs" | "s3";
  mailer: "outbox" | "smtp" | "ses";
  /**
   * Production on AWS (`STORE=dynamodb`, `BLOBS=s3`, `MAILER=ses`). Endpoints, region and
   * credentials are the SDK's own (`AWS_ENDPOINT_URL[_SERVICE]`, `AWS_REGION`, the default chain).
   */
  aws: {
    tables: AwsTableNames;
    /** `ATTACHMENT_BUCKET`: uploads and prepared emails; required with `BLOBS=s3`. */
    bucket: string | null;
    /** `S3_FORCE_PATH_STYLE`: path-style addressing for S3-compatible stores (MinIO, R2, s3rver). */
    s3ForcePathStyle: boolean;
    /** `SES_CONFIGURATION_SET`: SES configuration set for sending events, if any. */
    sesConfigurationSet: string | null;
    /** `SESSION_SECRET_ID`: the Secrets Manager secret holding the session HMAC key. */
    sessionSecretId: string | null;
  };
  summarizer: "local" | "openai";
  assistant: "local" | "openai";
  /** `CHAT_RUNTIME`: our own ChatKit server (`self`), or hosted OpenAI ChatKit (`chatkit`). */
  chatRuntime: "self" | "chatkit";
  /** `CHATKIT_WORKFLOW_ID`: the hosted ChatKit workflow; required with `CHAT_RUNTIME=chatkit`. */
  chatkitWorkflowId: string | null;
  session: {
    /** HMAC key material; null means a random key kept in DATA_DIR/session.key. */
    secret: string | null;
    ttlSeconds: number;
  };
  /** `CHAT_URL`: base of `/api/chatkit` when the chat runs elsewhere (a streaming Function URL). */
  chatUrl: string | null;
  /** Origins allowed to call the API from a browser (CORS). */
  allowedOrigins: string[];
  /**
   * Who may open the owner pages (`/outbox`, `/owner`): `OWNER_PASSWORD`, or `OWNER_PASSWORD_HASH`
   * (`scrypt$N$r$p$salt$hash`, from `lead-handoff hash-password`); at most one. Neither: only
   * requests from this computer (loopback) get in.
   */
  owner: { password: string | null; passwordHash: string | null };
  /**
   * `OWNER_DIGEST`: `weekly` sends the owner one summary email every Monday morning (08:00 in
   * `SHOP_TIME_ZONE`); `off` (the default) sends none.
   */
  ownerDigest: "off" | "weekly";
  /** `LEAD_JOURNAL_TTL_DAYS`: how long each conversation's history and outcomes are kept. */
  journalTtlDays: number;
  /** Path of the business profile JSON; null means the built-in demo shop. */
  businessProfilePath: string | null;
  /** Abuse limits (requests per window); 0 turns one off. */
  rateLimits: RateLimitSettings;
  /** `TRUST_PROXY`: proxies of ours in front, whose X-Forwarded-For entries per-IP limits trust (0 = none). */
  trustProxy: number;
  openai: {
    /** `OPENAI_API_KEY`; may be null with `OPENAI_BASE_URL` (a local model server needing none). */
    apiKey: string | null;
    /** `OPENAI_API_KEY_SECRET_ID`: a Secrets Manager secret holding the key (read once at start). */
    apiKeySecretId: string | null;
    model: string;
    baseUrl: string | null;
    /**
     * `OPENAI_API`: what the summarizer calls, the Responses API (`responses`) or chat completions
     * with a JSON schema response format (`chat_completions`, for OpenAI-compatible local servers).
     */
    api: "responses" | "chat_completions";
  };
  /** The Google Ads exports (`lead-handoff export`, docs/google-ads.md). */
  ads: AdsSettings;
  smtpUrl: string | null;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
}

/** Settings of the Google Ads exports. */
export interface AdsSettings {
  /** `SHOP_TIME_ZONE`: the shop's IANA time zone (canonical spelling); conversion times are written in it. */
  timeZone: string;
  /** `ADS_CONVERSION_NAME_LEAD`: the Google Ads conversion action a sent lead counts for. */
  conversionNameLead: string;
  /** `ADS_CONVERSION_NAME_WON`: the conversion action a won job counts for, with its value. */
  conversionNameWon: string;
  /** `ADS_CURRENCY`: ISO 4217 code for values that carry none. */
  currency: string;
}

/** DynamoDB table names (`LEADS_TABLE`, ...); the defaults are the reference deployment's. */
export interface AwsTableNames {
  leads: string;
  attribution: string;
  smsTokens: string;
  threads: string;
  rateLimits: string;
  journal: string;
}

type Env = Record<string, string | undefined>;

function fail(name: string, value: string, allowed: string): never {
  throw new ConfigError(`${name}=${JSON.stringify(value)} is not valid: expected ${allowed}`);
}

function read(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw === "" ? undefined : raw;
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max)
    fail(name, raw, `a whole number from ${min} to ${max}`);
  return value;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (/^(true|1|yes)$/i.test(raw)) return true;
  if (/^(false|0|no)$/i.test(raw)) return false;
  return fail(name, raw, "true or false");
}

/** One of `available` (the first when unset); anything else fails naming what is allowed. */
function choice<T extends string>(env: Env, name: string, available: readonly T[]): T {
  const raw = read(env, name);
  if (raw === undefined) return available[0] as T;
  if ((available as readonly string[]).includes(raw)) return raw as T;
  return fail(name, raw, `one of ${available.join(", ")}`);
}

function url(env: Env, name: string, fallback: string): string {
  const raw = read(env, name) ?? fallback;
  const parsed = z.url({ protocol: /^https?$/ }).safeParse(raw);
  if (!parsed.success) fail(name, raw, "an http(s) URL");
  return raw.replace(/\/+$/, "");
}

function emails(env: Env, name: string, fallback: string): string[] {
  const raw = read(env, name) ?? fallback;
  const list = raw.split(",").map((s) => s.trim());
  if (list.some((e) => !z.email().safeParse(e).success))
    fail(name, raw, "an email address (or a comma-separated list)");
  return list;
}

/** A comma-separated list of origins (`https://shop.example`), normalized; `*` is refused. */
function origins(env: Env, name: string, fallback: string[]): string[] {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  return raw.split(",").map((entry) => {
    const value = entry.trim();
    try {
      const url = new URL(value);
      if (
        (url.protocol === "http:" || url.protocol === "https:") &&
        url.origin === value.replace(/\/+$/, "")
      ) {
        return url.origin;
      }
    } catch {
      // falls through to the error below
    }
    return fail(name, raw, "a comma-separated list of origins like https://shop.example (no paths, no *)");
  });
}

/** A DynamoDB table name (3-255 of letters, digits, `_`, `-`, `.`). */
function tableName(env: Env, name: string, fallback: string): string {
  const raw = read(env, name) ?? fallback;
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(raw))
    fail(name, raw, "a DynamoDB table name (3-255 of A-Z a-z 0-9 _ - .)");
  return raw;
}

/** An IANA time zone Intl knows, in its canonical spelling (`america/chicago` -> `America/Chicago`). */
function timeZone(env: Env, name: string, fallback: string): string {
  const raw = read(env, name) ?? fallback;
  const allowed = "an IANA time zone like America/Chicago";
  // A zone id, not an offset like +05:00 (newer Intl takes those; Google's Parameters row wants ids).
  if (!/^[A-Za-z]/.test(raw)) fail(name, raw, allowed);
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: raw }).resolvedOptions().timeZone;
  } catch {
    return fail(name, raw, allowed);
  }
}

/** A Google Ads conversion action name: one line of at most 100 characters (a CSV field, matched by name). */
function conversionName(env: Env, name: string, fallback: string): string {
  const raw = read(env, name) ?? fallback;
  if (raw.length > 100 || /[\r\n]/.test(raw))
    fail(name, raw, "a conversion action name (one line, 100 characters at most)");
  return raw;
}

function adsSettings(env: Env): AdsSettings {
  const rawCurrency = read(env, "ADS_CURRENCY") ?? "USD";
  const currency = rawCurrency.toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency))
    fail("ADS_CURRENCY", rawCurrency, "a three-letter ISO 4217 code like USD");
  return {
    timeZone: timeZone(env, "SHOP_TIME_ZONE", "America/Chicago"),
    conversionNameLead: conversionName(env, "ADS_CONVERSION_NAME_LEAD", "Website chat lead"),
    conversionNameWon: conversionName(env, "ADS_CONVERSION_NAME_WON", "Website chat job won"),
    currency,
  };
}

/** OWNER_PASSWORD (taken as typed: spaces count) or OWNER_PASSWORD_HASH, checked; never both. */
function ownerCredential(env: Env): Config["owner"] {
  const raw = env.OWNER_PASSWORD;
  const password = raw !== undefined && raw.trim() !== "" ? raw : null;
  if (password !== null && (password.length < 8 || password.length > 1024))
    fail("OWNER_PASSWORD", "(hidden)", "8 to 1024 characters");
  const passwordHash = read(env, "OWNER_PASSWORD_HASH") ?? null;
  if (passwordHash !== null && !parsePasswordHash(passwordHash))
    fail(
      "OWNER_PASSWORD_HASH",
      "(hidden)",
      `${PASSWORD_HASH_FORMAT} as \`npx lead-handoff hash-password\` prints it`,
    );
  if (password !== null && passwordHash !== null)
    throw new ConfigError("OWNER_PASSWORD and OWNER_PASSWORD_HASH are both set: keep one");
  return { password, passwordHash };
}

/** Reads and validates the environment. Throws ConfigError on the first bad value. */
export function loadConfig(env: Env = process.env): Config {
  const port = int(env, "PORT", 8787, 0, 65535);
  const publicBaseUrl = url(env, "PUBLIC_BASE_URL", `http://localhost:${port}`);
  const region = (read(env, "LEAD_DEFAULT_REGION") ?? "US").toUpperCase();
  if (!(getCountries() as string[]).includes(region))
    fail("LEAD_DEFAULT_REGION", region, "a two-letter country code like US");
  const summarizer = choice(env, "SUMMARIZER", ["local", "openai"] as const);
  const mailer = choice(env, "MAILER", ["outbox", "smtp", "ses"] as const);
  const blobs = choice(env, "BLOBS", ["fs", "s3"] as const);
  const bucket = read(env, "ATTACHMENT_BUCKET") ?? null;
  if (blobs === "s3" && !bucket) throw new ConfigError("ATTACHMENT_BUCKET is required when BLOBS=s3");
  const apiKey = read(env, "OPENAI_API_KEY") ?? null;
  const apiKeySecretId = read(env, "OPENAI_API_KEY_SECRET_ID") ?? null;
  const openAiBaseUrl = read(env, "OPENAI_BASE_URL") ? url(env, "OPENAI_BASE_URL", "") : null;
  // api.openai.com always needs a key; a server of one's own (Ollama, vLLM, llama.cpp) may not.
  const keyed = Boolean(apiKey || apiKeySecretId);
  if (summarizer === "openai" && !keyed && !openAiBaseUrl)
    throw new ConfigError(
      "OPENAI_API_KEY is required when SUMMARIZER=openai (unless OPENAI_BASE_URL is set)",
    );
  if (read(env, "ASSISTANT") === "openai" && !keyed && !openAiBaseUrl) {
    throw new ConfigError("OPENAI_API_KEY is required when ASSISTANT=openai (unless OPENAI_BASE_URL is set)");
  }
  const chatRuntime = choice(env, "CHAT_RUNTIME", ["self", "chatkit"] as const);
  const chatkitWorkflowId = read(env, "CHATKIT_WORKFLOW_ID") ?? null;
  if (chatRuntime === "chatkit") {
    if (!chatkitWorkflowId)
      throw new ConfigError("CHATKIT_WORKFLOW_ID is required when CHAT_RUNTIME=chatkit");
    // Hosted ChatKit runs at OpenAI: a base URL never stands in for the key.
    if (!keyed) throw new ConfigError("OPENAI_API_KEY is required when CHAT_RUNTIME=chatkit");
  }
  const sessionSecret = read(env, "SESSION_SECRET") ?? null;
  if (sessionSecret !== null && sessionSecret.length < 32) {
    fail("SESSION_SECRET", "(hidden)", "at least 32 characters of random text");
  }
  const smtpUrl = read(env, "SMTP_URL") ?? null;
  if (smtpUrl && !/^smtps?:\/\/[^\s]+$/.test(smtpUrl))
    fail("SMTP_URL", smtpUrl, "smtp://[user:pass@]host:port or smtps://...");
  if (mailer === "smtp" && !smtpUrl) throw new ConfigError("SMTP_URL is required when MAILER=smtp");
  const logLevel = choice(env, "LOG_LEVEL", [
    "info",
    "debug",
    "trace",
    "warn",
    "error",
    "fatal",
    "silent",
  ] as const);

  return {
    port,
    dataDir: resolve(read(env, "DATA_DIR") ?? "./.data"),
    publicBaseUrl,
    attachmentPreviewBaseUrl: url(
      env,
      "CHATKIT_ATTACHMENT_PREVIEW_BASE_URL",
      `${publicBaseUrl}/api/attachments`,
    ),
    attachmentMaxBytes: int(env, "ATTACHMENT_MAX_BYTES", 20_000_000, 1, 1_000_000_000),
    attachmentRetentionDays: int(env, "ATTACHMENT_RETENTION_DAYS", 365, 1, 36_500),
    lead: {
      idleDelayMs: int(env, "LEAD_IDLE_DELAY_SECONDS", 300, 0, 86_400) * 1000,
      requireIdleForAll: bool(env, "LEAD_REQUIRE_IDLE_FOR_ALL", false),
      sweepIntervalMs: int(env, "LEAD_SWEEP_INTERVAL_SECONDS", 60, 0, 86_400) * 1000,
      sendTimeoutMs: int(env, "LEAD_SEND_TIMEOUT_SECONDS", 60, 1, 600) * 1000,
      dedupeTtlDays: int(env, "LEAD_DEDUPE_TTL_DAYS", 30, 1, 3650),
      inlineAttachmentMaxBytes: int(env, "LEAD_INLINE_ATTACHMENT_MAX_BYTES", 3_000_000, 0, 100_000_000),
      emailTo: emails(env, "LEAD_EMAIL_TO", "owner@lead-handoff.localhost"),
      emailFrom: emails(env, "LEAD_EMAIL_FROM", "leads@lead-handoff.localhost")[0] as string,
      defaultRegion: region as CountryCode,
    },
    attributionTtlDays: int(env, "LEAD_ATTRIBUTION_TTL_DAYS", 180, 1, 3650),
    shutdownGraceMs: int(env, "SHUTDOWN_GRACE_SECONDS", 10, 0, 300) * 1000,
    httpAdmission: choice(env, "HTTP_ADMISSION", ["fifo", "off"] as const),
    smsLinkTokenTtlDays: int(env, "SMS_LINK_TOKEN_TTL_DAYS", 7, 1, 365),
    shopName: read(env, "SHOP_NAME") ?? null,
    store: choice(env, "STORE", ["sqlite", "dynamodb"] as const),
    blobs,
    mailer,
    aws: {
      tables: {
        leads: tableName(env, "LEADS_TABLE", "ChatkitLeadDedupeTable"),
        attribution: tableName(env, "ATTRIBUTION_TABLE", "ChatkitLeadAttributionTable"),
        smsTokens: tableName(env, "SMS_TOKENS_TABLE", "ChatkitSmsLinkTokenTable"),
        threads: tableName(env, "THREADS_TABLE", "ChatkitThreadTable"),
        rateLimits: tableName(env, "RATE_LIMITS_TABLE", "ChatkitRateLimitTable"),
        journal: tableName(env, "JOURNAL_TABLE", "ChatkitLeadJournalTable"),
      },
      bucket,
      s3ForcePathStyle: bool(env, "S3_FORCE_PATH_STYLE", false),
      sesConfigurationSet: read(env, "SES_CONFIGURATION_SET") ?? null,
      sessionSecretId: read(env, "SESSION_SECRET_ID") ?? null,
    },
    summarizer,
    assistant: choice(env, "ASSISTANT", ["local", "openai"] as const),
    chatRuntime,
    chatkitWorkflowId,
    session: {
      secret: sessionSecret,
      ttlSeconds: int(env, "SESSION_TTL_SECONDS", 600, 60, 86_400),
    },
    chatUrl: read(env, "CHAT_URL") ? url(env, "CHAT_URL", "") : null,
    allowedOrigins: origins(env, "ALLOWED_ORIGINS", [
      ...new Set([new URL(publicBaseUrl).origin, `http://localhost:${port}`, `http://127.0.0.1:${port}`]),
    ]),
    owner: ownerCredential(env),
    ownerDigest: choice(env, "OWNER_DIGEST", ["off", "weekly"] as const),
    journalTtlDays: int(env, "LEAD_JOURNAL_TTL_DAYS", 400, 1, 3650),
    // An edited ./business.json is picked up without setting anything.
    businessProfilePath:
      read(env, "BUSINESS_PROFILE") ?? (existsSync("business.json") ? resolve("business.json") : null),
    rateLimits: {
      sessionsPerIpPer10Min: int(env, "RATE_LIMIT_SESSIONS_PER_IP", 30, 0, 1_000_000),
      messagesPerUserPerMin: int(env, "RATE_LIMIT_MESSAGES_PER_USER", 30, 0, 1_000_000),
      messagesPerIpPerMin: int(env, "RATE_LIMIT_MESSAGES_PER_IP", 120, 0, 1_000_000),
      uploadsPerUserPer10Min: int(env, "RATE_LIMIT_UPLOADS_PER_USER", 20, 0, 1_000_000),
    },
    trustProxy: int(env, "TRUST_PROXY", 0, 0, 10),
    openai: {
      apiKey,
      apiKeySecretId,
      model: read(env, "OPENAI_MODEL") ?? "gpt-4.1-mini",
      baseUrl: openAiBaseUrl,
      api: choice(env, "OPENAI_API", ["responses", "chat_completions"] as const),
    },
    ads: adsSettings(env),
    smtpUrl,
    logLevel,
  };
}

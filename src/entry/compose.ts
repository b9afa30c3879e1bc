import { join } from "node:path";
import { loadBusinessProfile } from "../adapters/fs/business-profile.js";
import { createLocalAssistant } from "../adapters/local/assistant.js";
import { createLocalSummarizer } from "../adapters/local/summarizer.js";
import { withCustomerPhotos } from "../adapters/openai-chatkit/customer-photos.js";
import type { Config } from "../config.js";
import type { BusinessProfile } from "../core/business-profile.js";
import { shopContactOf } from "../core/extract/shop-contact.js";
import type { AppServices } from "../http/app.js";
import type { Assistant } from "../ports/assistant.js";
import type { AttributionStore } from "../ports/attribution-store.js";
import type { BlobStore } from "../ports/blob-store.js";
import { type Clock, systemClock } from "../ports/clock.js";
import type { Logger } from "../ports/logger.js";
import type { Mailer } from "../ports/mailer.js";
import type { Summarizer } from "../ports/summarizer.js";
import type { ThreadStore } from "../ports/thread-store.js";
import type { WidgetBundle } from "../ports/widget-bundle.js";
import { type AdsExportService, createAdsExportService as createAdsExport } from "../services/ads-export.js";
import { createAttachmentService } from "../services/attachments.js";
import { createChatService } from "../services/chat.js";
import { createLeadConsoleService } from "../services/lead-console.js";
import { createLeadHandoffService } from "../services/lead-handoff.js";
import { createLeadPreview, type LeadPreview } from "../services/lead-preview.js";
import { createLeadSweeper, type LeadSweeper } from "../services/lead-sweeper.js";
import { createOwnerAuthService } from "../services/owner-auth.js";
import { createOwnerDigest } from "../services/owner-digest.js";
import { createRetention } from "../services/retention.js";
import { createSessionService } from "../services/sessions.js";
import { createSmsLinkService } from "../services/sms-links.js";
import {
  lazySharpShrinker,
  loadSessionKey,
  openBlobStore,
  openHostedChatKit,
  openMailer,
  openMessageDecoder,
  openStores,
  type Stores,
  withOpenAiKey,
} from "./backends.js";

/** The checkout this code runs from (web/ holds the widget source and the demo site). */
const REPO_ROOT = join(import.meta.dirname, "../..");

/** Everything a running process holds, plus how to release it. */
export interface Services extends AppServices {
  threads: ThreadStore;
  attribution: AttributionStore;
  summarizer: Summarizer;
  /** The lead sweeper; `npm start` runs a pass every `LEAD_SWEEP_INTERVAL_SECONDS`, tests call it. */
  sweeper: LeadSweeper;
  close(): Promise<void>;
}

/** Things tests and benches may swap. */
export interface ServiceOverrides {
  clock?: Clock;
  mailer?: Mailer;
  /** Uploads and prepared emails; by default what `BLOBS` picks (the peak-RSS bench hides `localPath`). */
  blobs?: BlobStore;
  summarizer?: Summarizer;
  assistant?: Assistant;
  /** The widget script; by default built from web/widget with esbuild on first use. */
  widget?: WidgetBundle;
  /** The demo shop's folder. @default web/demo of this checkout */
  demoDir?: string;
}

/**
 * Where the OpenAI adapters connect: the key (if any) and the base URL (if any). Null when neither
 * is set, which loadConfig only lets through with the local adapters selected. No key with a base
 * URL is a local model server: the adapters then send no Authorization header.
 */
function openAiConnection(config: Config): { apiKey?: string; baseURL?: string } | null {
  const { apiKey, baseUrl } = config.openai;
  if (!apiKey && !baseUrl) return null;
  return { ...(apiKey ? { apiKey } : {}), ...(baseUrl ? { baseURL: baseUrl } : {}) };
}

/** The chat assistant the config selects (the local intake assistant by default). */
async function pickAssistant(config: Config, profile: BusinessProfile): Promise<Assistant> {
  const connection = openAiConnection(config);
  if (config.assistant === "openai" && connection) {
    const { createOpenAiAssistant } = await import("../adapters/openai/assistant.js");
    // Chat completions whatever OPENAI_API says: every compatible server streams them.
    return createOpenAiAssistant({ ...connection, model: config.openai.model, profile });
  }
  return createLocalAssistant({ profile, defaultRegion: config.lead.defaultRegion });
}

/** The summarizer the config selects (the local rule-based one by default). */
async function pickSummarizer(config: Config, profile: BusinessProfile): Promise<Summarizer> {
  const defaultRegion = config.lead.defaultRegion;
  const connection = openAiConnection(config);
  if (config.summarizer === "openai" && connection) {
    const { createOpenAiSummarizer } = await import("../adapters/openai/summarizer.js");
    return createOpenAiSummarizer({
      ...connection,
      model: config.openai.model,
      api: config.openai.api,
      defaultRegion,
      profile,
    });
  }
  return createLocalSummarizer({ defaultRegion, profile });
}

/** The widget built from web/widget with esbuild (loaded only when no prebuilt bundle is given). */
async function widgetFromSource(): Promise<WidgetBundle> {
  const { createWidgetBundle } = await import("../adapters/esbuild/widget-bundle.js");
  return createWidgetBundle({ entry: join(REPO_ROOT, "web/widget/index.ts") });
}

/**
 * What the CLI needs (`summarize`, `preview`): the configured summarizer over the same blob store
 * and photo handling as the server, and nothing that records or sends.
 */
export async function createLeadPreviewService(given: Config, logger: Logger): Promise<LeadPreview> {
  const config = await withOpenAiKey(given);
  return createLeadPreview({
    summarizer: await pickSummarizer(config, loadBusinessProfile(given.businessProfilePath)),
    blobs: await openBlobStore(config),
    shrinker: lazySharpShrinker(),
    logger,
    previewBaseUrl: config.attachmentPreviewBaseUrl,
    inlineMaxBytes: config.lead.inlineAttachmentMaxBytes,
    emailFrom: config.lead.emailFrom,
    emailTo: config.lead.emailTo,
  });
}

/**
 * What `lead-handoff export` needs: the Google Ads exports over the same stores as the server (and
 * the hosted conversations with CHAT_RUNTIME=chatkit), plus how to close them when done.
 */
export async function createAdsExportService(
  given: Config,
  clock: Clock = systemClock,
): Promise<{ exports: AdsExportService; close(): Promise<void> }> {
  const profile = loadBusinessProfile(given.businessProfilePath);
  const config = await withOpenAiKey(given);
  const stores = await openStores(config, clock.now);
  const hosted = await openHostedChatKit(config);
  const exports = adsExportOver(config, profile, stores, hosted?.threads ?? stores.threads, clock);
  return { exports, close: stores.close };
}

/** The Google Ads export over the given stores, with the shop's settings (CLI and owner route). */
function adsExportOver(
  config: Config,
  profile: BusinessProfile,
  stores: Pick<Stores, "attribution" | "journal">,
  threads: ThreadStore,
  clock: Clock,
): AdsExportService {
  return createAdsExport({
    attribution: stores.attribution,
    journal: stores.journal,
    threads,
    shop: shopContactOf(profile, config.lead.defaultRegion),
    clock,
    timeZone: config.ads.timeZone,
    conversionNames: { lead: config.ads.conversionNameLead, won: config.ads.conversionNameWon },
    currency: config.ads.currency,
    defaultRegion: config.lead.defaultRegion,
  });
}

/** The composition root: picks adapters from config (embedded defaults unless told otherwise). */
export async function createServices(
  given: Config,
  logger: Logger,
  overrides: ServiceOverrides = {},
): Promise<Services> {
  const clock = overrides.clock ?? systemClock;
  // First: a bad business.json stops the start before anything is opened.
  const profile = loadBusinessProfile(given.businessProfilePath);
  const config = await withOpenAiKey(given);
  const stores = await openStores(config, clock.now);
  const { threads, attribution, tokens: tokenStore, leads: leadStore, journal } = stores;
  const blobs = overrides.blobs ?? (await openBlobStore(config));
  const picked = overrides.mailer ? { mailer: overrides.mailer, outbox: null } : await openMailer(config);
  const summarizer = overrides.summarizer ?? (await pickSummarizer(config, profile));
  const smsLinks = createSmsLinkService({
    tokenStore,
    clock,
    publicBaseUrl: config.publicBaseUrl,
    ttlDays: config.smsLinkTokenTtlDays,
    shopName: config.shopName ?? profile.name,
  });
  // With hosted ChatKit the conversation lives at OpenAI: the lead service reads it there, while
  // uploads and everything else stay in our own stores.
  const hosted = await openHostedChatKit(config);
  // Photos sent from the hosted page's "Add photos" button were uploaded to us: their rows (and
  // uploaders) are in our own store, their bytes in our blob store.
  const leadThreads = hosted
    ? withCustomerPhotos(hosted.threads, {
        uploads: threads,
        previewBaseUrl: config.attachmentPreviewBaseUrl,
      })
    : threads;
  const leads = createLeadHandoffService({
    threads: leadThreads,
    leads: leadStore,
    journal,
    journalTtlDays: config.journalTtlDays,
    attribution,
    blobs,
    summarizer,
    mailer: picked.mailer,
    shrinker: lazySharpShrinker(),
    smsLinks,
    clock,
    logger,
    idleDelayMs: config.lead.idleDelayMs,
    requireIdleForAll: config.lead.requireIdleForAll,
    sendTimeoutMs: config.lead.sendTimeoutMs,
    leaseMs: 2 * config.lead.sendTimeoutMs,
    answerWithinMs: Math.min(15_000, config.lead.sendTimeoutMs),
    dedupeTtlDays: config.lead.dedupeTtlDays,
    inlineMaxBytes: config.lead.inlineAttachmentMaxBytes,
    previewBaseUrl: config.attachmentPreviewBaseUrl,
    defaultRegion: config.lead.defaultRegion,
    emailFrom: config.lead.emailFrom,
    emailTo: config.lead.emailTo,
  });
  const chat = createChatService({
    threads,
    assistant: overrides.assistant ?? (await pickAssistant(config, profile)),
    attribution,
    clock,
    logger,
    attributionTtlDays: config.attributionTtlDays,
    blobs,
    uploadUrl: (attachmentId) => `${config.publicBaseUrl}/api/attachments?attachment_id=${attachmentId}`,
    previewUrl: (attachmentId) => `${config.attachmentPreviewBaseUrl}?attachment_id=${attachmentId}`,
    // The sweeper looks at the thread once the customer has been quiet for the idle window.
    onCustomerMessage: (threadId, at) => leadStore.schedule(threadId, at + config.lead.idleDelayMs),
  });
  // Retention on the embedded default (expired attribution rows and SMS tokens, uploads never sent),
  // at most hourly from the sweeper. On AWS, DynamoDB TTL and S3 lifecycle rules do this instead.
  const retention = createRetention({
    threads,
    attribution,
    tokens: tokenStore,
    leads: leadStore,
    blobs,
    journal,
    clock,
    logger,
  });
  const shop = shopContactOf(profile, config.lead.defaultRegion);
  const leadConsole = createLeadConsoleService({
    threads: leadThreads,
    leads: leadStore,
    journal,
    attribution,
    blobs,
    handoff: leads,
    clock,
    idleDelayMs: config.lead.idleDelayMs,
    defaultRegion: config.lead.defaultRegion,
    shop,
    previewBaseUrl: config.attachmentPreviewBaseUrl,
    journalTtlDays: config.journalTtlDays,
  });
  const digest =
    config.ownerDigest === "weekly"
      ? createOwnerDigest({
          console: leadConsole,
          journal,
          leads: leadStore,
          blobs,
          mailer: picked.mailer,
          clock,
          logger,
          timeZone: config.ads.timeZone,
          shopName: config.shopName ?? profile.name,
          emailFrom: config.lead.emailFrom,
          emailTo: config.lead.emailTo,
          consoleUrl: `${config.publicBaseUrl}/owner`,
          sendTimeoutMs: config.lead.sendTimeoutMs,
        })
      : undefined;
  const sweeper = createLeadSweeper({
    handoff: leads,
    store: leadStore,
    clock,
    logger,
    housekeeping: retention,
    ...(digest ? { digest } : {}),
  });
  const sessionKey = await loadSessionKey(config);
  const sessions = createSessionService({
    key: sessionKey,
    ...(hosted ? { hosted: hosted.sessions } : {}),
    ttlSeconds: config.session.ttlSeconds,
    clock,
  });
  const attachments = createAttachmentService({
    blobs,
    threads,
    clock,
    previewBaseUrl: config.attachmentPreviewBaseUrl,
    maxBytes: config.attachmentMaxBytes,
  });
  // Owner sessions are signed with the same key under a context of their own (core/owner-session.ts).
  const owner = createOwnerAuthService({
    key: sessionKey,
    password: config.owner.password,
    passwordHash: config.owner.passwordHash,
    clock,
  });
  return {
    leads,
    attachments,
    owner,
    console: {
      service: leadConsole,
      decoder: openMessageDecoder(),
      timeZone: config.ads.timeZone,
      currency: config.ads.currency,
    },
    adsExports: {
      service: adsExportOver(config, profile, stores, hosted?.threads ?? threads, clock),
      timeZone: config.ads.timeZone,
    },
    secureCookies: new URL(config.publicBaseUrl).protocol === "https:",
    smsLinks,
    chat,
    sessions,
    clock,
    allowedOrigins: config.allowedOrigins,
    chatUrl: config.chatUrl,
    chatRuntime: config.chatRuntime,
    rateLimits: config.rateLimits,
    rateLimitStore: stores.rateLimits,
    trustProxy: config.trustProxy,
    logger,
    threads,
    attribution,
    summarizer,
    sweeper,
    async health() {
      const failedLeads = await leadStore.countFailed(clock.now());
      return { status: failedLeads > 0 ? "degraded" : "ok", failed_leads: failedLeads };
    },
    attachmentMaxBytes: config.attachmentMaxBytes,
    outbox: picked.outbox,
    widget: overrides.widget ?? (await widgetFromSource()),
    demoDir: overrides.demoDir ?? join(REPO_ROOT, "web/demo"),
    close: stores.close,
  };
}

import type { CountryCode } from "libphonenumber-js";
// Type-only: the SDK itself loads lazily in summarize(), so the embedded default never pulls it in.
import type OpenAI from "openai";
import { UpstreamError } from "../../core/errors.js";
import { NO_SHOP_CONTACT, shopContactOf } from "../../core/extract/shop-contact.js";
import { applySummaryFloor } from "../../core/extract/summary-floor.js";
import type { Summarizer } from "../../ports/summarizer.js";
import { createLazyOpenAiClient } from "./client.js";
import {
  buildSummarizerInstructions,
  renderTranscriptInput,
  type SummarizerShopFacts,
} from "./summarizer-prompt.js";
import { parseSummaryAnswer } from "./summary-answer.js";
import { type OpenAiApi, SUMMARY_APIS } from "./summary-apis.js";

// The schema lived here first; tests and tools still import it from the summarizer.
export { leadSummaryJsonSchema, toStrictJsonSchema } from "./strict-schema.js";
export type { OpenAiApi } from "./summary-apis.js";

/** Options of the OpenAI (structured output) summarizer. */
export interface OpenAiSummarizerOptions {
  /**
   * API key. Required unless `client` or `baseURL` is given; without one no Authorization header
   * is sent (a local model server).
   */
  apiKey?: string;
  /**
   * Model id; must support structured outputs (`json_schema`, strict).
   * @default "gpt-4.1-mini"
   */
  model?: string;
  /** API base URL, e.g. a proxy, a local model server or a test server. @default "https://api.openai.com/v1" */
  baseURL?: string;
  /**
   * Which API carries the request: the Responses API, or chat completions with a `json_schema`
   * response format (what OpenAI-compatible local servers speak).
   * @default "responses"
   */
  api?: OpenAiApi;
  /** Region for phone numbers written without a country code. @default "US" */
  defaultRegion?: CountryCode;
  /**
   * The shop: the prompt names its own phone, email and address as never the customer's, and the
   * floor drops its phone and email wherever the model puts them.
   */
  profile?: SummarizerShopFacts;
  /** Timeout of one HTTP attempt, in milliseconds. @default 30000 */
  timeoutMs?: number;
  /** Retries after a connection error, timeout, 408/409/429 or 5xx (SDK backoff). @default 1 */
  maxRetries?: number;
  /**
   * A ready client (tests, custom fetch). When given, `apiKey` and `baseURL` are not used;
   * `timeoutMs` and `maxRetries` still apply to each request.
   */
  client?: OpenAI;
}

function describeFailure(error: unknown, sdk: typeof import("openai"), timeoutMs: number): string {
  if (error instanceof sdk.APIConnectionTimeoutError) return `request timed out after ${timeoutMs} ms`;
  if (error instanceof sdk.APIError && error.status !== undefined)
    return `HTTP ${error.status}: ${error.message}`;
  return `request failed: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * A summarizer backed by an OpenAI model with strict structured output (Responses API or chat
 * completions), under the local contact floor (see applySummaryFloor). Every upstream failure
 * becomes an UpstreamError.
 */
export function createOpenAiSummarizer(options: OpenAiSummarizerOptions): Summarizer {
  const model = options.model ?? "gpt-4.1-mini";
  const defaultRegion = options.defaultRegion ?? "US";
  const shop = options.profile ? shopContactOf(options.profile, defaultRegion) : NO_SHOP_CONTACT;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxRetries = options.maxRetries ?? 1;
  const ask = SUMMARY_APIS[options.api ?? "responses"];
  const instructions = buildSummarizerInstructions(options.profile);
  const name = `openai:${model}`;
  const load = createLazyOpenAiClient(name, { ...options, timeoutMs, maxRetries });

  return {
    name,
    async summarize(transcript) {
      const { sdk, client } = await load();
      const request = {
        model,
        instructions,
        input: renderTranscriptInput(transcript),
        timeoutMs,
        maxRetries,
      };
      let text: string;
      try {
        text = await ask(client, request, name);
      } catch (error) {
        if (error instanceof UpstreamError) throw error;
        throw new UpstreamError(`${name}: ${describeFailure(error, sdk, timeoutMs)}`, { cause: error });
      }
      return applySummaryFloor(parseSummaryAnswer(text, name), transcript, { defaultRegion, shop });
    },
  };
}

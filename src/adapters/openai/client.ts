import type OpenAI from "openai";

/** Options of {@link createLazyOpenAiClient}. */
export interface LazyOpenAiClientOptions {
  apiKey?: string;
  /** An OpenAI-compatible endpoint; api.openai.com when absent. */
  baseURL?: string;
  /** Per-request timeout in ms. */
  timeoutMs: number;
  maxRetries: number;
  /** An injected client (tests); used as is. */
  client?: OpenAI;
}

/** The loaded SDK module (for its error classes) and a client. */
export interface LoadedOpenAi {
  sdk: typeof import("openai");
  client: OpenAI;
}

/**
 * Returns a loader that imports the OpenAI SDK on first use, so the embedded default never loads
 * it. A failed import (package missing) is retried on the next call rather than cached forever.
 */
export function createLazyOpenAiClient(options: LazyOpenAiClientOptions): () => Promise<LoadedOpenAi> {
  let loaded: Promise<LoadedOpenAi> | undefined;
  return () => {
    if (!loaded) {
      loaded = import("openai").then((sdk) => ({
        sdk,
        client:
          options.client ??
          // Nulls, not undefined: the SDK would otherwise read OPENAI_* variables; adapters never read env.
          new sdk.OpenAI({
            apiKey: options.apiKey ?? null,
            baseURL: options.baseURL ?? null,
            adminAPIKey: null,
            organization: null,
            project: null,
            webhookSecret: null,
            timeout: options.timeoutMs,
            maxRetries: options.maxRetries,
          }),
      }));
      loaded.catch(() => {
        loaded = undefined;
      });
    }
    return loaded;
  };
}

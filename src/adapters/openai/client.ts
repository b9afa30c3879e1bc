import type OpenAI from "openai";

/** Options of {@link createLazyOpenAiClient}. */
export interface LazyOpenAiClientOptions {
  apiKey?: string | undefined;
  /** An OpenAI-compatible endpoint; api.openai.com when absent. */
  baseURL?: string | undefined;
  /** Per-request timeout in ms. */
  timeoutMs: number;
  maxRetries: number;
  /** An injected client (tests); used as is. */
  client?: OpenAI | undefined;
}

/** The loaded SDK module (for its error classes) and a client. */
export interface LoadedOpenAi {
  sdk: typeof import("openai");
  client: OpenAI;
}

/**
 * Returns a loader that imports the OpenAI SDK on first use, so the embedded default never loads
 * it. A failed import (package missing) is retried on the next call rather than cached forever.
 * Throws at once, naming `name`, when there is neither a client nor an API key.
 */
export function createLazyOpenAiClient(
  name: string,
  options: LazyOpenAiClientOptions,
): () => Promise<LoadedOpenAi> {
  if (!options.client && !options.apiKey) throw new Error(`${name}: an API key is required`);
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

import type OpenAI from "openai";

/** Options of {@link createLazyOpenAiClient}. */
export interface LazyOpenAiClientOptions {
  /** The API key; may be absent only with `baseURL` (a local model server that needs none). */
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
 * What the SDK is given as its key when there is none (`OPENAI_BASE_URL` without `OPENAI_API_KEY`).
 * The SDK refuses to start without one, yet this value never leaves the process: the client is
 * told to send no Authorization header at all.
 */
export const KEYLESS_PLACEHOLDER = "keyless-local-server";

/**
 * Returns a loader that imports the OpenAI SDK on first use, so the embedded default never loads
 * it. A failed import (package missing) is retried on the next call rather than cached forever.
 * Throws at once, naming `name`, when there is no client, no API key and no base URL: only
 * api.openai.com is known to need a key; a local server (Ollama, vLLM, llama.cpp) may not.
 */
export function createLazyOpenAiClient(
  name: string,
  options: LazyOpenAiClientOptions,
): () => Promise<LoadedOpenAi> {
  if (!options.client && !options.apiKey && !options.baseURL)
    throw new Error(`${name}: an API key is required (unless a baseURL points at a server that needs none)`);
  const keyless = !options.apiKey;
  let loaded: Promise<LoadedOpenAi> | undefined;
  return () => {
    if (!loaded) {
      loaded = import("openai").then((sdk) => ({
        sdk,
        client:
          options.client ??
          // Nulls, not undefined: the SDK would otherwise read OPENAI_* variables; adapters never read env.
          new sdk.OpenAI({
            apiKey: options.apiKey || KEYLESS_PLACEHOLDER,
            baseURL: options.baseURL ?? null,
            adminAPIKey: null,
            organization: null,
            project: null,
            webhookSecret: null,
            // A null header is dropped from every request, so the placeholder is never sent.
            ...(keyless ? { defaultHeaders: { Authorization: null } } : {}),
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

/** See chatkit-fetch.js: a `fetch` that adds (and renews) this server's client secret. */
export function chatKitFetch(server: string, options?: { visitorKey?: string }): typeof fetch;

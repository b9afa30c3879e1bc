/** localStorage helpers: every access is guarded (private modes and disabled storage throw). */

export const VISITOR_KEY = "lead-chat:visitor-key";
export const THREAD_KEY = "lead-chat:thread-id";
export const ATTRIBUTION_KEY = "lead-chat:attribution";

/** Reads a key, or null when absent or storage is unavailable. */
export function load(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** Writes a key (null removes it); storage failures are ignored, the chat still works in memory. */
export function save(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Storage full or blocked: continuity is lost, nothing else.
  }
}

/** 32 random bytes as base64url (43 characters). */
function randomKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

/** The visitor key that identifies this browser to the API when third-party cookies are blocked. */
export function visitorKey(): string {
  let key = load(VISITOR_KEY);
  if (!key || key.length < 16) {
    key = randomKey();
    save(VISITOR_KEY, key);
  }
  return key;
}

/**
 * A `fetch` for OpenAI's official `<openai-chatkit>` component pointed at this server: it gets a
 * client secret from `/api/chatkit/session`, sends it as `Authorization: Bearer ...` with every
 * request, and gets a fresh one once when a request answers 401 (secrets last 10 minutes). The
 * visitor keeps one identity through the same key the lead-handoff widget uses.
 *
 *   import { chatKitFetch } from "https://YOUR-SERVER/demo/chatkit-fetch.js";
 *   chatkit.setOptions({ api: { url: "https://YOUR-SERVER/api/chatkit", domainKey: "...",
 *     fetch: chatKitFetch("https://YOUR-SERVER"), uploadStrategy: { type: "two_phase" } } });
 *
 * @param {string} server where lead-handoff runs, e.g. "https://chat.shop.example"
 * @param {{ visitorKey?: string }} [options] a stable random key for this visitor (default: kept in localStorage)
 * @returns {typeof fetch}
 */
export function chatKitFetch(server, options = {}) {
  const base = server.replace(/\/+$/, "");
  const visitorKey = options.visitorKey ?? storedVisitorKey();
  let secret = null;

  async function renew() {
    const response = await fetch(`${base}/api/chatkit/session`, {
      method: "POST",
      credentials: "include",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(visitorKey ? { visitor_key: visitorKey } : {}),
    });
    if (!response.ok) throw new Error(`lead-handoff session: HTTP ${response.status}`);
    secret = (await response.json()).client_secret;
    return secret;
  }

  return async (input, init = {}) => {
    const send = (token) => {
      const headers = new Headers(init.headers);
      headers.set("Authorization", `Bearer ${token}`);
      return fetch(input, { ...init, headers, credentials: "include" });
    };
    const response = await send(secret ?? (await renew()));
    return response.status === 401 ? send(await renew()) : response;
  };
}

/** The widget's visitor key (`lead-chat:visitor-key`), made once per browser; none without storage. */
function storedVisitorKey() {
  try {
    const name = "lead-chat:visitor-key";
    let key = localStorage.getItem(name);
    if (!key) {
      key = `vk-${crypto.randomUUID()}`;
      localStorage.setItem(name, key);
    }
    return key;
  } catch {
    return undefined;
  }
}

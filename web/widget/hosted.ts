/**
 * With hosted OpenAI ChatKit (`CHAT_RUNTIME=chatkit`) the page shows OpenAI's own
 * `<openai-chatkit>` component; this wires it to our server: its client secret comes from our
 * session endpoint, the SAME lead triggers as our widget (quiet window, pagehide, close) follow
 * the thread from the component's events, each reply reports the customer's activity (so the
 * server's sweeper hands the lead over even if no trigger arrives), and an "Add photos" button
 * next to the component sends photos through our own upload endpoint (web/widget/hosted-photos.ts).
 */
import { ChatClient } from "./client.js";
import { createPhotoButton } from "./hosted-photos.js";
import { LeadTriggers } from "./triggers.js";

/** The part of the official component this uses (see @openai/chatkit's ChatKitElement). */
interface ChatKitElement extends HTMLElement {
  setOptions(options: { api: { getClientSecret(current: string | null): Promise<string> } }): void;
  /** Sends a message as the customer, in the current thread (or a new one). */
  sendUserMessage(params: { text: string }): Promise<void>;
}

/**
 * POST /lead `{reason: "activity"}`: the customer spoke in `threadId`, so the server puts the
 * thread on its sweeper's due list. Failures are ignored: the browser's own triggers still run.
 */
async function reportActivity(client: ChatClient, threadId: string): Promise<void> {
  try {
    await client.authed(`${client.api}/lead`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ thread_id: threadId, reason: "activity" }),
      keepalive: true,
    });
  } catch {
    // Only the safety net is lost; the triggers (idle, pagehide) do not depend on it.
  }
}

/** Connects `element` to the server at `api`; returns the triggers (for tests and host pages). */
export function attachToHostedChatKit(element: ChatKitElement, api: string): LeadTriggers {
  const client = new ChatClient(api);
  let threadId: string | null = null;
  const triggers = new LeadTriggers({ client, threadId: () => threadId, isOpen: () => element.isConnected });
  element.setOptions({
    api: {
      async getClientSecret() {
        await client.refresh();
        if (!client.componentSecret)
          throw new Error("this server does not run hosted ChatKit (CHAT_RUNTIME=chatkit)");
        return client.componentSecret;
      },
    },
  });
  element.addEventListener("chatkit.thread.change", (event) => {
    const next = (event as CustomEvent<{ threadId: string | null }>).detail.threadId;
    if (next !== threadId) triggers.reset();
    threadId = next;
  });
  // A response starts when the customer has sent something; its end starts the quiet window.
  element.addEventListener("chatkit.response.start", () => {
    triggers.customerSpoke = true;
    triggers.bumpIdleTimer();
  });
  element.addEventListener("chatkit.response.end", () => {
    triggers.bumpIdleTimer();
    if (threadId && triggers.customerSpoke) void reportActivity(client, threadId);
  });
  element.after(createPhotoButton(client, element));
  return triggers;
}

/**
 * With hosted OpenAI ChatKit (`CHAT_RUNTIME=chatkit`) the page shows OpenAI's own
 * `<openai-chatkit>` component; this wires it to our server: its client secret comes from our
 * session endpoint, and the SAME lead triggers as our widget (quiet window, pagehide, close) follow
 * the thread from the component's events.
 */
import { ChatClient } from "./client.js";
import { LeadTriggers } from "./triggers.js";

/** The part of the official component this uses (see @openai/chatkit's ChatKitElement). */
interface ChatKitElement extends HTMLElement {
  setOptions(options: { api: { getClientSecret(current: string | null): Promise<string> } }): void;
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
  element.addEventListener("chatkit.response.end", () => triggers.bumpIdleTimer());
  return triggers;
}

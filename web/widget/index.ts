/**
 * The embeddable chat widget: `<script src=".../widget.js" data-api="https://..." async></script>`,
 * plus `data-chat-url="https://..."` when the chat endpoint lives elsewhere (the AWS stack's
 * streaming Function URL).
 * This entry only defines `<lead-chat>` with its launcher and captures attribution; the panel is
 * built on first open.
 */
import { captureAttribution } from "./attribution.js";
import { Chat } from "./chat.js";
import { CHAT_ICON, h, icon } from "./dom.js";
import { attachToHostedChatKit } from "./hosted.js";
import { LAUNCHER_CSS } from "./styles.js";

const OPEN_KEY = "lead-chat:open";

/** `<lead-chat api="" title="" greeting="">`: a launcher and, once opened, the chat panel. */
class LeadChatElement extends HTMLElement {
  private chat: Chat | undefined;

  connectedCallback(): void {
    if (this.shadowRoot) return;
    const root = this.attachShadow({ mode: "open" });
    const position = getComputedStyle(this).getPropertyValue("--lead-chat-position").trim();
    if (position === "left" && !this.dataset.position) this.dataset.position = "left";
    const title = this.getAttribute("title") ?? "Chat with us";
    const launcher = h(
      "button",
      {
        class: "launcher",
        type: "button",
        "aria-label": title,
        "aria-expanded": "false",
        "aria-controls": "lead-chat-panel",
      },
      icon(CHAT_ICON),
    );
    this.removeAttribute("title"); // no host tooltip over the whole widget
    root.append(h("style", {}, LAUNCHER_CSS), launcher);
    const api = this.getAttribute("api") ?? "";
    const chat = new Chat(root, launcher, {
      api,
      chatApi: this.getAttribute("chat-api") ?? api,
      title,
      greeting:
        this.getAttribute("greeting") ??
        "Hi! Tell us what needs fixing and on what vehicle or item. Photos help a lot.",
      attribution: captureAttribution(),
    });
    this.chat = chat;
    launcher.onclick = () => (chat.isOpen ? chat.close() : chat.open());
    // Opened on the previous page of this tab: keep it open (without stealing focus).
    try {
      if (sessionStorage.getItem(OPEN_KEY)) chat.open(false);
      addEventListener("pagehide", () => {
        if (chat.isOpen) sessionStorage.setItem(OPEN_KEY, "1");
        else sessionStorage.removeItem(OPEN_KEY);
      });
    } catch {
      // No sessionStorage: the panel simply starts closed.
    }
  }

  /** Opens the panel (for host pages: `document.querySelector("lead-chat").open()`). */
  open(): void {
    this.chat?.open();
  }
}

function boot(script: HTMLScriptElement | null): void {
  const data = script?.dataset ?? {};
  // data-api="" means the page's own origin; no attribute means where the script came from.
  const api = data.api ?? (script?.src ? new URL(script.src).origin : "");
  if (data.runtime === "chatkit") {
    // OpenAI's own component shows the chat: only connect it (and the lead triggers) to us.
    const hosted = document.querySelector("openai-chatkit");
    const base = api.replace(/\/+$/, "");
    // The component's script may load after this one: wait until the element can take options.
    if (hosted)
      void customElements
        .whenDefined("openai-chatkit")
        .then(() => attachToHostedChatKit(hosted as Parameters<typeof attachToHostedChatKit>[0], base));
    return;
  }
  if (!customElements.get("lead-chat")) customElements.define("lead-chat", LeadChatElement);
  if (document.querySelector("lead-chat")) return;
  const element = document.createElement("lead-chat");
  element.setAttribute("api", api.replace(/\/+$/, ""));
  if (data.chatUrl) element.setAttribute("chat-api", data.chatUrl.replace(/\/+$/, ""));
  if (data.title) element.setAttribute("title", data.title);
  if (data.greeting) element.setAttribute("greeting", data.greeting);
  if (data.position) element.dataset.position = data.position;
  document.body.append(element);
}

const script = document.currentScript as HTMLScriptElement | null;
if (document.body) boot(script);
else document.addEventListener("DOMContentLoaded", () => boot(script));

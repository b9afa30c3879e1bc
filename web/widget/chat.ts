import type { Attribution } from "./attribution.js";
import {
  ChatClient,
  ChatError,
  type ChatKitAttachment,
  type ChatKitEvent,
  type ChatKitThreadItem,
} from "./client.js";
import { CAMERA_ICON, h, icon } from "./dom.js";
import { load, save, THREAD_KEY } from "./storage.js";
import { PANEL_CSS } from "./styles.js";
import { LeadTriggers } from "./triggers.js";

/** Texts and settings the host page can give on the script tag. */
export interface ChatOptions {
  api: string;
  /** Base of `/api/chatkit` when the chat runs elsewhere (`data-chat-url`); else `api`. */
  chatApi: string;
  title: string;
  greeting: string;
  attribution: Attribution;
}

interface Pending {
  file: File;
  url: string;
  element: HTMLElement;
  id?: string;
  state: "uploading" | "ready" | "failed";
}

/** The panel (built on first open) and the conversation it shows. */
export class Chat {
  readonly client: ChatClient;
  readonly triggers: LeadTriggers;
  threadId = load(THREAD_KEY);
  private opened = false;
  private loaded = false;
  private busy = false;
  private pending: Pending[] = [];
  private bubbles = new Map<string, HTMLElement>();
  private panel!: HTMLElement;
  private log!: HTMLOListElement;
  private alert!: HTMLElement;
  private thumbs!: HTMLElement;
  private input!: HTMLTextAreaElement;
  private sendButton!: HTMLButtonElement;
  private picker!: HTMLInputElement;

  constructor(
    private readonly root: ShadowRoot,
    private readonly launcher: HTMLButtonElement,
    private readonly options: ChatOptions,
  ) {
    this.client = new ChatClient(options.api, options.chatApi);
    this.triggers = new LeadTriggers({
      client: this.client,
      threadId: () => this.threadId,
      isOpen: () => this.opened,
    });
  }

  get isOpen(): boolean {
    return this.opened;
  }

  /** Opens the panel, building it the first time; resumes a stored thread. */
  open(focus = true): void {
    if (!this.panel) this.build();
    this.opened = true;
    this.panel.hidden = false;
    this.launcher.setAttribute("aria-expanded", "true");
    (this.root.host as HTMLElement).toggleAttribute("open", true);
    if (focus) this.input.focus();
    if (this.threadId && !this.loaded) void this.resume();
    this.scroll();
  }

  /** Closes the panel, gives focus back to the launcher and fires `chat_closed`. */
  close(): void {
    if (!this.opened) return;
    this.opened = false;
    this.panel.hidden = true;
    this.launcher.setAttribute("aria-expanded", "false");
    (this.root.host as HTMLElement).toggleAttribute("open", false);
    this.launcher.focus();
    void this.triggers.sendLeadEmail({ reason: "chat_closed" });
  }

  private build(): void {
    const close = h("button", { class: "close", type: "button", "aria-label": "Close chat" }, "×");
    const fresh = h("button", { class: "new", type: "button" }, "New conversation");
    this.log = h("ol", { "aria-live": "polite", "aria-label": "Conversation" });
    this.alert = h("div", { class: "error", role: "alert", hidden: "" });
    this.thumbs = h("div", { class: "thumbs" });
    this.input = h("textarea", { rows: "1", placeholder: "Type your message…", "aria-label": "Message" });
    this.sendButton = h("button", { class: "send", type: "submit" }, "Send");
    this.picker = h("input", {
      type: "file",
      accept: "image/*",
      capture: "environment",
      hidden: "",
      multiple: "",
    });
    const attach = h(
      "button",
      { class: "attach", type: "button", "aria-label": "Attach a photo" },
      icon(CAMERA_ICON),
    );
    const form = h("form", {}, attach, this.picker, this.input, this.sendButton);
    this.panel = h(
      "div",
      { class: "panel", role: "dialog", "aria-label": this.options.title, id: "lead-chat-panel" },
      h("header", {}, h("h2", {}, this.options.title), fresh, close),
      this.log,
      this.alert,
      this.thumbs,
      form,
    );
    this.root.append(h("style", {}, PANEL_CSS), this.panel);
    this.greet();

    close.onclick = () => this.close();
    fresh.onclick = () => this.startOver();
    attach.onclick = () => this.picker.click();
    this.picker.onchange = () => {
      for (const file of Array.from(this.picker.files ?? [])) void this.upload(file);
      this.picker.value = "";
    };
    form.onsubmit = (event) => {
      event.preventDefault();
      void this.submit();
    };
    this.input.onkeydown = (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        void this.submit();
      }
    };
    this.input.oninput = () => {
      this.input.style.height = "auto";
      this.input.style.height = `${this.input.scrollHeight + 2}px`;
    };
    this.panel.onkeydown = (event) => {
      if (event.key === "Escape") this.close();
    };
    addEventListener("offline", () =>
      this.showError(new ChatError("You're offline. Check your connection.", 0, false)),
    );
    addEventListener("online", () => {
      // Back online: drop the passive banner, but keep a Retry for something that failed
      // meanwhile, so the visitor's message is not lost.
      if (this.alert.dataset.status === "0" && this.alert.dataset.retry !== "yes") this.hideError();
    });
  }

  private greet(): void {
    this.log.append(h("li", { class: "assistant greeting" }, this.options.greeting));
  }

  private scroll(): void {
    if (this.log) this.log.scrollTop = this.log.scrollHeight;
  }

  private showError(error: unknown, retry?: () => void): void {
    const chatError =
      error instanceof ChatError ? error : new ChatError("Something went wrong. Please try again.", 500);
    this.alert.replaceChildren(h("span", {}, chatError.message));
    this.alert.dataset.status = String(chatError.status);
    this.alert.dataset.retry = retry && chatError.retry ? "yes" : "no";
    if (retry && chatError.retry) {
      const button = h("button", { type: "button" }, "Retry");
      button.onclick = () => {
        this.hideError();
        retry();
      };
      this.alert.append(button);
    }
    this.alert.hidden = false;
  }

  private hideError(): void {
    this.alert.hidden = true;
    this.alert.replaceChildren();
  }

  /** One message bubble; images show from their preview URL (or the local copy just sent). */
  private bubble(role: "user" | "assistant", text: string, images: string[] = []): HTMLElement {
    const item = h("li", { class: role });
    for (const src of images) item.append(h("img", { src, alt: "Photo you sent" }));
    if (text) item.append(text);
    this.log.append(item);
    this.scroll();
    return item;
  }

  private renderItem(item: ChatKitThreadItem): void {
    if (item.type === "user_message") {
      const images = item.attachments
        .filter((a: ChatKitAttachment) => a.type === "image" && /^https?:/.test(a.preview_url))
        .map((a) => a.preview_url);
      this.bubble("user", item.content.map((part) => part.text).join(""), images);
    } else {
      this.bubble("assistant", item.content.map((part) => part.text).join(""));
    }
  }

  /** Shows the stored thread again (reload, or another page of the site). */
  private async resume(): Promise<void> {
    const threadId = this.threadId;
    if (!threadId) return;
    this.loaded = true;
    try {
      const items = await this.client.loadThread(threadId);
      for (const item of items) this.renderItem(item);
      this.triggers.customerSpoke = items.some((item) => item.type === "user_message");
    } catch (error) {
      this.loaded = false;
      if (error instanceof ChatError && error.status === 404) {
        this.threadId = null;
        save(THREAD_KEY, null);
      } else this.showError(error, () => void this.resume());
    }
  }

  private startOver(): void {
    this.triggers.reset();
    this.threadId = null;
    save(THREAD_KEY, null);
    this.bubbles.clear();
    this.log.replaceChildren();
    this.hideError();
    this.greet();
    this.input.focus();
  }

  private async upload(file: File): Promise<void> {
    const url = URL.createObjectURL(file);
    const progress = h("progress", { max: "1", value: "0", "aria-label": `Uploading ${file.name}` });
    const remove = h("button", { type: "button", "aria-label": `Remove ${file.name}` }, "×");
    const element = h("div", { class: "thumb" }, h("img", { src: url, alt: file.name }), progress, remove);
    const entry: Pending = { file, url, element, state: "uploading" };
    remove.onclick = () => {
      this.pending = this.pending.filter((p) => p !== entry);
      element.remove();
      this.updateSend();
    };
    this.pending.push(entry);
    this.thumbs.append(element);
    this.hideError();
    this.updateSend();
    try {
      const attachment = await this.client.upload(file, (fraction) => {
        progress.value = fraction;
      });
      entry.id = attachment.id;
      entry.state = "ready";
      progress.remove();
    } catch (error) {
      entry.state = "failed";
      element.classList.add("failed");
      progress.remove();
      this.showError(error, () => {
        remove.click();
        void this.upload(file);
      });
    }
    this.updateSend();
  }

  private updateSend(): void {
    this.sendButton.disabled = this.busy || this.pending.some((p) => p.state === "uploading");
  }

  private async submit(): Promise<void> {
    const text = this.input.value.trim();
    const ready = this.pending.filter((p) => p.state === "ready");
    if (this.sendButton.disabled || (!text && ready.length === 0)) return;
    this.input.value = "";
    this.input.style.height = "";
    this.bubble(
      "user",
      text,
      ready.map((p) => p.url),
    );
    for (const p of this.pending) p.element.remove();
    this.pending = [];
    await this.deliver(
      text,
      ready.map((p) => p.id ?? ""),
    );
  }

  /** Sends the customer's message; a failed reply is retried without sending the message again. */
  private async deliver(text: string, attachments: string[]): Promise<void> {
    let savedId: string | null = null;
    await this.streamTurn(
      (onEvent) =>
        this.client.sendMessage(this.threadId, text, attachments, this.options.attribution, onEvent),
      (id) => {
        savedId = id;
      },
      () => (savedId && this.threadId ? this.retry(this.threadId, savedId) : this.deliver(text, attachments)),
    );
  }

  /** Answers the stored message `itemId` again (`threads.retry_after_item`). */
  private async retry(threadId: string, itemId: string): Promise<void> {
    await this.streamTurn(
      (onEvent) => this.client.retryAfterItem(threadId, itemId, onEvent),
      () => {},
      () => this.retry(threadId, itemId),
    );
  }

  /** Runs one streamed turn; on failure shows the error with a Retry that calls `again`. */
  private async streamTurn(
    run: (onEvent: (event: ChatKitEvent) => void) => Promise<void>,
    onUserSaved: (itemId: string) => void,
    again: () => Promise<void>,
  ): Promise<void> {
    this.busy = true;
    this.updateSend();
    this.hideError();
    const typing = this.bubble("assistant", "");
    typing.classList.add("typing");
    typing.setAttribute("aria-label", "The shop is typing");
    let streamError: ChatError | null = null;
    const open = new Set<string>();
    try {
      await run((event) => {
        if (event.type === "thread.item.added") open.add(event.item.id);
        if (event.type === "thread.item.done") open.delete(event.item.id);
        if (event.type === "error") {
          const message = "message" in event ? event.message : "Something went wrong. Please try again.";
          streamError = new ChatError(message, 500, event.allow_retry);
          return;
        }
        if (event.type === "thread.item.done" && event.item.type === "user_message")
          onUserSaved(event.item.id);
        this.onEvent(event, typing);
      });
    } catch (error) {
      streamError =
        error instanceof ChatError ? error : new ChatError("Something went wrong. Please try again.", 500);
    }
    typing.remove();
    // A reply that failed before saying anything was never stored: its empty bubble goes. One that
    // said something was kept by the server, and a retry removes it (`thread.item.removed`).
    for (const id of open) {
      if (this.bubbles.get(id)?.textContent) continue;
      this.bubbles.get(id)?.remove();
      this.bubbles.delete(id);
    }
    this.busy = false;
    this.updateSend();
    if (streamError) this.showError(streamError, () => void again());
  }

  private onEvent(event: Exclude<ChatKitEvent, { type: "error" }>, typing: HTMLElement): void {
    if (event.type === "thread.created") {
      this.threadId = event.thread.id;
      this.loaded = true;
      save(THREAD_KEY, this.threadId);
    } else if (event.type === "thread.item.added" && event.item.type === "assistant_message") {
      typing.remove();
      const item = h("li", { class: "assistant", "aria-busy": "true" });
      this.bubbles.set(event.item.id, item);
      this.log.append(item);
      this.triggers.bumpIdleTimer();
    } else if (
      event.type === "thread.item.updated" &&
      event.update.type === "assistant_message.content_part.text_delta"
    ) {
      this.bubbles.get(event.item_id)?.append(event.update.delta);
    } else if (event.type === "thread.item.removed") {
      // A retry dropped a reply (a partial one that failed): it leaves the conversation here too.
      this.bubbles.get(event.item_id)?.remove();
      this.bubbles.delete(event.item_id);
    } else if (event.type === "thread.item.done") {
      if (event.item.type === "user_message") this.triggers.customerSpoke = true;
      else {
        const item = this.bubbles.get(event.item.id);
        item?.replaceChildren(event.item.content.map((part) => part.text).join(""));
        item?.removeAttribute("aria-busy");
      }
      this.triggers.bumpIdleTimer();
    }
    this.scroll();
  }
}
